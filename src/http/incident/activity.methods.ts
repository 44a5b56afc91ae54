import type { Static } from 'typebox';
import type { DomainContext } from '../../domain/context.ts';
import { invalid } from '../../domain/errors.ts';
import {
  addNote,
  DEFAULT_ACTIVITY_LIMIT,
  queryActivity,
  removeNote,
  setRelevance,
  updateEventTime,
  updateNoteBody,
  type TimelinePosition,
} from '../../domain/incidents/activity.ts';
import type { TimelineEventRow } from '../../domain/incidents/types.ts';
import { usersSoon } from '../../domain/identity/directory.ts';
import * as S from './activity.schema.ts';
import { parseTime } from './incidents.methods.ts';
import { loadLookups } from './lookups.ts';
import { activityKind, presentActivityItem, type RpcLookups } from './present.ts';
import type { RpcRegistry } from './rpc.ts';

type Req<T extends keyof typeof S> = Static<(typeof S)[T]>;

/** One activity item: it refers only to users, so only they are loaded (no roles or severities). */
async function presentOne(ctx: DomainContext, event: TimelineEventRow) {
  const users = await usersSoon(ctx.db, [event.creator_user_id, event.subject_user_id]);
  const lookups: RpcLookups = { users, roles: new Map(), assignments: new Map(), severityIds: new Map(), now: ctx.clock.now() };
  return { activityItem: presentActivityItem(lookups, event) };
}

// The cursor is opaque to clients: base64url of "<event_at>.<seq>" of the last item returned.
export function encodeCursor(position: TimelinePosition): string {
  return Buffer.from(`${position.eventAt}.${position.seq}`).toString('base64url');
}

export function decodeCursor(value: string): TimelinePosition {
  const match = /^(\d{1,16})\.(\d{1,10})$/.exec(Buffer.from(value, 'base64url').toString('utf8'));
  if (!match) throw invalid('cursor.nextValue', 'invalid field cursor.nextValue: not a cursor returned by QueryActivity; send "" for the first page');
  return { eventAt: Number(match[1]), seq: Number(match[2]) };
}

export const activityMethods: RpcRegistry = {
  'ActivityService.AddActivity': {
    request: S.AddActivityRequest,
    handler: async (ctx, actor, req: Req<'AddActivityRequest'>) => {
      if (req.activityKind !== 'userNote') {
        throw invalid('activityKind', `invalid field activityKind: only "userNote" activity can be added, not ${JSON.stringify(req.activityKind)}`);
      }
      const eventAt = parseTime(req.eventTime, 'eventTime', ctx.clock.now());
      return presentOne(ctx, await addNote(ctx, actor, req.incidentID, { body: req.body, eventAt }));
    },
  },

  'ActivityService.QueryActivity': {
    request: S.QueryActivityRequest,
    handler: async (ctx, actor, req: Req<'QueryActivityRequest'>) => {
      const q = req.query;
      const query = {
        incidentID: q.incidentID,
        limit: q.limit || DEFAULT_ACTIVITY_LIMIT,
        tag: q.tag ?? '',
        orderDirection: q.orderDirection || 'ASC',
        activityKind: q.activityKind ?? [],
      };
      const kinds = new Set<string>(query.activityKind);
      const { events, hasMore } = await queryActivity(ctx.db, actor, {
        incidentId: query.incidentID,
        limit: query.limit,
        direction: query.orderDirection,
        tag: query.tag || undefined,
        after: req.cursor?.nextValue ? decodeCursor(req.cursor.nextValue) : undefined,
        matches: kinds.size > 0 ? (event) => kinds.has(activityKind(event)) : undefined,
      });
      const lookups = await loadLookups(ctx.db, [], ctx.clock.now(), events);
      const last = events[events.length - 1];
      return {
        activityItems: events.map((event) => presentActivityItem(lookups, event)),
        query,
        cursor: { nextValue: hasMore && last ? encodeCursor({ eventAt: last.event_at, seq: last.seq }) : '', hasMore },
      };
    },
  },

  'ActivityService.RemoveActivity': {
    request: S.ActivityItemRef,
    handler: async (ctx, actor, req: Req<'ActivityItemRef'>) => presentOne(ctx, await removeNote(ctx, actor, req.incidentID, req.activityItemID)),
  },

  'ActivityService.UpdateActivityBody': {
    request: S.UpdateActivityBodyRequest,
    handler: async (ctx, actor, req: Req<'UpdateActivityBodyRequest'>) =>
      presentOne(ctx, await updateNoteBody(ctx, actor, req.incidentID, req.activityItemID, req.body)),
  },

  'ActivityService.UpdateActivityEventTime': {
    request: S.UpdateActivityEventTimeRequest,
    handler: async (ctx, actor, req: Req<'UpdateActivityEventTimeRequest'>) => {
      // '' puts the item back at the time it was created (seed: "If empty, the created time ... is used").
      const eventAt = req.eventTime ? parseTime(req.eventTime, 'eventTime', ctx.clock.now()) : undefined;
      return presentOne(ctx, await updateEventTime(ctx, actor, req.incidentID, req.activityItemID, eventAt));
    },
  },

  'ActivityService.UpdateActivityRelevance': {
    request: S.UpdateActivityRelevanceRequest,
    handler: async (ctx, actor, req: Req<'UpdateActivityRelevanceRequest'>) =>
      presentOne(ctx, await setRelevance(ctx, actor, req.incidentID, req.activityItemID, req.relevance)),
  },
};
