import { databaseAnswers, schemaMismatch } from '../domain/readiness.ts';
import type { Database } from '../domain/store-types.ts';
import { RETRY_AFTER_SECONDS } from './errors.ts';
import type { App } from './app-type.ts';

/** Past this, a database that has not answered counts as down (a stalled server must not stall probes). */
const PING_BOUND_MS = 2000;

/**
 * Probes for orchestrators, public (no token). `/healthz`: the process serves HTTP (liveness: restarting it
 * would not help when only the database is away). `/readyz`: it can serve requests now: the database answers
 * and its schema is the one this code migrates to and, on PostgreSQL, the change listener is connected; else
 * 503 with the reason. While the server shuts down Fastify answers 503 to every new request, probes included.
 */
export function registerHealthRoutes(app: App): void {
  app.get('/healthz', { config: { public: true } }, async () => ({ status: 'OK' }));
  app.get('/readyz', { config: { public: true } }, async (_request, reply) => {
    const reason = await unreadyReason(app.services.database);
    if (!reason) return { status: 'OK' };
    return reply.code(503).header('retry-after', String(RETRY_AFTER_SECONDS)).send({ status: 'unavailable', reason });
  });
}

/** Why the server cannot serve now, or undefined when it can. */
export async function unreadyReason(database: Database): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`the database did not answer within ${PING_BOUND_MS} ms`), PING_BOUND_MS);
  });
  const answered = databaseAnswers(database.db).then(
    () => undefined,
    () => 'the database does not answer',
  );
  const reason = await Promise.race([answered, bound]).finally(() => clearTimeout(timer));
  if (reason) return reason;
  if (!database.changes.isLive) return 'the change listener is not connected to the database';
  return schemaMismatch(database.db).catch(() => 'the database does not answer');
}
