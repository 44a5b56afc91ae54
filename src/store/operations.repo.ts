import { sql } from 'kysely';
import type { Executor } from './db.ts';

/** Read-only figures about the server's own queues, for /metrics (each one indexed query). */
export const operationsRepo = {
  /** Jobs due now (not leased), by kind, and the oldest due time among them. */
  dueJobs: (ex: Executor, now: number) =>
    ex
      .selectFrom('jobs')
      .select(['kind', sql<number>`count(*)::int`.as('due'), sql<number>`min(due_at)`.as('oldest')])
      .where('due_at', '<=', now)
      .where('locked_until', '<', now)
      .groupBy('kind')
      .execute(),
  /** Outgoing webhook deliveries by status. */
  deliveriesByStatus: (ex: Executor) =>
    ex.selectFrom('webhook_deliveries').select(['status', sql<number>`count(*)::int`.as('n')]).groupBy('status').execute(),
};
