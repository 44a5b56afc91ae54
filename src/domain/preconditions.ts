// Optimistic concurrency: a caller may say "only if this resource is still at the version I read" (HTTP
// If-Match). The expectation travels with the request's async context, so the check happens where the write
// holds the row lock (mutateIncident, the playbook lock): checked outside the transaction, it would race.
import { AsyncLocalStorage } from 'node:async_hooks';
import { preconditionFailed } from './errors.ts';

export type VersionedKind = 'incident' | 'playbook';

export interface Precondition {
  kind: VersionedKind;
  id: string;
  /** The versions the caller accepts (an If-Match list); empty = none matches. */
  versions: readonly number[];
}

const expected = new AsyncLocalStorage<Precondition>();

/** Runs `fn` with a precondition on one resource: writes to it made meanwhile must find it at one of `versions`. */
export function withPrecondition<T>(precondition: Precondition, fn: () => T): T {
  return expected.run(precondition, fn);
}

/** True when the running request has a precondition on this resource. */
export function hasPrecondition(kind: VersionedKind, id: string): boolean {
  const p = expected.getStore();
  return p !== undefined && p.kind === kind && p.id === id;
}

/**
 * Call with the locked row's version, before changing anything: throws 412 when the caller's precondition
 * on this resource names another version. Without a precondition (the usual case) it does nothing.
 */
export function requireVersion(kind: VersionedKind, id: string, version: number): void {
  const p = expected.getStore();
  if (!p || p.kind !== kind || p.id !== id || p.versions.includes(version)) return;
  throw preconditionFailed(`If-Match does not match: the ${kind === 'incident' ? 'run' : 'playbook'} has changed (it is now at ETag "${version}")`);
}

/** The strong ETag of a version. */
export function etagOf(version: number): string {
  return `"${version}"`;
}
