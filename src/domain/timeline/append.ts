import { sql, type OperationNodeSource, type RawBuilder, type Updateable } from 'kysely';
import { newId } from '../../lib/ids.ts';
import type { Executor } from '../../store/db.ts';
import type { IncidentsTable } from '../../store/schema.ts';
import type { TimelineEventRow, TimelineEventType } from '../incidents/types.ts';

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

// Event types each open transaction appended, so mutateIncident can tell which outgoing webhooks may fire
// without reading the timeline back.
const appended = new WeakMap<Executor, Set<string>>();

/** The event types appendEvent has written through this transaction handle so far. */
export function eventTypesAppended(ex: Executor): ReadonlySet<string> {
  return appended.get(ex) ?? new Set();
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
    .returning('last_event_seq');
  const steps: RawBuilder<unknown>[] = [sql`bumped as (${bump})`];
  for (const [i, write] of (options.alongside ?? []).entries()) steps.push(sql`${sql.id(`alongside_${i}`)} as (${write})`);
  // No bumped row (the incident vanished) leaves seq null: the insert fails and the transaction with it.
  const insert = ex
    .insertInto('timeline_events')
    .values({ ...row, seq: sql<number>`(select last_event_seq from bumped)`, tags: JSON.stringify(event.tags ?? []) })
    .returning('seq');
  const result = await sql<{ seq: number }>`with ${sql.join(steps)} ${insert}`.execute(ex);
  const seq = result.rows[0]?.seq;
  if (seq === undefined) throw new Error(`appendEvent: no event written for incident ${incidentId}`);

  const types = appended.get(ex) ?? new Set<string>();
  types.add(event.type);
  appended.set(ex, types);
  return { ...row, seq, tags: event.tags ?? [], attachments: [], relevance: '' };
}
