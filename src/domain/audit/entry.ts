import crypto from 'node:crypto';
import canonicalize from 'canonicalize';

/** What one audit row says happened. Facades and the CLI fill it; no wire shape beyond these fields. */
export interface AuditEntry {
  /** Epoch milliseconds when the call was answered. */
  at: number;
  /** `user:<id>`, `anonymous` (no valid credentials), `system`, or `cli:<OS user>`. */
  actor: string;
  /** `<METHOD> <route template>`, `rpc <Service.Method>` or `cli <command>`. */
  action: string;
  /** The ids the call named or created (route parameters, RPC `...ID` fields, the created id). */
  targets: Record<string, string>;
  /** The HTTP status answered, or the CLI's exit code. */
  status: number;
  /** The server's request id, or the CLI's process id. */
  request_id: string;
  /** The caller's address (HTTP only). */
  address?: string;
}

/** Format of the hashed text; bumped if fields change meaning. */
const ENTRY_VERSION = 1;

/** The canonical JSON (RFC 8785) of an entry: the exact text stored and hashed. */
export function canonicalEntry(entry: AuditEntry): string {
  return canonicalize({ v: ENTRY_VERSION, ...entry })!;
}

/** The first row's prev_hash: 32 zero bytes. */
export const GENESIS_HASH = '0'.repeat(64);

/** sha256(prev_hash ‖ seq as 8 bytes big-endian ‖ UTF-8 entry): what the database trigger computes. */
export function chainHash(prevHash: string, seq: number, entry: string): string {
  const seqBytes = Buffer.alloc(8);
  seqBytes.writeBigInt64BE(BigInt(seq));
  return crypto.createHash('sha256').update(Buffer.from(prevHash, 'hex')).update(seqBytes).update(entry, 'utf8').digest('hex');
}

/** The text a checkpoint's signature covers. */
export function checkpointText(checkpoint: { seq: number; hash: string; at: number }): string {
  return canonicalize({ at: checkpoint.at, hash: checkpoint.hash, seq: checkpoint.seq })!;
}
