/**
 * Says whether something read from the database earlier is still current, so hot reads (the token behind a
 * request, an incident's detail, a viewer's right to see it) can be served from memory.
 *
 * Every committed `transaction()` reports what it changed: the incidents (and their channels) it wrote, or
 * "everything" when it did not say. A cached value carries the stamp taken *before* it was read, and is
 * current while nothing it depends on changed after that stamp. Taking the stamp first means a write that
 * commits while the value is being read makes the value stale at once instead of caching old data.
 *
 * Writes by other processes on the same PostgreSQL (another Muster, the CLI) arrive as NOTIFY messages on
 * CHANGES_CHANNEL (see change-listener.ts). While that listener is down, nothing is current.
 */
export const CHANGES_CHANNEL = 'muster_changes';

/** What one transaction changed. */
export interface ChangeSet {
  /** incident id → its channel id. */
  incidents: Map<string, string>;
  /** Set when the transaction changed something that is not one incident's own data. */
  everything: boolean;
}

/** Past this many remembered keys, forget them all and treat everything as changed (bounds memory). */
const MAX_KEYS = 100_000;
/** A NOTIFY payload must stay under 8000 bytes; past this many incidents, say "everything". */
const MAX_NOTIFIED_INCIDENTS = 100;

export class ChangeFeed {
  private clock = 0;
  private everythingAt = 0;
  private changedAt = new Map<string, number>();
  private live: boolean;
  private waiters: Array<() => void> = [];
  private listeners = new Set<(changes: ChangeSet) => void>();

  /**
   * @param sharesDatabase other processes may write to the same database (PostgreSQL): transactions
   *   announce their changes with NOTIFY, and caching waits until a listener hears them.
   */
  constructor(readonly sharesDatabase: boolean) {
    this.live = !sharesDatabase;
  }

  /** Take before reading; -1 when caching is off (the value will never be current). */
  stamp(): number {
    return this.live ? this.clock : -1;
  }

  /** True while nothing the value depends on changed since `stamp`. */
  isCurrent(stamp: number, incidentId?: string, channelId?: string): boolean {
    if (stamp < 0 || !this.live || this.everythingAt > stamp) return false;
    if (incidentId !== undefined && (this.changedAt.get(`i:${incidentId}`) ?? 0) > stamp) return false;
    if (channelId && (this.changedAt.get(`c:${channelId}`) ?? 0) > stamp) return false;
    return true;
  }

  /** After a commit in this process, or when another process announced one. */
  record(changes: ChangeSet): void {
    const at = ++this.clock;
    if (changes.everything || changes.incidents.size === 0 || this.changedAt.size > MAX_KEYS) {
      this.everythingAt = at;
      this.changedAt.clear();
    } else {
      for (const [incidentId, channelId] of changes.incidents) {
        this.changedAt.set(`i:${incidentId}`, at);
        if (channelId) this.changedAt.set(`c:${channelId}`, at);
      }
    }
    this.wake();
    this.tell(changes);
  }

  /** The listener lost or regained its connection: nothing cached before is trusted again. */
  setLive(live: boolean): void {
    this.live = live;
    this.everythingAt = ++this.clock;
    this.changedAt.clear();
    this.wake();
    this.tell({ incidents: new Map(), everything: true });
  }

  /**
   * Calls `listener` after every recorded change (a liveness switch counts as "everything"): the live event
   * stream pushes these to browsers. Listeners run synchronously in the commit path, so they must only queue.
   */
  subscribe(listener: (changes: ChangeSet) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private tell(changes: ChangeSet): void {
    for (const listener of this.listeners) {
      try {
        listener(changes);
      } catch {
        // a broken listener must never fail the commit that called it
      }
    }
  }

  get isLive(): boolean {
    return this.live;
  }

  /** Resolves at the next recorded change or liveness switch: lets tests wait for a notification. */
  nextChange(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** The NOTIFY payload of a change set: `*`, or `incident:channel` pairs separated by spaces. */
export function encodeChanges(changes: ChangeSet): string {
  if (changes.everything || changes.incidents.size === 0 || changes.incidents.size > MAX_NOTIFIED_INCIDENTS) return '*';
  return [...changes.incidents].map(([incident, channel]) => `${incident}:${channel}`).join(' ');
}

export function decodeChanges(payload: string): ChangeSet {
  if (payload === '*' || payload === '') return { incidents: new Map(), everything: true };
  const incidents = new Map<string, string>();
  for (const pair of payload.split(' ')) {
    const [incident, channel] = pair.split(':');
    if (!incident) return { incidents: new Map(), everything: true };
    incidents.set(incident, channel ?? '');
  }
  return { incidents, everything: false };
}

/**
 * A bounded map of values that are valid while the feed says so. Entries may be scoped to an incident and
 * its channel; unscoped entries are dropped by any change outside incidents' own data.
 */
export class CurrentCache<V> {
  private entries = new Map<string, { stamp: number; value: V; incidentId?: string | undefined; channelId?: string | undefined; expiresAt: number }>();

  constructor(
    private readonly feed: ChangeFeed,
    private readonly maxEntries: number,
    /** Entries also expire after this long (ms of wall time), whatever the feed says. */
    private readonly ttlMs = Number.POSITIVE_INFINITY,
  ) {}

  get(key: string, now = Date.now()): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now < entry.expiresAt && this.feed.isCurrent(entry.stamp, entry.incidentId, entry.channelId)) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, stamp: number, value: V, scope?: { incidentId: string; channelId: string }, now = Date.now()): void {
    if (!this.feed.isCurrent(stamp, scope?.incidentId, scope?.channelId)) return; // already stale: don't keep it
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { stamp, value, incidentId: scope?.incidentId, channelId: scope?.channelId, expiresAt: now + this.ttlMs });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
