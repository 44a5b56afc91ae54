import { randomBytes } from 'node:crypto';
import type { ChangeFeed, ChangeSet } from '../../domain/store-types.ts';

/** One entry of the live stream: the incidents a commit changed, or null for "anything may have changed". */
export interface LoggedChange {
  seq: number;
  incidents: string[] | null;
}

/** How many recent changes a reconnecting browser can catch up on; older than that, it is told to reload all. */
const KEEP = 1024;

/**
 * A bounded, numbered log of the change feed for the SSE streams. Event ids are `<epoch>.<seq>`: the epoch
 * is fresh per process, so a `Last-Event-ID` from before a restart (or from another instance) is recognised
 * as unknown and answered with a full reset instead of a silent gap.
 */
export class ChangeLog {
  readonly epoch = randomBytes(6).toString('hex');
  private seq = 0;
  private entries: LoggedChange[] = [];
  private listeners = new Set<(change: LoggedChange) => void>();
  private readonly unsubscribe: () => void;

  constructor(feed: ChangeFeed) {
    this.unsubscribe = feed.subscribe((changes) => this.add(changes));
  }

  private add(changes: ChangeSet): void {
    const change: LoggedChange = { seq: ++this.seq, incidents: changes.everything ? null : [...changes.incidents.keys()] };
    this.entries.push(change);
    if (this.entries.length > KEEP) this.entries.splice(0, this.entries.length - KEEP);
    for (const listener of this.listeners) listener(change);
  }

  eventId(seq: number): string {
    return `${this.epoch}.${seq}`;
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** The changes after `lastEventId`, or null when they cannot all be given (unknown epoch, or too old). */
  since(lastEventId: string): LoggedChange[] | null {
    const [epoch, raw] = lastEventId.split('.');
    const seq = Number(raw);
    if (epoch !== this.epoch || !Number.isInteger(seq) || seq < 0 || seq > this.seq) return null;
    if (seq === this.seq) return [];
    const first = this.entries[0];
    if (!first || first.seq > seq + 1) return null;
    return this.entries.filter((e) => e.seq > seq);
  }

  listen(listener: (change: LoggedChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.unsubscribe();
    this.listeners.clear();
  }
}
