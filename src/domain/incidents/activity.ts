// Activity of an incident (Grafana's activity items) = its timeline events. Notes are the one kind of item
// people write; every other item records a change and is immutable. Editing a note edits that event in
// place: the event is the history, so no second event is appended, but the incident's version and
// modified time are bumped (pollers of GetIncidentVersion must see the change).
import { sql } from 'kysely';
import type { Executor, Tx } from '../../store/db.ts';
import { requireVisibleIncident } from '../access.ts';
import type { Actor, DomainContext } from '../context.ts';
import { invalidInput, notFound } from '../errors.ts';
import { mutateIncidentGrouped } from './group-commit.ts';
import { mutateIncident } from './mutate.ts';
import type { TimelineEventRow } from './types.ts';

export const MAX_NOTE_LENGTH = 65536;
export const DEFAULT_ACTIVITY_LIMIT = 50;
export const MAX_ACTIVITY_LIMIT = 100;

/** Event types people wrote (an RPC note, a post added to the timeline): the only ones that may be edited or removed. */
const NOTE_TYPES: readonly string[] = ['user_note', 'event_from_post'];

export function isNote(event: TimelineEventRow): boolean {
  return NOTE_TYPES.includes(event.event_type);
}

function requireBody(body: string): string {
  if (!body.trim()) throw invalidInput('note', 'must not be blank');
  if (body.length > MAX_NOTE_LENGTH) throw invalidInput('note', `must be at most ${MAX_NOTE_LENGTH} characters`);
  return body;
}

/** The first http(s) URL in a text, without trailing punctuation; '' if there is none. */
export function firstUrl(text: string): string {
  const match = /\bhttps?:\/\/[^\s<>"'`]+/i.exec(text);
  return match ? match[0].replace(/[.,;:!?)\]}]+$/, '') : '';
}

async function bumpVersion(tx: Tx, incidentId: string, now: number): Promise<void> {
  await tx
    .updateTable('incidents')
    .set((eb) => ({ version: eb('version', '+', 1), modified_at: now }))
    .where('id', '=', incidentId)
    .execute();
}

async function liveEvent(tx: Tx, incidentId: string, eventId: string): Promise<TimelineEventRow> {
  const event = await tx
    .selectFrom('timeline_events')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('id', '=', eventId)
    .where('delete_at', '=', 0)
    .executeTakeFirst();
  if (!event) throw notFound('activity item not found');
  return event;
}

function requireNote(event: TimelineEventRow): void {
  if (!isNote(event)) {
    throw invalidInput('activity_item', 'the activity item is immutable (only user notes can be changed or removed)');
  }
}

/** Adds a note to the incident's timeline; `eventAt` defaults to now. The first URL in the body is kept as its link. */
export function addNote(ctx: DomainContext, actor: Actor, incidentId: string, props: { body: string; eventAt?: number | undefined }): Promise<TimelineEventRow> {
  return mutateIncidentGrouped(ctx, actor, incidentId, (_incident, now) => {
    const body = requireBody(props.body);
    const event = { type: 'user_note' as const, summary: body, url: firstUrl(body), creatorUserId: actor.userId, eventAt: props.eventAt ?? now };
    return { appends: [{ event, now }], result: ([note]) => note! };
  });
}

/** Replaces a note's text (and its link). Same text: nothing is written. */
export function updateNoteBody(ctx: DomainContext, actor: Actor, incidentId: string, eventId: string, rawBody: string): Promise<TimelineEventRow> {
  return mutateIncident(ctx, actor, incidentId, async (tx, incident, now) => {
    const event = await liveEvent(tx, incident.id, eventId);
    requireNote(event);
    const body = requireBody(rawBody);
    if (event.summary === body) return event;
    const updated = await tx
      .updateTable('timeline_events')
      .set({ summary: body, url: firstUrl(body) })
      .where('id', '=', event.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await bumpVersion(tx, incident.id, now);
    return updated;
  });
}

/** Moves any activity item on the timeline; `eventAt` undefined puts it back at the time it was created. */
export function updateEventTime(
  ctx: DomainContext,
  actor: Actor,
  incidentId: string,
  eventId: string,
  eventAt: number | undefined,
): Promise<TimelineEventRow> {
  return mutateIncident(ctx, actor, incidentId, async (tx, incident, now) => {
    const event = await liveEvent(tx, incident.id, eventId);
    const at = eventAt ?? event.create_at;
    if (event.event_at === at) return event;
    const updated = await tx
      .updateTable('timeline_events')
      .set({ event_at: at })
      .where('id', '=', event.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await bumpVersion(tx, incident.id, now);
    return updated;
  });
}

export const RELEVANCES = ['automatic', 'archive', 'low', 'normal', 'high'] as const;
export type Relevance = (typeof RELEVANCES)[number];

/** Sets how relevant an item is; `automatic` (stored as '') leaves it to the server's guess. Any item may be rated. */
export function setRelevance(ctx: DomainContext, actor: Actor, incidentId: string, eventId: string, relevance: Relevance): Promise<TimelineEventRow> {
  return mutateIncident(ctx, actor, incidentId, async (tx, incident, now) => {
    const event = await liveEvent(tx, incident.id, eventId);
    const stored = relevance === 'automatic' ? '' : relevance;
    if (event.relevance === stored) return event;
    const updated = await tx
      .updateTable('timeline_events')
      .set({ relevance: stored })
      .where('id', '=', event.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await bumpVersion(tx, incident.id, now);
    return updated;
  });
}

const HIGH_RELEVANCE: readonly string[] = ['incident_created', 'run_finished', 'run_restored', 'severity_changed', 'status_updated'];
const LOW_RELEVANCE: readonly string[] = ['task_state_modified', 'task_added', 'task_updated', 'task_deleted', 'assignee_changed', 'user_joined_left', 'participants_changed'];

/** The relevance an item has when nobody rated it: milestones high, task and membership churn low. */
export function relevanceOf(event: TimelineEventRow): Exclude<Relevance, 'automatic'> {
  if (event.relevance) return event.relevance as Exclude<Relevance, 'automatic'>;
  if (HIGH_RELEVANCE.includes(event.event_type)) return 'high';
  if (LOW_RELEVANCE.includes(event.event_type)) return 'low';
  return 'normal';
}

/** Soft-deletes a note (it drops out of both APIs' timelines) and returns it as it was removed. */
export function removeNote(ctx: DomainContext, actor: Actor, incidentId: string, eventId: string): Promise<TimelineEventRow> {
  return mutateIncident(ctx, actor, incidentId, async (tx, incident, now) => {
    const event = await liveEvent(tx, incident.id, eventId);
    requireNote(event);
    const removed = await tx
      .updateTable('timeline_events')
      .set({ delete_at: now })
      .where('id', '=', event.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await bumpVersion(tx, incident.id, now);
    return removed;
  });
}

/** A place in an incident's timeline order (event time, then the gapless sequence number). */
export interface TimelinePosition {
  eventAt: number;
  seq: number;
}

export interface ActivityFilter {
  incidentId: string;
  limit: number;
  direction: 'ASC' | 'DESC';
  /** Only items carrying this tag. */
  tag?: string | undefined;
  /** Start after this item (exclusive), in `direction`. */
  after?: TimelinePosition | undefined;
  /** Extra condition evaluated per event (e.g. the facade's kind allow-list); paging stays exact. */
  matches?: ((event: TimelineEventRow) => boolean) | undefined;
}

const SCAN_BATCH = 200;

/**
 * One page of an incident's live timeline in (event_at, seq) order. Events are scanned in keyset batches
 * and `matches` is applied in code, so a page holds exactly `limit` matching items when that many exist
 * and `hasMore` is true only when another matching item follows.
 */
export async function queryActivity(
  ex: Executor,
  actor: Actor,
  filter: ActivityFilter,
): Promise<{ events: TimelineEventRow[]; hasMore: boolean }> {
  const incident = await requireVisibleIncident(ex, actor, filter.incidentId);
  const ascending = filter.direction === 'ASC';
  const found: TimelineEventRow[] = [];
  let position = filter.after;
  for (;;) {
    let query = ex.selectFrom('timeline_events').selectAll().where('incident_id', '=', incident.id).where('delete_at', '=', 0);
    if (filter.tag) query = query.where(sql<boolean>`tags @> ${JSON.stringify([filter.tag])}::jsonb`);
    if (position) {
      const { eventAt, seq } = position;
      query = query.where((eb) => eb(eb.refTuple('event_at', 'seq'), ascending ? '>' : '<', eb.tuple(eventAt, seq)));
    }
    const direction = ascending ? 'asc' : 'desc';
    const batch = await query.orderBy('event_at', direction).orderBy('seq', direction).limit(SCAN_BATCH).execute();
    for (const event of batch) {
      if (filter.matches && !filter.matches(event)) continue;
      found.push(event);
      if (found.length > filter.limit) return { events: found.slice(0, filter.limit), hasMore: true };
    }
    if (batch.length < SCAN_BATCH) return { events: found, hasMore: false };
    const last = batch[batch.length - 1]!;
    position = { eventAt: last.event_at, seq: last.seq };
  }
}
