// Group commit: writes to one incident that arrive while an earlier write to it is still running wait in an
// in-process queue and then commit together, in ONE transaction holding the incident's row lock once. Fifty
// people writing into one war room then pay one BEGIN, lock, NOTIFY and COMMIT per batch instead of per
// write. A write says what it does when the batch reaches it (its plan): either appends declared as data
// (notes, most status updates), which the batch merges with its neighbours' into one statement, or a change
// that runs in the batch's transaction, in order, after everything before it has been written.
import { noteIncidentChange, transaction, type Db, type Tx } from '../../store/db.ts';
import { incidentsRepo } from '../../store/incidents.repo.ts';
import { requireMayModify } from '../access.ts';
import type { Actor, DomainContext } from '../context.ts';
import { hasPrecondition } from '../preconditions.ts';
import { notFound } from '../errors.ts';
import { eventsRaiseWebhooks, recordIncidentWebhooks } from '../incident-webhooks.ts';
import { appendEvents, eventTypesAppended, incidentAfterAppend, resetAppended, type PlannedAppend } from '../timeline/append.ts';
import { mutateIncident, type IncidentChange } from './mutate.ts';
import type { IncidentRow, TimelineEventRow } from './types.ts';

/** A write that is nothing but timeline appends, declared as data: it runs no statement of its own. */
export interface AppendsOnly<T> {
  appends: PlannedAppend[];
  /** The write's answer, from its events as written. */
  result(events: TimelineEventRow[]): T;
}

/**
 * What a grouped write does, decided from the incident as the writes before it left it (after the access
 * check). Throwing refuses this write alone. It is given no transaction: a plan cannot run a statement.
 */
export type GroupedPlan<T> = (incident: IncidentRow, now: number) => AppendsOnly<T> | IncidentChange<T>;

interface QueuedWrite {
  actor: Actor;
  plan: GroupedPlan<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

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
 * Like mutateIncident (same checks, same errors), but shares its transaction with the other writes to the
 * incident queued meanwhile. Each write is planned against the incident as the writes before it left it, is
 * checked against its own actor, and records its own outgoing webhooks; its caller is answered after the
 * shared COMMIT. A change that fails makes the batch roll back, and then every write of that batch runs on
 * its own, so one failing write never fails or changes another.
 */
export function mutateIncidentGrouped<T>(ctx: DomainContext, actor: Actor, incidentId: string, plan: GroupedPlan<T>): Promise<T> {
  // A write with an If-Match is checked alone against the locked row (rare: the seed clients never send one).
  if (hasPrecondition('incident', incidentId)) return alone(ctx, incidentId, { actor, plan: plan as GroupedPlan<unknown> }) as Promise<T>;
  return new Promise<T>((resolve, reject) => {
    let byIncident = queues.get(ctx.db);
    if (!byIncident) queues.set(ctx.db, (byIncident = new Map()));
    const queue = byIncident.get(incidentId);
    const write: QueuedWrite = { actor, plan, resolve: resolve as (value: unknown) => void, reject };
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

/** A plan run as one write on its own transaction handle (mutateIncident records its webhooks). */
export async function runPlanned<T>(tx: Tx, plan: AppendsOnly<T> | IncidentChange<T>, incident: IncidentRow, now: number): Promise<T> {
  if (typeof plan === 'function') return plan(tx, incident, now);
  return plan.result((await appendEvents(tx, incident.id, plan.appends)).events);
}

function alone(ctx: DomainContext, incidentId: string, write: { actor: Actor; plan: GroupedPlan<unknown> }): Promise<unknown> {
  return mutateIncident(ctx, write.actor, incidentId, (tx, incident, now) => runPlanned(tx, write.plan(incident, now), incident, now));
}

/** One outcome per write, in order. Never throws. */
export async function runBatch(ctx: DomainContext, incidentId: string, batch: Array<{ actor: Actor; plan: GroupedPlan<unknown> }>): Promise<Outcome[]> {
  const runAlone = async () => {
    const outcomes: Outcome[] = [];
    for (const write of batch) outcomes.push(await settled(alone(ctx, incidentId, write)));
    return outcomes;
  };
  if (batch.length === 1) return runAlone();
  const attempt = new BatchAttempt(ctx, incidentId, batch);
  try {
    await transaction(ctx.db, (tx) => attempt.run(tx));
  } catch (error) {
    // The COMMIT itself failed: whether it took effect is unknown, so nothing may run twice.
    if (attempt.committing) return batch.map(() => ({ ok: false, error }));
    // Nothing of the batch was committed: every write runs again on its own and gets its own answer.
    groupCommitStats.fallbacks++;
    return runAlone();
  }
  groupCommitStats.batches++;
  groupCommitStats.writes += batch.length;
  return attempt.outcomes;
}

/** Plain column values only: then the incident row after an append can be known before it is written. */
function isPlainValue(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}

/** One try at running a batch in one transaction (run again from scratch if the transaction is retried). */
class BatchAttempt {
  outcomes: Outcome[] = [];
  committing = false;
  private tx!: Tx;
  private incident!: IncidentRow;
  /** Appends-only writes not yet written: their appends go out together in one statement. */
  private held: Array<{ index: number; write: AppendsOnly<unknown> }> = [];

  constructor(
    private readonly ctx: DomainContext,
    private readonly incidentId: string,
    private readonly batch: Array<{ actor: Actor; plan: GroupedPlan<unknown> }>,
  ) {}

  async run(tx: Tx): Promise<void> {
    Object.assign(this, { tx, outcomes: [], committing: false, held: [] });
    const locked = await incidentsRepo.withWriteFacts(tx, this.incidentId, this.batch.map((w) => w.actor.userId), { lock: true });
    if (!locked) throw notFound();
    noteIncidentChange(locked.incident);
    this.incident = locked.incident;
    for (const [index, write] of this.batch.entries()) {
      let plan: AppendsOnly<unknown> | IncidentChange<unknown>;
      try {
        requireMayModify(write.actor, this.incident, locked.facts);
        plan = write.plan(this.incident, this.ctx.clock.now());
      } catch (error) {
        this.outcomes[index] = { ok: false, error }; // refused before it wrote anything: the others go on
        continue;
      }
      if (typeof plan === 'function') await this.change(index, plan);
      else await this.hold(index, plan);
    }
    await this.release();
    this.committing = true;
  }

  /** A change: runs after everything before it is written, and may write anything in the transaction. */
  private async change(index: number, change: IncidentChange<unknown>): Promise<void> {
    await this.release();
    resetAppended(this.tx);
    const sinceSeq = this.incident.last_event_seq;
    let value: unknown;
    try {
      value = await change(this.tx, this.incident, this.ctx.clock.now());
    } catch {
      throw new BatchAborted();
    }
    this.incident = incidentAfterAppend(this.tx, this.incidentId) ?? this.incident;
    if (eventsRaiseWebhooks(eventTypesAppended(this.tx))) await recordIncidentWebhooks(this.tx, this.ctx, this.incidentId, sinceSeq);
    this.outcomes[index] = { ok: true, value };
  }

  /** Appends as data: held back, and the next write planned against the row they will leave. */
  private async hold(index: number, write: AppendsOnly<unknown>): Promise<void> {
    const sinceSeq = this.incident.last_event_seq;
    this.held.push({ index, write });
    for (const { now, options } of write.appends) {
      this.incident = { ...this.incident, ...(options?.incident as Partial<IncidentRow>), last_event_seq: this.incident.last_event_seq + 1, version: this.incident.version + 1, modified_at: now };
    }
    const plain = write.appends.every((a) => Object.values(a.options?.incident ?? {}).every(isPlainValue));
    const raisesWebhooks = eventsRaiseWebhooks(write.appends.map((a) => a.event.type));
    if (!plain || raisesWebhooks) await this.release(); // the row is then read back, not computed
    // The webhook renders the incident as the database has it, so only after the appends are written.
    if (raisesWebhooks) await recordIncidentWebhooks(this.tx, this.ctx, this.incidentId, sinceSeq);
  }

  /** Writes the held appends in one statement and answers their writes. */
  private async release(): Promise<void> {
    if (this.held.length === 0) return;
    const held = this.held;
    this.held = [];
    const { incident, events } = await appendEvents(this.tx, this.incidentId, held.flatMap((h) => h.write.appends));
    this.incident = incident;
    let next = 0;
    for (const { index, write } of held) {
      const own = events.slice(next, (next += write.appends.length));
      this.outcomes[index] = await settled(Promise.resolve().then(() => write.result(own)));
    }
  }
}

function settled<T>(promise: Promise<T>): Promise<Outcome> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}
