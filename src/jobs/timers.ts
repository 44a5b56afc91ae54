import type { DomainContext } from '../domain/context.ts';
import { timersRepo, type TimerRow } from '../store/jobs.repo.ts';

export type TimerHandler = (ctx: DomainContext, timer: TimerRow) => Promise<void>;

const LEASE_MS = 60_000;
const RETRY_MS = 30_000;
const BATCH = 20;

/**
 * Polls the durable `timers` table and fires due timers. Any number of processes may poll one database:
 * a claim takes a lease with FOR UPDATE SKIP LOCKED, so each timer fires once. A handler that throws is
 * retried after RETRY_MS.
 */
export class TimerRunner {
  private handle: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly ctx: DomainContext,
    private readonly handlers: Record<string, TimerHandler>,
    private readonly log: (msg: string, err?: unknown) => void = () => {},
  ) {}

  start(intervalMs: number): void {
    if (this.handle) return;
    // A poll that fails (the database is down) is logged and the next interval tries again.
    this.handle = setInterval(() => void this.tick().catch((err: unknown) => this.log('timer poll failed; retrying', err)), intervalMs);
    this.handle.unref();
  }

  async stop(): Promise<void> {
    if (this.handle) clearInterval(this.handle);
    this.handle = undefined;
    await this.running;
  }

  /** Fires every due timer once; returns how many fired. Tests call this with a fake clock. */
  async tick(): Promise<number> {
    if (this.running) return this.running;
    this.running = this.fireDue().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async fireDue(): Promise<number> {
    let fired = 0;
    for (;;) {
      const now = this.ctx.clock.now();
      const due = await timersRepo.claimDue(this.ctx.db, now, LEASE_MS, BATCH);
      for (const timer of due) {
        const handler = this.handlers[timer.kind];
        try {
          if (handler) await handler(this.ctx, timer);
          else this.log(`no handler for timer kind ${timer.kind}; dropping ${timer.key}`);
          await timersRepo.complete(this.ctx.db, timer.id, timer.due_at);
          fired++;
        } catch (err) {
          this.log(`timer ${timer.key} failed; retrying in ${RETRY_MS / 1000}s`, err);
          await timersRepo.retryLater(this.ctx.db, timer.id, this.ctx.clock.now() + RETRY_MS);
        }
      }
      if (due.length < BATCH) return fired;
    }
  }
}
