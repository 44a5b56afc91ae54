/** Exponential backoff with jitter: min(cap, base·2^n)·rand(0.5..1), so retries of many jobs spread out. */
export function backoffMs(failures: number, baseMs = 5000, capMs = 3_600_000, random: () => number = Math.random): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.min(failures, 30));
  return Math.round(exp * (0.5 + random() / 2));
}

/**
 * Standard Webhooks' retry schedule (standardwebhooks.com, as Svix and incident.io use): after the first
 * attempt, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. `null` once every retry is spent.
 */
export const DELIVERY_SCHEDULE_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

/** Delay before retry number `attempts` (1 = after the first attempt), with ±10 % jitter. */
export function deliveryRetryDelay(attempts: number, random: () => number = Math.random): number | null {
  const base = DELIVERY_SCHEDULE_MS[attempts - 1];
  if (base === undefined) return null;
  return Math.round(base * (0.9 + random() * 0.2));
}
