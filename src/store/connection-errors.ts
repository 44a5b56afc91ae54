/**
 * Which errors mean "the database connection failed" rather than "the statement failed": those are answered
 * 503 with Retry-After (the request may be retried once the database is back), never 500.
 */

// Socket-level failures reaching or talking to the server.
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// SQLSTATEs of a server that is going away, restarting or refusing connections (class 08 is handled apart).
const SERVER_CODES = new Set([
  '57P01', // admin_shutdown (also pg_terminate_backend)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down, in recovery)
  '57P05', // idle_session_timeout
  '53300', // too_many_connections
]);

// pg and pg-pool raise these without a code.
const MESSAGES = [
  /^Connection terminated/, // socket closed (unexpectedly, or by a connect timeout)
  /not queryable/, // a client whose connection already failed
  /^timeout exceeded when trying to connect/, // pg-pool's connectionTimeoutMillis
  /^Cannot use a pool after calling end/,
];

/** True when `err` says the connection to the database was refused, lost or could not be made in time. */
export function isConnectionError(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const { code, message, errors } = err as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string') {
    if (SOCKET_CODES.has(code) || SERVER_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  // Node's happy-eyeballs connect reports every address it tried in one AggregateError.
  if (Array.isArray(errors) && errors.length > 0 && errors.every(isConnectionError)) return true;
  return typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message));
}

/**
 * The connection failed after COMMIT was sent (or while it was being sent): the write may or may not have
 * taken effect, so it must not be reported as done, nor blindly as failed.
 */
export class CommitOutcomeUnknownError extends Error {
  constructor(cause: unknown) {
    super('the database connection was lost while committing', { cause });
    this.name = 'CommitOutcomeUnknownError';
  }
}
