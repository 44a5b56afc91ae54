/**
 * How many incidents a filtered list holds, without scanning a large history on every page
 * (docs/DECISIONS.md, "total_count of large run lists").
 *
 * - Up to `exactCap` matching incidents the count is exact and fresh: it is taken over at most `exactCap + 1`
 *   rows, so its cost is bounded by the cap, not by the history.
 * - Above the cap the list is counted in full. When that took long (an index does not narrow the list), the
 *   result is reused for `ttlMs`, per actor and filter. Such a total may miss incidents created or finished
 *   in the last few seconds; the page itself is always current, and `clampTotal` keeps the total consistent
 *   with it. Full counts that are cheap are never reused, so they stay exact.
 */

/** Lists up to this many incidents are counted exactly on every request. */
export const EXACT_COUNT_CAP = 1000;
/** How long a full count of a larger list is reused. */
export const COUNT_TTL_MS = 15_000;
/** A full count that took less than this is not worth reusing (and stays exact). */
export const CACHE_COUNTS_SLOWER_THAN_MS = 20;
const MAX_CACHED_COUNTS = 500;

export class CountCache {
  private readonly entries = new Map<string, { total: number; at: number }>();

  constructor(
    readonly ttlMs = COUNT_TTL_MS,
    private readonly maxEntries = MAX_CACHED_COUNTS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get(key: string): number | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.at >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.total;
  }

  set(key: string, total: number): void {
    this.entries.delete(key);
    // Oldest first: a Map iterates in insertion order.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { total, at: this.now() });
  }
}

export interface CountPolicy {
  exactCap: number;
  cache: CountCache;
  /** Full counts that took at least this long are cached. */
  cacheSlowerThanMs: number;
}

export const defaultCountPolicy: CountPolicy = {
  exactCap: EXACT_COUNT_CAP,
  cache: new CountCache(),
  cacheSlowerThanMs: CACHE_COUNTS_SLOWER_THAN_MS,
};

/** What the page query itself proves about the total. */
export interface PageFacts {
  offset: number;
  /** Rows on this page. */
  rows: number;
  /** A row exists after this page. */
  hasMore: boolean;
}

/** The total when the page alone decides it: a last page that is not empty, or an empty first page. */
export function totalFromPage(page: PageFacts): number | undefined {
  if (page.hasMore) return undefined;
  if (page.rows > 0 || page.offset === 0) return page.offset + page.rows;
  return undefined;
}

/**
 * A (possibly cached) total made consistent with the page: at least every row up to and after it, at most
 * the offset when the page is past the end. So `has_more` and `page_count` derived from it match the page.
 */
export function clampTotal(total: number, page: PageFacts): number {
  const seen = page.offset + page.rows + (page.hasMore ? 1 : 0);
  if (page.rows === 0 && !page.hasMore) return Math.min(total, page.offset);
  return Math.max(total, seen);
}

/**
 * The total for a page that does not decide it alone. `countUpTo(limit)` counts at most `limit` matching
 * rows; `countAll()` counts every one.
 */
export async function countMatching(
  policy: CountPolicy,
  key: string,
  page: PageFacts,
  countUpTo: (limit: number) => Promise<number>,
  countAll: () => Promise<number>,
): Promise<number> {
  const cached = policy.cache.get(key);
  if (cached !== undefined) return clampTotal(cached, page);
  const bounded = await countUpTo(policy.exactCap + 1);
  if (bounded <= policy.exactCap) return clampTotal(bounded, page);
  const started = performance.now();
  const total = await countAll();
  if (performance.now() - started >= policy.cacheSlowerThanMs) policy.cache.set(key, total);
  return clampTotal(total, page);
}
