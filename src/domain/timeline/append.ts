import { sql, type InsertObject, type OperationNodeSource, type RawBuilder, type Updateable } from 'kysely';
import { newId } from '../../lib/ids.ts';
import type { Executor } from '../../store/db.ts';
import type { DB, IncidentsTable } from '../../store/schema.ts';
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

/**
 * A write sent beside an event; writes with the same `key` supersede each other when appends are merged,
 * and rows inserted into the same table (`insertRow`) go out as one multi-row insert.
 */
export type AlongsideWrite = OperationNodeSource | { key: string; write: OperationNodeSource } | AlongsideRow;

/** One row to insert beside an event (values may be SQL expressions, e.g. selecting from a SharedQuery). */
export type AlongsideRow = { [T in keyof DB]: { insertRow: { into: T; values: InsertObject<DB, T> } } }[keyof DB];

function isAlongsideRow(write: AlongsideWrite): write is AlongsideRow {
  return 'insertRow' in write;
}

/**
 * A read-only query sent ahead of the alongside writes, as a CTE called `name` that they may select from.
 * Appends merged into one statement send each name once: queries sharing a name must be the same query
 * (all parts of one statement read the same snapshot, so computing it once changes no result). The names
 * `bumped`, `inserted` and `alongside_<n>` are taken.
 */
export interface SharedQuery {
  name: string;
  query: OperationNodeSource;
}

export interface AppendOptions {
  /** More columns of the incident row to set in the statement that bumps its seq and version (plain values). */
  incident?: Updateable<IncidentsTable>;
  /**
   * Other writes of the same change, sent in the same statement as data-modifying CTEs. They all see the
   * snapshot taken before the statement, so they must not depend on each other's effects nor write the
   * incident row (use `incident` for that). When a group commit merges appends into one statement, a keyed
   * write replaces an earlier one with the same key (for writes where the last one alone decides the result).
   */
  alongside?: AlongsideWrite[];
  /** Read-only queries the alongside writes select from (see SharedQuery). */
  shared?: SharedQuery[];
}

interface PendingAppend {
  row: Omit<TimelineEventRow, 'seq' | 'tags' | 'attachments' | 'relevance'>;
  tags: string[];
  now: number;
  options: AppendOptions;
}

/** One timeline append declared as data (see group-commit.ts): the event, its time and its options. */
export interface PlannedAppend {
  event: NewEvent;
  now: number;
  options?: AppendOptions;
}

// What appendEvent wrote through each open transaction handle: the event types (so mutateIncident can tell
// which outgoing webhooks may fire without reading the timeline back) and the incident rows as it left them.
// Written only here, read through the three functions below, forgotten with the handle.
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

function noteAppended(ex: Executor, types: string[], incident: IncidentRow): void {
  const state = appended.get(ex) ?? { types: new Set<string>(), incidents: new Map<string, IncidentRow>() };
  for (const type of types) state.types.add(type);
  state.incidents.set(incident.id, incident);
  appended.set(ex, state);
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
  const { events } = await appendEvents(ex, incidentId, [{ event, now, options }]);
  return events[0]!;
}

/**
 * Appends several events (in order) in ONE statement, as that many appendEvent calls would leave them:
 * how a group commit writes the appends its writes declared. Returns the events and the incident row after.
 */
export async function appendEvents(ex: Executor, incidentId: string, planned: PlannedAppend[]): Promise<{ incident: IncidentRow; events: TimelineEventRow[] }> {
  const appends: PendingAppend[] = planned.map((p) => ({ row: eventColumns(incidentId, p.now, p.event), tags: p.event.tags ?? [], now: p.now, options: p.options ?? {} }));
  const { incident } = await writeAppends(ex, incidentId, appends);
  noteAppended(ex, planned.map((p) => p.event.type), incident);
  const first = incident.last_event_seq - appends.length + 1;
  const events = appends.map((a, i) => ({ ...a.row, seq: first + i, tags: a.tags, attachments: [], relevance: '' }));
  return { incident, events };
}

/**
 * Writes `appends` (in order) in one statement: the incident row takes seq + n, version + n, the last
 * append's time and all their `incident` columns; their alongside writes run beside it; the events get the
 * n seqs. Returns the incident row as the statement left it.
 */
async function writeAppends(ex: Executor, incidentId: string, appends: PendingAppend[]): Promise<{ incident: IncidentRow }> {
  const n = appends.length;
  const last = appends[n - 1]!;
  const columns = Object.assign({}, ...appends.map((a) => a.options.incident ?? {})) as Updateable<IncidentsTable>;
  const bump = ex
    .updateTable('incidents')
    .set((eb) => ({ ...columns, last_event_seq: eb('last_event_seq', '+', n), version: eb('version', '+', n), modified_at: last.now }))
    .where('id', '=', incidentId)
    .returningAll();
  const steps: RawBuilder<unknown>[] = [sql`bumped as (${bump})`];
  const sharedNames = new Set<string>();
  for (const shared of appends.flatMap((a) => a.options.shared ?? [])) {
    if (sharedNames.has(shared.name)) continue; // the same query, sent once for the whole statement
    sharedNames.add(shared.name);
    steps.push(sql`${sql.id(shared.name)} as (${shared.query})`);
  }
  const keyed = new Map<string, number>();
  const writes = appends.flatMap((a) => a.options.alongside ?? []);
  // Rows for one table: all inserted by the statement part where the first of them stood.
  const rowsByTable = new Map<string, { first: number; rows: unknown[] }>();
  writes.forEach((w, i) => {
    if (isAlongsideRow(w)) {
      const group = rowsByTable.get(w.insertRow.into) ?? { first: i, rows: [] };
      group.rows.push(w.insertRow.values);
      rowsByTable.set(w.insertRow.into, group);
    } else if ('key' in w) keyed.set(w.key, i);
  });
  writes.forEach((w, i) => {
    let write: OperationNodeSource;
    if (isAlongsideRow(w)) {
      const group = rowsByTable.get(w.insertRow.into)!;
      if (group.first !== i) return; // inserted together with the table's first row
      write = ex.insertInto(w.insertRow.into).values(group.rows as never);
    } else if ('key' in w) {
      if (keyed.get(w.key) !== i) return; // superseded by a later write with the same key
      write = w.write;
    } else write = w;
    steps.push(sql`${sql.id(`alongside_${i}`)} as (${write})`);
  });
  // No bumped row (the incident vanished) leaves seq null: the insert fails and the transaction with it.
  const insert = ex
    .insertInto('timeline_events')
    .values(
      appends.map((a, i) => ({
        ...a.row,
        seq: sql<number>`(select last_event_seq from bumped) - ${n - 1 - i}::int`,
        tags: JSON.stringify(a.tags),
      })),
    )
    .returning('seq');
  steps.push(sql`inserted as (${insert})`);
  // The incident row as this statement left it comes back too: a group commit hands it to the next write.
  const result = await sql<IncidentRow & { appended: number }>`with ${sql.join(steps)}
    select bumped.*, (select count(*) from inserted)::int as appended from bumped`.execute(ex);
  const written = result.rows[0];
  if (!written || written.appended !== n) throw new Error(`appendEvent: the events for incident ${incidentId} were not written`);
  const { appended: _count, ...incident } = written;
  return { incident };
}

/** A new timeline row's columns for `event`, except `seq` and `tags`, which each writer adds its own way. */
export function eventColumns(incidentId: string, now: number, event: NewEvent) {
  return {
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
}
