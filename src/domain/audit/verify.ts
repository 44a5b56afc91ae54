// Verification reads the chain from the database and recomputes every hash here, independently of the
// trigger that wrote it: a row edited with the trigger disabled, a row removed from the middle, or a tail cut
// off behind the last signed checkpoint is reported, naming the first bad seq.
import { verifyText, type SigningKey } from '../../lib/audit-key.ts';
import { auditRepo, type AuditRow, type CheckpointRow } from '../../store/audit.repo.ts';
import type { Executor } from '../../store/db.ts';
import { chainHash, checkpointText, GENESIS_HASH } from './entry.ts';

export interface AuditProblem {
  /** The first bad row (or the checkpoint's seq for a checkpoint problem). */
  seq: number;
  problem: string;
}

export interface AuditReport {
  ok: boolean;
  rows: number;
  lastSeq: number;
  lastHash: string;
  checkpoints: number;
  /** Checkpoints signed by another key than the configured one: their hashes are checked, not their signatures. */
  foreignCheckpoints: number;
  problem?: AuditProblem;
}

const PAGE = 2000;

/** What is wrong with one row, given the row before it; undefined when it chains correctly. */
function rowProblem(row: AuditRow, expectedSeq: number, prevHash: string): string | undefined {
  if (row.seq !== expectedSeq) return `expected seq ${expectedSeq} next but found ${row.seq}: rows ${expectedSeq}..${row.seq - 1} are missing`;
  if (row.prev_hash !== prevHash) return `prev_hash ${row.prev_hash} is not the hash of the row before (${prevHash})`;
  if (chainHash(row.prev_hash, row.seq, row.entry) !== row.hash) return 'hash does not match its entry: the row was changed after it was written';
  let at: unknown;
  try {
    at = (JSON.parse(row.entry) as { at?: unknown }).at;
  } catch {
    return 'entry is not JSON';
  }
  if (at !== row.at) return `column at (${row.at}) differs from the hashed entry's (${String(at)})`;
  return undefined;
}

function checkpointProblem(key: SigningKey, checkpoint: CheckpointRow, hashAt: Map<number, string>, lastSeq: number): string | undefined {
  if (checkpoint.key_id === key.keyId && !verifyText(key, checkpointText(checkpoint), checkpoint.signature)) {
    return 'checkpoint signature does not verify with the audit key';
  }
  if (checkpoint.seq > lastSeq) {
    return `the log ends at seq ${lastSeq} but a checkpoint signed at ${new Date(checkpoint.at).toISOString()} covers seq ${checkpoint.seq}: the tail was removed`;
  }
  if (hashAt.get(checkpoint.seq) !== checkpoint.hash) return `row ${checkpoint.seq} no longer has the hash its checkpoint signed`;
  return undefined;
}

export async function verifyAuditLog(ex: Executor, key: SigningKey): Promise<AuditReport> {
  const checkpoints = await auditRepo.checkpoints(ex);
  const wanted = new Set(checkpoints.map((c) => c.seq));
  const hashAt = new Map<number, string>();
  let prevHash = GENESIS_HASH;
  let lastSeq = 0;
  let rows = 0;
  const report = (problem?: AuditProblem): AuditReport => ({
    ok: problem === undefined,
    rows,
    lastSeq,
    lastHash: prevHash,
    checkpoints: checkpoints.length,
    foreignCheckpoints: checkpoints.filter((c) => c.key_id !== key.keyId).length,
    ...(problem ? { problem } : {}),
  });
  for (;;) {
    const page = await auditRepo.page(ex, lastSeq, PAGE);
    for (const row of page) {
      const problem = rowProblem(row, lastSeq + 1, prevHash);
      if (problem) return report({ seq: row.seq === lastSeq + 1 ? row.seq : lastSeq + 1, problem });
      if (wanted.has(row.seq)) hashAt.set(row.seq, row.hash);
      prevHash = row.hash;
      lastSeq = row.seq;
      rows++;
    }
    if (page.length < PAGE) break;
  }
  for (const checkpoint of checkpoints) {
    const problem = checkpointProblem(key, checkpoint, hashAt, lastSeq);
    if (problem) return report({ seq: checkpoint.seq > lastSeq ? lastSeq + 1 : checkpoint.seq, problem });
  }
  return report();
}
