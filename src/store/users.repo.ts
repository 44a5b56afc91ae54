import type { Insertable, Selectable } from 'kysely';
import type { Executor } from './db.ts';
import type { TeamsTable, UsersTable } from './schema.ts';

export type UserRow = Selectable<UsersTable>;
export type TeamRow = Selectable<TeamsTable>;

/** All SQL for users, teams, team membership and API tokens. */
export const usersRepo = {
  byId: (ex: Executor, id: string) => ex.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst(),
  byIds: (ex: Executor, ids: string[]) =>
    ids.length === 0 ? Promise.resolve([]) : ex.selectFrom('users').selectAll().where('id', 'in', ids).execute(),
  byUsername: (ex: Executor, username: string) =>
    ex.selectFrom('users').selectAll().where('username', '=', username.toLowerCase()).executeTakeFirst(),
  byLogin: (ex: Executor, login: string) =>
    ex
      .selectFrom('users')
      .selectAll()
      .where((eb) => eb.or([eb('username', '=', login.toLowerCase()), eb('email', '=', login.toLowerCase())]))
      .executeTakeFirst(),
  async count(ex: Executor): Promise<number> {
    const row = await ex.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  },
  insert: (ex: Executor, row: Insertable<UsersTable>) => ex.insertInto('users').values(row).execute(),
  setPasswordHash: (ex: Executor, id: string, passwordHash: string) =>
    ex.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute(),
  list: (ex: Executor, limit: number, offset: number) =>
    ex.selectFrom('users').selectAll().orderBy('username').limit(limit).offset(offset).execute(),
};

export const teamsRepo = {
  byId: (ex: Executor, id: string) => ex.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst(),
  byName: (ex: Executor, name: string) =>
    ex.selectFrom('teams').selectAll().where('name', '=', name.toLowerCase()).executeTakeFirst(),
  insert: (ex: Executor, row: Insertable<TeamsTable>) => ex.insertInto('teams').values(row).execute(),
  forUser: (ex: Executor, userId: string) =>
    ex
      .selectFrom('teams')
      .innerJoin('team_members', 'team_members.team_id', 'teams.id')
      .selectAll('teams')
      .where('team_members.user_id', '=', userId)
      .where('teams.delete_at', '=', 0)
      .orderBy('teams.name')
      .execute(),
  async teamIdsOf(ex: Executor, userId: string): Promise<string[]> {
    const rows = await ex.selectFrom('team_members').select('team_id').where('user_id', '=', userId).execute();
    return rows.map((r) => r.team_id);
  },
  async isMember(ex: Executor, teamId: string, userId: string): Promise<boolean> {
    const row = await ex
      .selectFrom('team_members')
      .select('user_id')
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  },
  addMember: (ex: Executor, teamId: string, userId: string, now: number) =>
    ex
      .insertInto('team_members')
      .values({ team_id: teamId, user_id: userId, create_at: now })
      .onConflict((oc) => oc.doNothing())
      .execute(),
};

export const tokensRepo = {
  insert: (ex: Executor, row: { id: string; user_id: string; token_hash: string; description: string; create_at: number }) =>
    ex.insertInto('api_tokens').values(row).execute(),
  byHash: (ex: Executor, tokenHash: string) =>
    ex
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .select(['api_tokens.id', 'api_tokens.token_hash', 'api_tokens.user_id', 'api_tokens.last_used_at', 'users.is_admin', 'users.delete_at'])
      .where('api_tokens.token_hash', '=', tokenHash)
      .where('api_tokens.revoked_at', '=', 0)
      .executeTakeFirst(),
  forUser: (ex: Executor, userId: string) =>
    ex
      .selectFrom('api_tokens')
      .select(['id', 'user_id', 'description', 'create_at', 'last_used_at', 'revoked_at'])
      .where('user_id', '=', userId)
      .orderBy('create_at')
      .execute(),
  byId: (ex: Executor, id: string) => ex.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst(),
  touch: (ex: Executor, id: string, now: number) =>
    ex.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute(),
  revoke: (ex: Executor, id: string, now: number) =>
    ex.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', '=', 0).execute(),
};
