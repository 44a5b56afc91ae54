import type { Db } from '../../store/db.ts';
import { rateLimitsRepo } from '../../store/sessions.repo.ts';

const MINUTE_MS = 60_000;

/** Counters in the shared `rate_limits` table (PostgreSQL): one fixed window per key. */
export const rateCounters = {
  take: (db: Db, key: string, units: number, windowMs: number, now: number) => rateLimitsRepo.take(db, key, units, windowMs, now),
  clear: (db: Db, key: string) => rateLimitsRepo.clear(db, key),
};

/**
 * Fixed-window counters shared by every instance on one PostgreSQL. Each instance takes units from the
 * shared row in chunks (1/100 of the budget, at least 1) and hands them out locally, so a busy token costs
 * one upsert per chunk, not per request; the instances together never hand out more than the budget.
 */
export class SharedWindows {
  private windows = new Map<string, { resetAt: number; next: number; last: number }>();
  private pending = new Map<string, Promise<void>>();
  private prunedAt = 0;

  constructor(private readonly db: Db) {}

  async take(key: string, windowMs: number, max: number): Promise<{ current: number; ttl: number }> {
    for (;;) {
      const now = Date.now();
      const w = this.windows.get(key);
      if (w && now < w.resetAt) {
        if (w.next <= w.last) return { current: w.next++, ttl: w.resetAt - now };
        if (w.last >= max) return { current: max + 1, ttl: w.resetAt - now }; // the shared budget is spent
      }
      const inFlight = this.pending.get(key);
      if (inFlight) {
        await inFlight;
        continue;
      }
      const claim = this.claim(key, windowMs, max, now).finally(() => this.pending.delete(key));
      this.pending.set(key, claim);
      await claim;
    }
  }

  private async claim(key: string, windowMs: number, max: number, now: number): Promise<void> {
    const units = Math.max(1, Math.floor(max / 100));
    const { count, resetAt } = await rateLimitsRepo.take(this.db, key, units, windowMs, now);
    if (this.windows.size > 10_000) this.windows.clear();
    this.windows.set(key, { resetAt, next: count - units + 1, last: count });
    if (now - this.prunedAt > 10 * MINUTE_MS) {
      this.prunedAt = now;
      await rateLimitsRepo.prune(this.db, now);
    }
  }
}
