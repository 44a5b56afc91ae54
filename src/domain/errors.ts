import { CommitOutcomeUnknownError, isConnectionError } from '../store/connection-errors.ts';

/**
 * The one error catalogue. Domain code throws these; each facade maps `code` to its own wire form
 * (src/http/errors.ts). Messages are safe to show to the caller.
 */
export type ErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'invalid'
  | 'conflict'
  | 'too_large'
  | 'unavailable'
  | 'upstream'
  /** An If-Match precondition named a version that is no longer current (optimistic concurrency). */
  | 'precondition_failed'
  /** The request is well-formed but contradicts an earlier one (an Idempotency-Key reused for another request). */
  | 'unprocessable';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The request field at fault, e.g. `body.owner_id` or `query.page`. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/**
 * A bad value of a command's input, named as the domain names it (`name`, `task`, `user`, `cursor`, ...)
 * and holding only the reason (`must not be blank`). No wire name is written here: each facade words the
 * error with its own name for the field, in one place (src/http/field-names.ts). The message is the
 * transport-neutral form (CLI, logs).
 */
export class InputError extends DomainError {
  constructor(
    field: string,
    readonly reason: string,
    /** What the caller can do instead, as a domain action (`assign_label`); each facade words it its own way. */
    readonly hint?: string,
  ) {
    super('invalid', `invalid ${field}: ${reason}`, field);
    this.name = 'InputError';
  }
}

/** An invalid input value: `field` as the domain names it, `reason` what is wrong (and what to send). */
export const invalidInput = (field: string, reason: string, hint?: string) => new InputError(field, reason, hint);

export const unauthorized = (message = 'Not authorized') => new DomainError('unauthorized', message);
export const forbidden = (message = 'Not authorized') => new DomainError('forbidden', message);
export const notFound = (what = 'Not found') => new DomainError('not_found', what);
export const invalid = (field: string, message: string) => new DomainError('invalid', message, field);
export const conflict = (message: string, field?: string) => new DomainError('conflict', message, field);
export const upstream = (message: string) => new DomainError('upstream', message);
export const unavailable = (message: string) => new DomainError('unavailable', message);
export const unprocessable = (message: string, field?: string) => new DomainError('unprocessable', message, field);
export const preconditionFailed = (message: string) => new DomainError('precondition_failed', message, 'If-Match');

/** The database cannot be reached (down, restarting, connection lost before the write committed). */
export const databaseUnavailable = () => unavailable('the database is unavailable; retry shortly');
/** The connection was lost while COMMIT was on its way: the write may or may not have been saved. */
export const writeOutcomeUnknown = () =>
  unavailable('the database connection was lost while saving: the outcome of this write is unknown; check before retrying');

/**
 * The catalogue error for a failure of the database connection itself, or undefined for any other error
 * (a statement that failed is not the caller's to retry).
 */
export function databaseFailure(err: unknown): DomainError | undefined {
  if (err instanceof CommitOutcomeUnknownError) return writeOutcomeUnknown();
  return isConnectionError(err) ? databaseUnavailable() : undefined;
}

export function isDomainError(err: unknown): err is DomainError {
  return err instanceof DomainError;
}
