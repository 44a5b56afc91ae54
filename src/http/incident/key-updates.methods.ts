import type { Static } from 'typebox';
import type { DomainContext } from '../../domain/context.ts';
import { invalid } from '../../domain/errors.ts';
import { usersSoon } from '../../domain/identity/directory.ts';
import {
  createKeyUpdate,
  deleteKeyUpdate,
  getKeyUpdate,
  keyUpdateEnds,
  queryKeyUpdates,
  updateKeyUpdate,
  type KeyUpdateProps,
  type KeyUpdateView,
} from '../../domain/incidents/key-updates.ts';
import { LEXICAL, messageOf, render } from './content.ts';
import * as S from './key-updates.schema.ts';
import { presentUser, rfc3339, type RpcLookups } from './present.ts';
import type { RpcRegistry } from './rpc.ts';

type Req<T extends keyof typeof S> = Static<(typeof S)[T]>;

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 100;

/** KeyUpdate, with `content` in the format asked for. */
function presentKeyUpdate(lookups: RpcLookups, update: KeyUpdateView, contentType: string) {
  const content = render(update, contentType);
  return {
    id: update.id,
    orgID: '1',
    incidentID: update.incidentId,
    title: update.title,
    content: content.content,
    contentType: content.contentType,
    createdTime: rfc3339(update.createAt),
    modifiedTime: rfc3339(update.updateAt),
    createdBy: presentUser(lookups, update.authorId),
    lastModifiedBy: presentUser(lookups, update.modifiedBy),
    statusID: update.statusId,
    severityID: update.severityId,
    scope: update.scope,
    color: update.color,
  };
}

async function presentAll(ctx: DomainContext, updates: KeyUpdateView[], contentType: string) {
  const users = await usersSoon(
    ctx.db,
    updates.flatMap((u) => [u.authorId, u.modifiedBy]),
  );
  const lookups: RpcLookups = { users, roles: new Map(), assignments: new Map(), severityIds: new Map(), now: ctx.clock.now() };
  return updates.map((u) => presentKeyUpdate(lookups, u, contentType));
}

async function presentOne(ctx: DomainContext, update: KeyUpdateView | null, contentType = '') {
  return update ? (await presentAll(ctx, [update], contentType))[0]! : null;
}

/** A request's fields as the domain's props; the content's text is what the run channel shows. */
function propsOf(req: Req<'CreateKeyUpdateRequest'>): KeyUpdateProps {
  const contentType = req.contentType || 'text/plain';
  const message = messageOf(req.content, contentType).trim();
  if (!message) throw invalid('content', 'invalid field content: must not be blank');
  return {
    title: req.title ?? null,
    message,
    contentType,
    source: contentType === LEXICAL ? req.content : '',
    statusId: req.statusID ?? '',
    severityId: req.severityID ?? '',
    scope: req.scope || 'internal',
    color: req.color || null,
  };
}

function decodeOffset(value: string): number {
  if (!value) return 0;
  const text = Buffer.from(value, 'base64url').toString('utf8');
  if (!/^k\d{1,9}$/.test(text)) throw invalid('cursor.nextValue', 'invalid field cursor.nextValue: not a cursor returned by QueryKeyUpdates; send "" for the first page');
  return Number(text.slice(1));
}

export const keyUpdatesMethods: RpcRegistry = {
  'KeyUpdatesService.CreateKeyUpdate': {
    request: S.CreateKeyUpdateRequest,
    handler: async (ctx, actor, req: Req<'CreateKeyUpdateRequest'>) => ({
      keyUpdate: await presentOne(ctx, await createKeyUpdate(ctx, actor, req.incidentID, propsOf(req))),
    }),
  },
  'KeyUpdatesService.UpdateKeyUpdate': {
    request: S.UpdateKeyUpdateRequest,
    handler: async (ctx, actor, req: Req<'UpdateKeyUpdateRequest'>) => ({
      keyUpdate: await presentOne(ctx, await updateKeyUpdate(ctx, actor, req.incidentID, req.id, propsOf(req))),
    }),
  },
  'KeyUpdatesService.DeleteKeyUpdate': {
    request: S.KeyUpdateRef,
    handler: async (ctx, actor, req: Req<'KeyUpdateRef'>) => {
      await deleteKeyUpdate(ctx, actor, req.incidentID, req.id);
      return {};
    },
  },
  'KeyUpdatesService.GetKeyUpdate': {
    request: S.KeyUpdateRef,
    handler: async (ctx, actor, req: Req<'KeyUpdateRef'>) => ({
      keyUpdate: await presentOne(ctx, await getKeyUpdate(ctx.db, actor, req.incidentID, req.id), req.contentType),
    }),
  },
  'KeyUpdatesService.GetInitialKeyUpdate': {
    request: S.IncidentKeyUpdatesRequest,
    handler: async (ctx, actor, req: Req<'IncidentKeyUpdatesRequest'>) => ({
      keyUpdate: await presentOne(ctx, (await keyUpdateEnds(ctx.db, actor, req.incidentID)).first, req.contentType),
    }),
  },
  'KeyUpdatesService.GetLastKeyUpdate': {
    request: S.IncidentKeyUpdatesRequest,
    // keyUpdateCount: the number of *other* key updates (all of them but the one returned).
    handler: async (ctx, actor, req: Req<'IncidentKeyUpdatesRequest'>) => {
      const ends = await keyUpdateEnds(ctx.db, actor, req.incidentID);
      return { keyUpdate: await presentOne(ctx, ends.last, req.contentType), keyUpdateCount: Math.max(0, ends.count - 1) };
    },
  },
  'KeyUpdatesService.QueryKeyUpdates': {
    request: S.QueryKeyUpdatesRequest,
    handler: async (ctx, actor, req: Req<'QueryKeyUpdatesRequest'>) => {
      const q = req.query;
      const query = {
        incidentID: q.incidentID,
        limit: Math.min(q.limit || DEFAULT_LIMIT, MAX_LIMIT),
        orderDirection: q.orderDirection || 'DESC',
        orderField: q.orderField || 'createdTime',
        scope: q.scope ?? '',
        contentType: q.contentType ?? '',
      };
      const offset = decodeOffset(req.cursor?.nextValue ?? '');
      const { updates, hasMore } = await queryKeyUpdates(ctx.db, actor, {
        incidentId: query.incidentID,
        limit: query.limit,
        offset,
        direction: query.orderDirection,
        orderField: query.orderField,
        scope: query.scope,
      });
      return {
        keyUpdates: await presentAll(ctx, updates, query.contentType),
        query,
        cursor: { nextValue: hasMore ? Buffer.from(`k${offset + query.limit}`).toString('base64url') : '', hasMore },
      };
    },
  },
};
