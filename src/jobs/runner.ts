import type { DomainContext } from '../domain/context.ts';
import { transaction, type Tx } from '../store/db.ts';
import { jobSignal, jobsRepo, type JobRow } from '../store/jobs.repo.ts';
import { backoffMs } from './backoff.ts';

/**
 * What a handler decided. `write` runs in the same transaction as the fenced finish/retry, and only when
 * the claim still holds: a former owner that stalled past its lease changes nothing.
 */
export type JobOutcome =
  | { done: true; write?: (tx: Tx) => Promise<void> }
  | { done: false; retryAt: number; error: string; write?: (tx: Tx) => Promise<void> };

export type JobHandler = (ctx: DomainContext, job: JobRow) => Promise<JobOutcome>;

export interface JobRunnerOptions {
  /** Jobs run at once by this process (deliveries in flight). */
  concurrency: number;
  /** Longer than any handler may take (the HTTP timeout plus margin): past it, another process may take the job. */
  leaseMs: number;
  log?: (msg: string, err?: unknown) => void;
}

/**
 * Runs the durable jobs of one database. Any number of processes may run one: a claim takes a lease with
 * FOR UPDATE SKIP LOCKED and bumps the job's `attempt`; finishing is fenced on that attempt. A job whose
 * owner died (kill -9) is taken again once its lease expires. Wakes on a commit that enqueued a job (an
 * in-process signal; on PostgreSQL also a NOTIFY from other processes) and otherwise polls.
 */
export class JobRunner {
  private handle: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private again = false;
  private inFlight = 0;
  /** Refused completions (fencing); tests read it. */
  fencedOut = 0;
  // A poll that fails (the database is down) is logged and the next interval or wake-up tries again.
  private readonly wake = () => void this.tick().catch((err: unknown) => this.log('job poll failed; retrying', err));

  constructor(
    private readonly ctx: DomainContext,
    private readonly handlers: Record<string, JobHandler>,
    private readonly opts: JobRunnerOptions,
  ) {}

  start(pollMs: number): void {
    if (this.handle) return;
    this.handle = setInterval(this.wake, pollMs);
    this.handle.unref();
    jobSignal.on('enqueued', this.wake);
    void this.tick();
  }

  async stop(): Promise<void> {
    if (this.handle) clearInterval(this.handle);
    this.handle = undefined;
    jobSignal.off('enqueued', this.wake);
    while (this.running) await this.running;
  }

  /** Runs every due job once (as many at a time as `concurrency`); returns how many finished (retries excluded). Tests call it with a fake clock. */
  async tick(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async drain(): Promise<number> {
    let finished = 0;
    const active = new Set<Promise<void>>();
    for (;;) {
      this.again = false;
      const room = this.opts.concurrency - this.inFlight;
      let claimed: JobRow[] = [];
      try {
        claimed = await jobsRepo.claimDue(this.ctx.db, this.ctx.clock.now(), this.opts.leaseMs, room);
      } catch (err) {
        this.log('claiming jobs failed', err);
      }
      for (const job of claimed) {
        this.inFlight++;
        const run = this.run(job)
          .then((ok) => void (ok && finished++))
          .finally(() => {
            this.inFlight--;
            active.delete(run);
          });
        active.add(run);
      }
      if (claimed.length === room && room > 0) {
        await Promise.race(active);
        continue;
      }
      if (active.size > 0) {
        await Promise.race(active);
        continue;
      }
      if (!this.again) return finished;
    }
  }

  /** Runs one claimed job; true when it finished (done, and the claim still held). */
  private async run(job: JobRow): Promise<boolean> {
    const handler = this.handlers[job.kind];
    let outcome: JobOutcome;
    try {
      outcome = handler ? await handler(this.ctx, job) : { done: true };
      if (!handler) this.log(`no handler for job kind ${job.kind}; dropping ${job.key}`);
      return (await this.record(job, outcome)) && outcome.done;
    } catch (err) {
      const retryAt = this.ctx.clock.now() + backoffMs(job.failures);
      this.log(`job ${job.key} failed; retrying in ${Math.round((retryAt - this.ctx.clock.now()) / 1000)} s`, err);
      try {
        await this.record(job, { done: false, retryAt, error: (err as Error).message ?? String(err) });
        return false;
      } catch (again) {
        this.log(`job ${job.key}: recording its failure failed; it runs again after its lease`, again);
        return false;
      }
    }
  }

  private async record(job: JobRow, outcome: JobOutcome): Promise<boolean> {
    const held = await transaction(this.ctx.db, async (tx) => {
      const ok = outcome.done ? await jobsRepo.finish(tx, job) : await jobsRepo.retryAt(tx, job, outcome.retryAt, outcome.error);
      if (ok && outcome.write) await outcome.write(tx);
      return ok;
    });
    if (!held) {
      this.fencedOut++;
      this.log(`job ${job.key}: completion refused, its claim (attempt ${job.attempt}) is no longer current`);
    }
    return held;
  }

  private log(msg: string, err?: unknown): void {
    this.opts.log?.(msg, err);
  }
}
