import type { Insertable, Selectable } from 'kysely';
import type { Executor } from './db.ts';
import type { UsersTable } from './schema.ts';

export type UserRow = Selectable<UsersTable>;

/** Statements on users. */
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
  /** Deactivated users keep their rows (authorship); their tokens are revoked with them. */
  async deactivate(ex: Executor, id: string, now: number) {
    await ex.updateTable('users').set({ delete_at: now, update_at: now }).where('id', '=', id).execute();
    await ex.updateTable('api_tokens').set({ revoked_at: now }).where('user_id', '=', id).where('revoked_at', '=', 0).execute();
  },
  activeAdminCount: async (ex: Executor) =>
    Number((await ex.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).where('is_admin', '=', true).where('delete_at', '=', 0).executeTakeFirstOrThrow()).n),
  list: (ex: Executor, limit: number, offset: number) =>
    ex.selectFrom('users').selectAll().orderBy('username').limit(limit).offset(offset).execute(),
};
