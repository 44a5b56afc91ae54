import { sql, type Insertable, type OperationNodeSource, type RawBuilder } from 'kysely';
import { json, type Executor } from '../../store/db.ts';
import type { ChannelsTable, ChecklistItemsTable, ChecklistsTable, IncidentsTable } from '../../store/schema.ts';
import { eventColumns, type NewEvent } from '../timeline/append.ts';
import type { ChecklistRow, IncidentRow, ItemRow, LabelRow, TimelineEventRow } from './types.ts';

/** What a declaration writes at once; ids are chosen by the caller. */
export interface DeclarationWrite {
  now: number;
  /** A new war room, or undefined when the incident takes over an existing channel (`incident.channel_id`). */
  room: Insertable<ChannelsTable> | undefined;
  /** Channel members to add, in join order; a user listed twice keeps the first entry, as with one insert each. */
  members: Array<{ userId: string; isAdmin: boolean }>;
  /** The incident row; `last_event_seq`, `version` and `modified_at` are set here from `events`. */
  incident: Omit<Insertable<IncidentsTable>, 'last_event_seq' | 'version' | 'modified_at'>;
  checklists: Array<Insertable<ChecklistsTable>>;
  items: Array<Insertable<ChecklistItemsTable>>;
  labels: string[];
  /** Bot messages in the incident's channel. */
  posts: Array<{ id: string; userId: string; message: string }>;
  /** The first timeline events, in order (seq 1, 2, …). */
  events: NewEvent[];
}

/** The rows the declaration wrote, each list in the order loadDetails reads it. */
export interface DeclaredRows {
  incident: IncidentRow;
  checklists: ChecklistRow[];
  items: ItemRow[];
  timeline: TimelineEventRow[];
  /** Members added who are people (bots excluded). */
  participantIds: string[];
  labels: LabelRow[];
}

/**
 * Writes a new incident in one statement: war room, members (with their join history), incident,
 * checklists and items, labels, bot posts and the first timeline events, as data-modifying CTEs.
 * Foreign keys are checked at the end of the statement, so children may reference rows inserted beside them.
 * The events get seq 1..n and the incident `last_event_seq = n`, `version = 1 + n`, `modified_at = now`:
 * exactly what n appendEvent calls on the new row would leave. Returns the rows as written, so the caller
 * need not read them back.
 */
export async function insertDeclaration(ex: Executor, write: DeclarationWrite): Promise<DeclaredRows> {
  const steps: RawBuilder<unknown>[] = [];
  const step = (name: string, query: OperationNodeSource) => steps.push(sql`${sql.id(name)} as (${query})`);
  if (write.room) step('room', ex.insertInto('channels').values(write.room));
  const members = memberSteps(ex, write, step, steps);
  step(
    'incident',
    ex
      .insertInto('incidents')
      .values({ ...write.incident, last_event_seq: write.events.length, version: 1 + write.events.length, modified_at: write.now })
      .returningAll(),
  );
  if (write.checklists.length > 0) step('lists', ex.insertInto('checklists').values(write.checklists).returningAll());
  if (write.items.length > 0) step('items', ex.insertInto('checklist_items').values(write.items).returningAll());
  const labels = labelSteps(ex, write, step, steps);
  if (write.posts.length > 0) step('posts', ex.insertInto('posts').values(write.posts.map((p) => postRow(write, p))));
  if (write.events.length > 0) {
    step('events', ex.insertInto('timeline_events').values(write.events.map((e, i) => eventRow(write.incident.id, i + 1, write.now, e))).returningAll());
  }
  return readWritten(ex, steps, { lists: write.checklists.length > 0, items: write.items.length > 0, events: write.events.length > 0, labels: labels > 0, members: members > 0 });
}

type Step = (name: string, query: OperationNodeSource) => void;

/** Channel members (first entry of each user), and a join-history row for those actually added. Returns how many. */
function memberSteps(ex: Executor, write: DeclarationWrite, step: Step, steps: RawBuilder<unknown>[]): number {
  const members = firstOfEach(write.members, (m) => m.userId);
  if (members.length === 0) return 0;
  step(
    'joined',
    ex
      .insertInto('channel_members')
      .values(members.map((m) => ({ channel_id: write.incident.channel_id, user_id: m.userId, joined_at: write.now, is_admin: m.isAdmin })))
      .onConflict((oc) => oc.doNothing())
      .returning(['channel_id', 'user_id', 'joined_at']),
  );
  // Only those actually added get a history row, as channelsRepo.addMember does.
  steps.push(sql`joined_history as (insert into channel_member_history (channel_id, user_id, join_time, leave_time)
    select channel_id, user_id, ${write.now}::bigint, null from joined on conflict do nothing)`);
  return members.length;
}

/** The incident's labels, each also a value of the catalogue's built-in `tags` key (FieldsService, GetLabels). Returns how many. */
function labelSteps(ex: Executor, write: DeclarationWrite, step: Step, steps: RawBuilder<unknown>[]): number {
  const labels = [...new Set(write.labels)];
  if (labels.length === 0) return 0;
  step(
    'labels',
    ex
      .insertInto('incident_labels')
      .values(labels.map((label) => ({ incident_id: write.incident.id, label, create_at: write.now })))
      .onConflict((oc) => oc.doNothing())
      .returningAll(),
  );
  const rows = sql.join(labels.map((label, i) => sql`(${label}::text, ${i + 1}::int)`));
  steps.push(sql`label_catalogue as (insert into custom_field_options (id, field_id, value, label, position, create_at)
    select 'tags-' || md5(lower(v)), 'tags', v, v, (select coalesce(max(position), 0) from custom_field_options where field_id = 'tags') + ord, ${write.now}::bigint
    from (values ${rows}) as t(v, ord) on conflict do nothing)`);
  return labels.length;
}

function postRow(write: DeclarationWrite, p: DeclarationWrite['posts'][number]) {
  const { now } = write;
  return { id: p.id, channel_id: write.incident.channel_id, user_id: p.userId, message: p.message, type: '', props: json({}), incident_id: write.incident.id, root_id: '', create_at: now, update_at: now };
}

/** Runs the statement; the written rows come back as JSON lists, ordered as loadDetails orders them (in the database's collation). */
async function readWritten(
  ex: Executor,
  steps: RawBuilder<unknown>[],
  present: { lists: boolean; items: boolean; events: boolean; labels: boolean; members: boolean },
): Promise<DeclaredRows> {
  const written = (cte: string, wrote: boolean, orderBy: string) =>
    wrote ? sql`(select coalesce(json_agg(w order by ${sql.raw(orderBy)}), '[]') from ${sql.table(cte)} w)` : sql`'[]'::json`;
  const participants = present.members
    ? sql`(select coalesce(json_agg(w.user_id order by w.joined_at, w.user_id), '[]') from joined w join users u on u.id = w.user_id where not u.is_bot)`
    : sql`'[]'::json`;
  const result = await sql<IncidentRow & WrittenLists>`with ${sql.join(steps)}
    select incident.*,
      ${written('lists', present.lists, 'w.position')} as written_checklists,
      ${written('items', present.items, 'w.position')} as written_items,
      ${written('events', present.events, 'w.event_at, w.seq')} as written_timeline,
      ${written('labels', present.labels, 'w.create_at, w.label')} as written_labels,
      ${participants} as written_participants
    from incident`.execute(ex);
  const row = result.rows[0];
  if (!row) throw new Error('the declaration wrote no incident');
  const { written_checklists, written_items, written_timeline, written_labels, written_participants, ...incident } = row;
  return { incident, checklists: written_checklists, items: written_items, timeline: written_timeline, participantIds: written_participants, labels: written_labels };
}

interface WrittenLists {
  written_checklists: ChecklistRow[];
  written_items: ItemRow[];
  written_timeline: TimelineEventRow[];
  written_labels: LabelRow[];
  written_participants: string[];
}

/** The timeline row appendEvent writes for `event` at `seq`. */
function eventRow(incidentId: string, seq: number, now: number, event: NewEvent) {
  return { ...eventColumns(incidentId, now, event), seq, tags: JSON.stringify(event.tags ?? []) };
}

function firstOfEach<T>(list: T[], key: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of list) if (!byKey.has(key(item))) byKey.set(key(item), item);
  return [...byKey.values()];
}
