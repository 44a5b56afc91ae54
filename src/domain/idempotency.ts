// Idempotency-Key on the create endpoints (POST /runs, CreateIncident, the intake URLs). The key travels with
// the request's async context (like If-Match) and is claimed inside the create's own transaction, so the key
// record and the incident commit together or not at all. A concurrent repeat waits on the claim's INSERT
// until the first commits, then answers the incident it made: it never declares a second one.
import { AsyncLocalStorage } from 'node:async_hooks';
import { idempotencyRepo } from '../store/intake.repo.ts';
import type { Executor, Tx } from '../store/db.ts';
import { unprocessable } from './errors.ts';

/** How long a key is remembered; after it, the same key starts a new create. Published in the README. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

export interface IdempotencyRequest {
  /** Whose keys these are: one API token, login session or integration. */
  scope: string;
  key: string;
  /** A digest of what was asked (route and body): the same key with another request is refused. */
  requestHash: string;
  /** Set by the create: true when it answered an earlier request's incident. */
  replayed?: boolean;
}

const current = new AsyncLocalStorage<IdempotencyRequest>();

/** Runs `fn` with the request's Idempotency-Key: a create made meanwhile claims it. */
export function withIdempotencyKey<T>(request: IdempotencyRequest, fn: () => T): T {
  return current.run(request, fn);
}

/** The running request's Idempotency-Key, if it sent one. */
export function currentIdempotencyKey(): IdempotencyRequest | undefined {
  return current.getStore();
}

/**
 * Claims the running request's key in the create's transaction. Answers the incident id of an earlier create
 * under the same key and request (the caller then answers that incident and does nothing else), or undefined:
 * go on and create, then `completeIdempotencyKey`. The same key with another request is a 422.
 */
export async function claimIdempotencyKey(tx: Tx, now: number): Promise<string | undefined> {
  const want = current.getStore();
  if (!want) return undefined;
  await idempotencyRepo.expire(tx, now - IDEMPOTENCY_KEY_TTL_MS);
  const claimed = await idempotencyRepo.claim(tx, { scope: want.scope, key: want.key, request_hash: want.requestHash, create_at: now });
  if (claimed) return undefined;
  const earlier = await idempotencyRepo.get(tx, want.scope, want.key);
  if (!earlier) return undefined; // expired by a concurrent request between the two statements: create
  if (earlier.request_hash !== want.requestHash) {
    throw unprocessable('this Idempotency-Key was already used for a different request; use a new key', 'Idempotency-Key');
  }
  want.replayed = true;
  return earlier.incident_id;
}

/**
 * Before any transaction: the incident an earlier, committed create made under the running request's key and
 * request, or undefined (no key, none yet, expired, or still in flight: then claim in the transaction). Lets
 * the repeats of a retry storm answer with one read instead of each opening a write transaction.
 */
export async function committedReplay(ex: Executor, now: number): Promise<string | undefined> {
  const want = current.getStore();
  if (!want) return undefined;
  const earlier = await idempotencyRepo.get(ex, want.scope, want.key);
  if (!earlier || !earlier.incident_id || earlier.create_at < now - IDEMPOTENCY_KEY_TTL_MS) return undefined;
  if (earlier.request_hash !== want.requestHash) {
    throw unprocessable('this Idempotency-Key was already used for a different request; use a new key', 'Idempotency-Key');
  }
  want.replayed = true;
  return earlier.incident_id;
}

/** Records what the claimed key created (same transaction as the claim). */
export async function completeIdempotencyKey(tx: Tx, incidentId: string): Promise<void> {
  const want = current.getStore();
  if (want && !want.replayed) await idempotencyRepo.setIncident(tx, want.scope, want.key, incidentId);
}
