import { CurrentCache, type ChangeFeed } from '../store/changes.ts';
import type { Credential } from './identity/sessions.ts';
import type { IncidentDetail } from './incidents/types.ts';

/** An incident's detail as last read, plus forms of it that facades derived (rendered JSON, lookups). */
export interface CachedIncident {
  detail: IncidentDetail;
  derived: Map<string, unknown>;
}

// Sizes: tokens and access decisions are tiny; a detail with its derived JSON is up to ~100 KB, so at most
// ~50 MB of incidents (a server rarely has more than a few dozen incidents being watched at once).
const MAX_TOKENS = 10_000;
const MAX_INCIDENTS = 500;
const MAX_ACCESS = 50_000;
/**
 * Everything is re-read at least this often, whatever the change feed says: this bounds how long a change
 * made with SQL outside Muster goes unseen, and keeps a token's last-used time about right.
 */
const MAX_AGE_MS = 60_000;

/**
 * The hot reads served from memory while the change feed says they are current (see store/changes.ts):
 * which credential (actor, expiry) a token is, an incident's detail, and whether a user may see an incident.
 */
export class ReadCache {
  readonly tokens: CurrentCache<Credential>;
  readonly incidents: CurrentCache<CachedIncident>;
  readonly access: CurrentCache<boolean>;

  constructor(readonly feed: ChangeFeed) {
    this.tokens = new CurrentCache(feed, MAX_TOKENS, MAX_AGE_MS);
    this.incidents = new CurrentCache(feed, MAX_INCIDENTS, MAX_AGE_MS);
    this.access = new CurrentCache(feed, MAX_ACCESS, MAX_AGE_MS);
  }
}

/**
 * A form derived from a cached incident (computed once per cached detail). The cached detail is shared by
 * every request: `make` must not change it.
 */
export function derived<T>(entry: CachedIncident, key: string, make: () => T): T {
  if (!entry.derived.has(key)) entry.derived.set(key, make());
  return entry.derived.get(key) as T;
}

/** The async form: concurrent requests share one load; a failed load is forgotten. */
export function derivedAsync<T>(entry: CachedIncident, key: string, load: () => Promise<T>): Promise<T> {
  const existing = entry.derived.get(key) as Promise<T> | undefined;
  if (existing) return existing;
  const pending = load();
  entry.derived.set(key, pending);
  pending.catch(() => entry.derived.delete(key));
  return pending;
}
