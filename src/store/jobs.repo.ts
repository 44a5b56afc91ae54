import { EventEmitter } from 'node:events';
import { sql, type Selectable } from 'kysely';
import { afterCommit, json, type Executor, type Tx } from './db.ts';
import type { JobsTable } from './schema.ts';
import { newId } from '../lib/ids.ts';

export type JobRow = Selectable<JobsTable>;

/** The NOTIFY channel on which a commit that enqueued a job wakes the runners of other processes. */
export const JOBS_CHANNEL = 'muster_jobs';

/** Emits 'enqueued' in this process after a commit that enqueued a job (the PGlite wake-up, and a fast path on PG). */
export const jobSignal = new EventEmitter();
jobSignal.setMaxListeners(0);

interface NewJob {
  kind: string;
  key: string;
  due_at: number;
  payload?: Record<string, unknown>;
  now: number;
}

/** All SQL of the durable job table (see migration 010). */
export const jobsRepo = {
  /**
   * The statement that creates or replaces the job with this key (one pending job per key). A replaced job
   * gets a new id, so a former claim of the old one is fenced out. Returned unsent for callers that batch.
   */
  upsert(ex: Executor, job: NewJob) {
    const row = { id: newId(), kind: job.kind, key: job.key, due_at: job.due_at, payload: json(job.payload ?? {}), create_at: job.now };
    return ex
      .insertInto('jobs')
      .values(row)
      .onConflict((oc) => oc.column('key').doUpdateSet({ ...row, locked_until: 0, attempt: 0, failures: 0, last_error: '' }));
  },
  cancelStatement: (ex: Executor, key: string) => ex.deleteFrom('jobs').where('key', '=', key),

  /** Enqueues a job and wakes the runners once the caller's transaction commits. */
  async enqueue(ex: Executor, job: NewJob): Promise<void> {
    await jobsRepo.upsert(ex, job).execute();
    if (job.due_at <= job.now) await jobsRepo.announce(ex);
  },
  /** NOTIFY is delivered at commit and only then, so a rolled-back change wakes nobody. */
  async announce(ex: Executor): Promise<void> {
    await sql`select pg_notify(${JOBS_CHANNEL}, '')`.execute(ex);
    afterCommit(() => jobSignal.emit('enqueued'));
  },
  cancel: (ex: Executor, key: string) => jobsRepo.cancelStatement(ex, key).execute(),
  byKey: (ex: Executor, key: string) => ex.selectFrom('jobs').selectAll().where('key', '=', key).executeTakeFirst(),

  /**
   * Claims up to `limit` due jobs for `leaseMs`: SKIP LOCKED lets several processes poll one table without
   * taking a job twice, and a job whose lease ran out (its owner died or stalled) is due again.
   */
  async claimDue(ex: Executor, now: number, leaseMs: number, limit: number): Promise<JobRow[]> {
    if (limit <= 0) return [];
    return ex
      .updateTable('jobs')
      .set((eb) => ({ locked_until: now + leaseMs, attempt: eb('attempt', '+', 1) }))
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('jobs')
          .select('id')
          .where('due_at', '<=', now)
          .where('locked_until', '<', now)
          .orderBy('due_at')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returningAll()
      .execute();
  },

  /** Removes a finished job, fenced: false when the claim is no longer ours (lease lost, or replaced). */
  async finish(tx: Tx, job: Pick<JobRow, 'id' | 'attempt'>): Promise<boolean> {
    const gone = await tx.deleteFrom('jobs').where('id', '=', job.id).where('attempt', '=', job.attempt).returning('id').executeTakeFirst();
    return gone !== undefined;
  },
  /** Releases the job to run again at `dueAt`, fenced like finish. */
  async retryAt(tx: Tx, job: Pick<JobRow, 'id' | 'attempt'>, dueAt: number, error: string): Promise<boolean> {
    const moved = await tx
      .updateTable('jobs')
      .set((eb) => ({ due_at: dueAt, locked_until: 0, failures: eb('failures', '+', 1), last_error: error.slice(0, 1000) }))
      .where('id', '=', job.id)
      .where('attempt', '=', job.attempt)
      .returning('id')
      .executeTakeFirst();
    return moved !== undefined;
  },
  /** Makes a job due now (redeliver), whether pending or not. */
  async dueNow(ex: Executor, key: string, now: number): Promise<void> {
    await ex.updateTable('jobs').set({ due_at: now, locked_until: 0 }).where('key', '=', key).execute();
  },
};
