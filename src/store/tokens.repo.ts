import type { Executor } from './db.ts';

/** Statements on API tokens (only their hashes are stored). */
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
