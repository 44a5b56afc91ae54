// Group commit: writes to one incident that arrive while an earlier write to it is still running wait in an
// in-process queue and then commit together, in ONE transaction holding the incident's row lock once. Fifty
// people writing into one war room then pay one BEGIN, lock, NOTIFY and COMMIT per batch instead of per
// write. Consecutive writes that are nothing but appends (notes, most status updates) go further: their
// events, posts and incident bumps are merged into one statement (appendEvent's deferred appends).
import { noteIncidentChange, transaction, type Db } from '../../store/db.ts';
import { incidentsRepo } from '../../store/incidents.repo.ts';
import { requireMayModify } from '../access.ts';
import type { Actor, DomainContext } from '../context.ts';
import { hasPrecondition } from '../preconditions.ts';
import { notFound } from '../errors.ts';
import { eventsRaiseWebhooks, recordIncidentWebhooks } from '../incident-webhooks.ts';
import { deferAppends, eventTypesAppended, flushAppends, incidentAfterAppend, resetAppended } from '../timeline/append.ts';
import { mutateIncident, type IncidentChange } from './mutate.ts';
import type { IncidentRow } from './types.ts';

export interface GroupOptions {
  /**
   * True when, for this incident, the change runs no statement but appendEvent: its appends may then be
   * held back and sent with those of its neighbours in the batch, as one statement.
   */
  appendsOnly?: (incident: IncidentRow) => boolean;
}

interface QueuedWrite {
  actor: Actor;
  change: IncidentChange<unknown>;
  options: GroupOptions;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** More writes than this wait for the next batch: keeps one transaction (and its lock) short. */
const MAX_BATCH = 64;

const queues = new WeakMap<Db, Map<string, QueuedWrite[]>>();

/**
 * Counters for tests and diagnostics: transactions that carried more than one write, those writes, and
 * batches that rolled back and ran write by write.
 */
export const groupCommitStats = { batches: 0, writes: 0, fallbacks: 0 };

/** A write's change failed inside a batch: the batch rolls back and its writes run again one by one. */
class BatchAborted extends Error {}

/**
 * Like mutateIncident (same checks, same errors, the same change callback), but shares its transaction with
 * the other writes to the incident queued meanwhile. Each write still sees the incident as the writes before
 * it left it, is checked against its own actor, and records its own outgoing webhooks; its caller is answered
 * after the shared COMMIT. A write that fails makes the batch roll back, and then every write of that batch
 * runs on its own, so one failing write never fails or changes another.
 *
 * Only for changes that write the incident row through appendEvent alone: the next write is handed the row
 * as appendEvent left it, so a change that updates the incident row some other way must use mutateIncident.
 */
export function mutateIncidentGrouped<T>(
  ctx: DomainContext,
  actor: Actor,
  incidentId: string,
  change: IncidentChange<T>,
  options: GroupOptions = {},
): Promise<T> {
  // A write with an If-Match is checked alone against the locked row (rare: the seed clients never send one).
  if (hasPrecondition('incident', incidentId)) return mutateIncident(ctx, actor, incidentId, change);
  return new Promise<T>((resolve, reject) => {
    let byIncident = queues.get(ctx.db);
    if (!byIncident) queues.set(ctx.db, (byIncident = new Map()));
    const queue = byIncident.get(incidentId);
    const write: QueuedWrite = { actor, change, options, resolve: resolve as (value: unknown) => void, reject };
    if (queue) {
      queue.push(write); // a batch for this incident is about to start or running: join it or the next
      return;
    }
    const fresh = [write];
    byIncident.set(incidentId, fresh);
    // Start after the requests already received in this turn of the event loop have queued too. This matters
    // on PGlite above all: its queries complete without yielding to I/O, so no request is read while a
    // transaction runs and only those read in the same turn can ever share one.
    setImmediate(() => void drain(ctx, byIncident, incidentId, fresh));
  });
}

async function drain(ctx: DomainContext, byIncident: Map<string, QueuedWrite[]>, incidentId: string, queue: QueuedWrite[]): Promise<void> {
  while (queue.length > 0) {
    const batch = queue.splice(0, MAX_BATCH);
    // runBatch answers every write itself; should it ever throw, the queue must still move on.
    const outcomes = await runBatch(ctx, incidentId, batch).catch((error: unknown) => batch.map((): Outcome => ({ ok: false, error })));
    batch.forEach((write, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) write.resolve(outcome.value);
      else write.reject(outcome.error);
    });
  }
  byIncident.delete(incidentId);
}

function settled<T>(promise: Promise<T>): Promise<Outcome> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

/** One outcome per write, in order. Never throws. */
async function runBatch(ctx: DomainContext, incidentId: string, batch: QueuedWrite[]): Promise<Outcome[]> {
  const alone = () => runAlone(ctx, incidentId, batch);
  if (batch.length === 1) return alone();
  let outcomes: Outcome[] = [];
  let committing = false;
  try {
    await transaction(ctx.db, async (tx) => {
      outcomes = [];
      committing = false;
      const locked = await incidentsRepo.withWriteFacts(tx, incidentId, batch.map((w) => w.actor.userId), { lock: true });
      if (!locked) throw notFound();
      noteIncidentChange(locked.incident);
      let incident: IncidentRow = locked.incident;
      let holding = false; // appends of appends-only writes are being held back (deferAppends)
      const release = async () => {
        if (!holding) return;
        holding = false;
        await flushAppends(tx);
        incident = incidentAfterAppend(tx, incidentId) ?? incident;
      };
      for (const write of batch) {
        try {
          requireMayModify(write.actor, incident, locked.facts);
        } catch (error) {
          outcomes.push({ ok: false, error }); // refused before it wrote anything: the others go on
          continue;
        }
        const appendsOnly = write.options.appendsOnly?.(incident) === true;
        if (!appendsOnly) await release(); // it may read what the held-back appends wrote
        else if (!holding) {
          deferAppends(tx, incident);
          holding = true;
        }
        resetAppended(tx);
        const sinceSeq = incident.last_event_seq;
        let value: unknown;
        try {
          value = await write.change(tx, incident, ctx.clock.now());
        } catch {
          throw new BatchAborted();
        }
        if (eventsRaiseWebhooks(eventTypesAppended(tx))) {
          await release(); // the webhook renders the incident as the database has it
          await recordIncidentWebhooks(tx, ctx, incidentId, sinceSeq);
        }
        incident = incidentAfterAppend(tx, incidentId) ?? incident;
        outcomes.push({ ok: true, value });
      }
      await release();
      committing = true;
    });
  } catch (error) {
    // The COMMIT itself failed: whether it took effect is unknown, so nothing may run twice.
    if (committing) return batch.map(() => ({ ok: false, error }));
    // Nothing of the batch was committed: every write runs again on its own and gets its own answer.
    groupCommitStats.fallbacks++;
    return alone();
  }
  groupCommitStats.batches++;
  groupCommitStats.writes += batch.length;
  return outcomes;
}

async function runAlone(ctx: DomainContext, incidentId: string, batch: QueuedWrite[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const write of batch) outcomes.push(await settled(mutateIncident(ctx, write.actor, incidentId, write.change)));
  return outcomes;
}
