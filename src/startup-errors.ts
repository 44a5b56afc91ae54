// Expected ways a start fails, each said in one line (no stack trace): the port, the host, the database.
import type { Config } from './config.ts';
import type { BootstrapResult } from './domain/identity/identity.ts';

/** A start that failed after the first-start bootstrap: the credentials it made must still be shown. */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly bootstrapped: BootstrapResult,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StartupError';
  }
}

function codeOf(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
}

/** host:port of a DATABASE_URL, never its password. */
function databaseAddress(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

/** The one line for an expected start failure, or undefined (then the error is a bug: its stack is shown). */
export function describeStartupFailure(failure: unknown, config: Pick<Config, 'port' | 'host' | 'databaseUrl'>): string | undefined {
  const err = failure instanceof StartupError ? failure.cause : failure;
  const code = codeOf(err);
  const cause = err instanceof Error && err.cause !== undefined ? codeOf(err.cause) : '';
  const listen = (err as { syscall?: string }).syscall === 'listen';
  if (code === 'EADDRINUSE') return `port ${config.port} is in use by another process; stop it or set PORT to a free port`;
  if (code === 'EACCES' && listen) return `port ${config.port} needs more privileges than this user has; set PORT to 1024 or above`;
  if (code === 'EADDRNOTAVAIL' || (code === 'ENOTFOUND' && !config.databaseUrl)) return `HOST=${config.host} is not an address of this machine; set HOST (e.g. 0.0.0.0 or 127.0.0.1)`;
  if (!config.databaseUrl) return undefined;
  const where = databaseAddress(config.databaseUrl);
  const dbCodes: Record<string, string> = {
    ECONNREFUSED: `nothing accepts connections at ${where}: is PostgreSQL running there? (check DATABASE_URL)`,
    ENOTFOUND: `the host of DATABASE_URL (${where}) does not resolve; check DATABASE_URL`,
    ETIMEDOUT: `PostgreSQL at ${where} did not answer in time; check DATABASE_URL and the network`,
    '28P01': `PostgreSQL at ${where} refused the user name or password in DATABASE_URL`,
    '28000': `PostgreSQL at ${where} does not allow this connection (pg_hba.conf); check DATABASE_URL`,
    '3D000': `the database in DATABASE_URL (${where}) does not exist; create it first (createdb)`,
  };
  const line = dbCodes[code] ?? dbCodes[cause];
  if (line) return line;
  if (err instanceof Error && /timeout exceeded when trying to connect|Connection terminated due to connection timeout/i.test(err.message)) return dbCodes.ETIMEDOUT;
  return undefined;
}
