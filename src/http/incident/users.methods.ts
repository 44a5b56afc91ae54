import type { Static } from 'typebox';
import { invalid, notFound } from '../../domain/errors.ts';
import { findUserByRef, listUsers } from '../../domain/identity/directory.ts';
import type { UserRow } from '../../domain/store-types.ts';
import { rfc3339, USER_ID_PREFIX } from './present.ts';
import type { RpcRegistry } from './rpc.ts';
import * as S from './users.schema.ts';

type Req<T extends keyof typeof S> = Static<(typeof S)[T]>;

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 100;

/** User (incident-go): Mattermost users; there are no Slack or Teams identities here, so those ids are ''. */
export function presentFullUser(user: UserRow) {
  const fullName = [user.first_name, user.last_name].filter(Boolean).join(' ');
  return {
    userID: `${USER_ID_PREFIX}${user.id}`,
    internalUserID: user.id,
    email: user.email,
    modifiedTime: rfc3339(user.update_at),
    name: fullName || user.username,
    photoURL: '',
    grafanaUserID: user.id,
    grafanaLogin: user.username,
    slackUserID: '',
    slackTeamID: '',
    msTeamsUserID: '',
  };
}

// The users cursor is opaque: base64url of the offset of the next page.
function decodeOffset(value: string): number {
  if (!value) return 0;
  const text = Buffer.from(value, 'base64url').toString('utf8');
  if (!/^u\d{1,9}$/.test(text)) throw invalid('cursor.nextValue', 'invalid field cursor.nextValue: not a cursor returned by QueryUsers; send "" for the first page');
  return Number(text.slice(1));
}

export const usersMethods: RpcRegistry = {
  'UsersService.GetUser': {
    request: S.GetUserRequest,
    // `provider:user-id`: every provider prefix names the same user; the id may also be a username.
    handler: async (ctx, _actor, req: Req<'GetUserRequest'>) => {
      const ref = req.userID.includes(':') ? req.userID.slice(req.userID.indexOf(':') + 1) : req.userID;
      const user = ref ? await findUserByRef(ctx.db, ref) : undefined;
      if (!user) throw notFound(`user ${req.userID} not found`);
      return { user: presentFullUser(user) };
    },
  },
  'UsersService.QueryUsers': {
    request: S.QueryUsersRequest,
    handler: async (ctx, _actor, req: Req<'QueryUsersRequest'>) => {
      const limit = Math.min(req.query?.limit || DEFAULT_LIMIT, MAX_LIMIT);
      const offset = decodeOffset(req.cursor?.nextValue ?? '');
      const rows = await listUsers(ctx.db, { limit: limit + 1, offset });
      const hasMore = rows.length > limit;
      return {
        users: rows.slice(0, limit).map(presentFullUser),
        query: { limit },
        cursor: { nextValue: hasMore ? Buffer.from(`u${offset + limit}`).toString('base64url') : '', hasMore },
      };
    },
  },
};
