// The audit writer. Rows of concurrent requests are batched into one multi-row INSERT (a single statement,
// so one round trip and no BEGIN/COMMIT), the way group commit batches writes to one incident: a request
// waits for its row to be stored before it is answered, but N concurrent requests cost one statement, not
// N transactions. Signed checkpoints follow every `checkpointRows` rows, every `checkpointMs` while rows
// arrive, and at close.
import type { Clock } from '../../lib/clock.ts';
import { signText, type SigningKey } from '../../lib/audit-key.ts';
import { auditRepo, type CheckpointRow } from '../../store/audit.repo.ts';
import type { Db } from '../../store/db.ts';
import { canonicalEntry, checkpointText, type AuditEntry } from './entry.ts';

interface Pending {
  row: { at: number; entry: string };
  resolve(): void;
  reject(error: unknown): void;
}

export interface AuditOptions {
  checkpointRows: number;
  checkpointMs: number;
  /** Told of every checkpoint written (the server logs it: a copy outside the database). */
  onCheckpoint?: (checkpoint: CheckpointRow) => void;
}

/** More rows than this wait for the next statement (keeps one INSERT's parameters well under 65535). */
const MAX_BATCH = 500;

export class AuditLog {
  private pending: Pending[] = [];
  private draining: Promise<void> | undefined;
  private rowsSinceCheckpoint = 0;
  private lastCheckpointAt: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    readonly key: SigningKey,
    readonly options: AuditOptions,
  ) {
    this.lastCheckpointAt = clock.now();
  }

  /** Checks for unsigned rows every `checkpointMs` (the server calls this; one-shot CLI commands do not). */
  startTimer(): void {
    this.timer = setInterval(() => void this.checkpointIfBehind().catch(() => undefined), this.options.checkpointMs);
    this.timer.unref();
  }

  /** Stores the entry in the chain; resolves once it is committed. */
  append(entry: AuditEntry): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ row: { at: entry.at, entry: canonicalEntry(entry) }, resolve, reject });
      // Start after the requests answered in this turn of the event loop have queued their rows too.
      if (!this.draining) this.draining = new Promise((done) => setImmediate(() => void this.drain().finally(done)));
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, MAX_BATCH);
      let tail: { seq: number; hash: string };
      try {
        tail = await auditRepo.append(this.db, batch.map((p) => p.row));
      } catch (error) {
        for (const p of batch) p.reject(error);
        continue;
      }
      for (const p of batch) p.resolve();
      this.rowsSinceCheckpoint += batch.length;
      if (this.rowsSinceCheckpoint >= this.options.checkpointRows || this.clock.now() - this.lastCheckpointAt >= this.options.checkpointMs) {
        await this.checkpoint(tail).catch(() => undefined); // retried with the next batch or by the timer
      }
    }
    this.draining = undefined;
  }

  /** Signs the chain's current tail, if any row is not covered by a checkpoint yet. Returns what it wrote. */
  async checkpointIfBehind(): Promise<CheckpointRow | undefined> {
    const [tail, last] = await Promise.all([auditRepo.last(this.db), auditRepo.lastCheckpoint(this.db)]);
    if (!tail || (last && last.seq >= tail.seq)) return undefined;
    return this.checkpoint(tail);
  }

  private async checkpoint(tail: { seq: number; hash: string }): Promise<CheckpointRow> {
    const at = this.clock.now();
    const signed = { seq: tail.seq, hash: tail.hash, at };
    const row: CheckpointRow = { ...signed, key_id: this.key.keyId, signature: signText(this.key, checkpointText(signed)) };
    await auditRepo.insertCheckpoint(this.db, row);
    this.rowsSinceCheckpoint = 0;
    this.lastCheckpointAt = at;
    this.options.onCheckpoint?.(row);
    return row;
  }

  /** Waits for queued rows, signs what is unsigned, stops the timer. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.draining;
    await this.checkpointIfBehind().catch(() => undefined);
  }
}
