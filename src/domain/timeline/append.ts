import { sql, type OperationNodeSource, type RawBuilder, type Updateable } from 'kysely';
import { newId } from '../../lib/ids.ts';
import type { Executor } from '../../store/db.ts';
import type { IncidentsTable } from '../../store/schema.ts';
import type { IncidentRow, TimelineEventRow, TimelineEventType } from '../incidents/types.ts';

export interface NewEvent {
  type: TimelineEventType;
  summary?: string;
  details?: string | Record<string, unknown>;
  postId?: string;
  subjectUserId?: string;
  creatorUserId: string;
  /** When the thing happened; defaults to now. */
  eventAt?: number;
  /** RPC activity attributes. */
  url?: string;
  tags?: string[];
}

export interface AppendOptions {
  /** More columns of the incident row to set in the statement that bumps its seq and version. */
  incident?: Updateable<IncidentsTable>;
  /**
   * Other writes of the same change, sent in the same statement as data-modifying CTEs. They all see the
   * snapshot taken before the statement, so they must not depend on each other's effects nor write the
   * incident row (use `incident` for that).
   */
  alongside?: OperationNodeSource[];
}

// What appendEvent wrote through each open transaction handle: the event types (so mutateIncident can tell
// which outgoing webhooks may fire without reading the timeline back) and the incident rows as it left them.
const appended = new WeakMap<Executor, { types: Set<string>; incidents: Map<string, IncidentRow> }>();

/** The event types appendEvent has written through this transaction handle so far. */
export function eventTypesAppended(ex: Executor): ReadonlySet<string> {
  return appended.get(ex)?.types ?? new Set();
}

/** Forgets what appendEvent wrote through this handle so far (a group commit's writes are told apart). */
export function resetAppended(ex: Executor): void {
  appended.delete(ex);
}

/** The incident row as the last appendEvent through this handle left it; undefined if none wrote to it. */
export function incidentAfterAppend(ex: Executor, incidentId: string): IncidentRow | undefined {
  return appended.get(ex)?.incidents.get(incidentId);
}

/**
 * Appends one timeline event and bumps the incident's version, in ONE statement: the incident update takes
 * the next seq (`last_event_seq + 1`) and the insert reads it back, together with any `alongside` writes.
 * Must run in the transaction that made the change (with the incident locked), so a change and its event
 * land together or not at all. seq is gapless per incident.
 */
export async function appendEvent(
  ex: Executor,
  incidentId: string,
  now: number,
  event: NewEvent,
  options: AppendOptions = {},
): Promise<TimelineEventRow> {
  const row = {
    id: newId(),
    incident_id: incidentId,
    event_type: event.type,
    event_at: event.eventAt ?? now,
    create_at: now,
    delete_at: 0,
    summary: event.summary ?? '',
    details: typeof event.details === 'string' ? event.details : event.details ? JSON.stringify(event.details) : '',
    post_id: event.postId ?? '',
    subject_user_id: event.subjectUserId ?? '',
    creator_user_id: event.creatorUserId,
    url: event.url ?? '',
  };
  const bump = ex
    .updateTable('incidents')
    .set((eb) => ({ ...options.incident, last_event_seq: eb('last_event_seq', '+', 1), version: eb('version', '+', 1), modified_at: now }))
    .where('id', '=', incidentId)
    .returningAll();
  const steps: RawBuilder<unknown>[] = [sql`bumped as (${bump})`];
  for (const [i, write] of (options.alongside ?? []).entries()) steps.push(sql`${sql.id(`alongside_${i}`)} as (${write})`);
  // No bumped row (the incident vanished) leaves seq null: the insert fails and the transaction with it.
  const insert = ex
    .insertInto('timeline_events')
    .values({ ...row, seq: sql<number>`(select last_event_seq from bumped)`, tags: JSON.stringify(event.tags ?? []) })
    .returning('seq');
  steps.push(sql`inserted as (${insert})`);
  // The incident row as this statement left it comes back too: a group commit hands it to the next write.
  const result = await sql<IncidentRow & { appended_seq: number }>`with ${sql.join(steps)}
    select bumped.*, inserted.seq as appended_seq from bumped cross join inserted`.execute(ex);
  const written = result.rows[0];
  if (!written) throw new Error(`appendEvent: no event written for incident ${incidentId}`);
  const { appended_seq: seq, ...incident } = written;

  const state = appended.get(ex) ?? { types: new Set<string>(), incidents: new Map<string, IncidentRow>() };
  state.types.add(event.type);
  state.incidents.set(incidentId, incident);
  appended.set(ex, state);
  return { ...row, seq, tags: event.tags ?? [], attachments: [], relevance: '' };
}
