// Key updates (Grafana KeyUpdatesService) ARE the run's status updates: a key update is a `custom_run_update`
// post, created through postStatusUpdateInTx (reminder reset, broadcast, webhooks, `status_updated` event),
// plus the RPC's own attributes in `key_updates` (title, scope, colour, format, the status and severity it
// snapshots). Status updates posted through Playbooks have no such row and read with the defaults.
import { sql } from 'kysely';
import type { Executor } from '../../store/db.ts';
import { requireVisibleIncident } from '../access.ts';
import type { Actor, DomainContext } from '../context.ts';
import { invalidInput, notFound } from '../errors.ts';
import { appendEvent } from '../timeline/append.ts';
import { postStatusUpdateInTx } from './lifecycle.ts';
import { mutateIncident } from './mutate.ts';
import type { IncidentRow } from './types.ts';

export const KEY_UPDATE_SCOPES = ['internal', 'public', 'private'] as const;
export type KeyUpdateScope = (typeof KEY_UPDATE_SCOPES)[number];
/** The format of a status update posted through Playbooks (Mattermost Markdown). */
export const POST_CONTENT_TYPE = 'text/markdown+slack';

export interface KeyUpdateProps {
  title: string | null;
  /** The text the run channel shows (Markdown or plain text). */
  message: string;
  contentType: string;
  /** The content as sent, when its format is not the message's own (e.g. Lexical JSON); '' otherwise. */
  source: string;
  statusId: string;
  severityId: string;
  scope: KeyUpdateScope;
  color: string | null;
}

export interface KeyUpdateView {
  id: string;
  incidentId: string;
  title: string | null;
  message: string;
  contentType: string;
  source: string;
  createAt: number;
  updateAt: number;
  authorId: string;
  modifiedBy: string;
  statusId: string;
  severityId: string;
  scope: KeyUpdateScope;
  color: string | null;
}

function baseQuery(ex: Executor, incident: IncidentRow) {
  return ex
    .selectFrom('posts as p')
    .leftJoin('key_updates as k', 'k.post_id', 'p.id')
    .leftJoin('severities as s', (j) => j.on('s.label', '=', incident.severity || 'pending'))
    .select([
      'p.id',
      'p.incident_id',
      'p.message',
      'p.create_at',
      'p.update_at',
      'p.user_id',
      'k.title',
      'k.content_type',
      'k.source',
      'k.scope',
      'k.color',
      'k.status_id',
      'k.severity_id',
      'k.modified_by',
      's.id as current_severity_id',
    ])
    .where('p.incident_id', '=', incident.id)
    .where('p.type', '=', 'custom_run_update')
    .where('p.delete_at', '=', 0);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

function toView(incident: IncidentRow, row: Row): KeyUpdateView {
  return {
    id: row.id,
    incidentId: row.incident_id ?? incident.id,
    title: row.title ?? null,
    message: row.message,
    contentType: row.content_type ?? POST_CONTENT_TYPE,
    source: row.source ?? '',
    createAt: row.create_at,
    updateAt: row.update_at,
    authorId: row.user_id,
    modifiedBy: row.modified_by || row.user_id,
    // Without a snapshot (posted through Playbooks): the run's state as it is now.
    statusId: row.status_id || incident.status,
    severityId: row.severity_id || row.current_severity_id || incident.severity || 'pending',
    scope: row.scope ?? 'internal',
    color: row.color ?? null,
  };
}

async function checkSnapshot(ex: Executor, props: KeyUpdateProps): Promise<void> {
  if (props.statusId && !(await ex.selectFrom('org_statuses').select('id').where('id', '=', props.statusId).executeTakeFirst())) {
    throw invalidInput('status_id', `unknown status "${props.statusId}" (send one of the organisation's statuses, or "" for the incident's own)`, 'list_statuses');
  }
  if (props.severityId && !(await ex.selectFrom('severities').select('id').where('id', '=', props.severityId).executeTakeFirst())) {
    throw invalidInput('severity_id', `unknown severity "${props.severityId}" (send one of the organisation's severities, or "" for the incident's own)`, 'list_severities');
  }
}

async function currentSeverityId(ex: Executor, incident: IncidentRow): Promise<string> {
  const row = await ex.selectFrom('severities').select('id').where('label', '=', incident.severity || 'pending').executeTakeFirst();
  return row?.id ?? (incident.severity || 'pending');
}

/** Posts a status update with the key update's attributes; both in one transaction. */
export function createKeyUpdate(ctx: DomainContext, actor: Actor, incidentId: string, props: KeyUpdateProps): Promise<KeyUpdateView> {
  return mutateIncident(ctx, actor, incidentId, async (tx, incident) => {
    await checkSnapshot(tx, props);
    const postId = await postStatusUpdateInTx(tx, ctx, actor, incident, { message: props.message, reminder: incident.reminder_seconds });
    await tx
      .insertInto('key_updates')
      .values({
        post_id: postId,
        incident_id: incident.id,
        title: props.title,
        content_type: props.contentType,
        source: props.source,
        scope: props.scope,
        color: props.color,
        status_id: props.statusId || incident.status,
        severity_id: props.severityId || (await currentSeverityId(tx, incident)),
        modified_by: actor.userId,
      })
      .execute();
    return requireKeyUpdate(tx, incident, postId);
  });
}

async function requireKeyUpdate(ex: Executor, incident: IncidentRow, id: string): Promise<KeyUpdateView> {
  const row = await baseQuery(ex, incident).where('p.id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`key update ${id} not found`);
  return toView(incident, row);
}

/** Replaces a key update's content and attributes (Go sends every field); the channel post shows the new text. */
export function updateKeyUpdate(ctx: DomainContext, actor: Actor, incidentId: string, id: string, props: KeyUpdateProps): Promise<KeyUpdateView> {
  return mutateIncident(ctx, actor, incidentId, async (tx, incident, now) => {
    const before = await requireKeyUpdate(tx, incident, id);
    await checkSnapshot(tx, props);
    await tx.updateTable('posts').set({ message: props.message, update_at: now }).where('id', '=', id).execute();
    await tx.updateTable('timeline_events').set({ summary: props.message }).where('post_id', '=', id).where('event_type', '=', 'status_updated').execute();
    const attributes = {
      title: props.title,
      content_type: props.contentType,
      source: props.source,
      scope: props.scope,
      color: props.color,
      status_id: props.statusId || before.statusId,
      severity_id: props.severityId || before.severityId,
      modified_by: actor.userId,
    };
    await tx
      .insertInto('key_updates')
      .values({ post_id: id, incident_id: incident.id, ...attributes })
      .onConflict((oc) => oc.column('post_id').doUpdateSet(attributes))
      .execute();
    await appendEvent(tx, incident.id, now, { type: 'status_update_edited', summary: 'A status update was edited', details: { post_id: id }, creatorUserId: actor.userId });
    return requireKeyUpdate(tx, incident, id);
  });
}

/** Deletes a key update: the post is marked deleted and its timeline item drops out of both APIs' timelines. */
export function deleteKeyUpdate(ctx: DomainContext, actor: Actor, incidentId: string, id: string): Promise<void> {
  return mutateIncident(ctx, actor, incidentId, async (tx, incident, now) => {
    await requireKeyUpdate(tx, incident, id);
    await tx.updateTable('posts').set({ delete_at: now, update_at: now }).where('id', '=', id).execute();
    await tx.updateTable('timeline_events').set({ delete_at: now }).where('post_id', '=', id).where('event_type', '=', 'status_updated').execute();
    await appendEvent(tx, incident.id, now, { type: 'status_update_deleted', summary: 'A status update was deleted', details: { post_id: id }, creatorUserId: actor.userId });
  });
}

export async function getKeyUpdate(ex: Executor, actor: Actor, incidentId: string, id: string): Promise<KeyUpdateView> {
  const incident = await requireVisibleIncident(ex, actor, incidentId);
  return requireKeyUpdate(ex, incident, id);
}

/** The first and the last key update (null when there are none), and how many there are. */
export async function keyUpdateEnds(ex: Executor, actor: Actor, incidentId: string): Promise<{ first: KeyUpdateView | null; last: KeyUpdateView | null; count: number }> {
  const incident = await requireVisibleIncident(ex, actor, incidentId);
  const rows = await baseQuery(ex, incident).orderBy('p.create_at').orderBy('p.id').execute();
  const first = rows[0];
  const last = rows[rows.length - 1];
  return { first: first ? toView(incident, first) : null, last: last ? toView(incident, last) : null, count: rows.length };
}

export interface KeyUpdatesPage {
  incidentId: string;
  limit: number;
  offset: number;
  direction: 'ASC' | 'DESC';
  orderField: 'createdTime' | 'modifiedTime' | 'title';
  scope: KeyUpdateScope | '';
}

/** One page of an incident's key updates; `hasMore` when another page follows. */
export async function queryKeyUpdates(ex: Executor, actor: Actor, page: KeyUpdatesPage): Promise<{ updates: KeyUpdateView[]; hasMore: boolean }> {
  const incident = await requireVisibleIncident(ex, actor, page.incidentId);
  const direction = page.direction === 'ASC' ? 'asc' : 'desc';
  const column = page.orderField === 'modifiedTime' ? 'p.update_at' : page.orderField === 'title' ? sql`coalesce(k.title, '')` : 'p.create_at';
  let query = baseQuery(ex, incident).orderBy(column, direction).orderBy('p.id', direction).limit(page.limit + 1).offset(page.offset);
  if (page.scope) query = query.where(sql<string>`coalesce(k.scope, 'internal')`, '=', page.scope);
  const rows = await query.execute();
  return { updates: rows.slice(0, page.limit).map((r) => toView(incident, r)), hasMore: rows.length > page.limit };
}
