import { sql, type Insertable } from 'kysely';
import type { Executor } from './db.ts';
import type { SessionsTable } from './schema.ts';

/** All SQL for login sessions and the shared rate-limit counters. */
export const sessionsRepo = {
  insert: (ex: Executor, row: Insertable<SessionsTable>) => ex.insertInto('sessions').values(row).execute(),
  byHash: (ex: Executor, tokenHash: string) =>
    ex
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'sessions.id',
        'sessions.token_hash',
        'sessions.user_id',
        'sessions.last_activity_at',
        'sessions.expires_at',
        'users.is_admin',
        'users.delete_at',
      ])
      .where('sessions.token_hash', '=', tokenHash)
      .where('sessions.revoked_at', '=', 0)
      .executeTakeFirst(),
  byId: (ex: Executor, id: string) => ex.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst(),
  /** A user's sessions that are neither revoked nor past their absolute expiry (idle ones are filtered by the caller). */
  liveForUser: (ex: Executor, userId: string, now: number) =>
    ex
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .where('revoked_at', '=', 0)
      .where('expires_at', '>', now)
      .orderBy('create_at')
      .execute(),
  touch: (ex: Executor, id: string, now: number) =>
    ex.updateTable('sessions').set({ last_activity_at: now }).where('id', '=', id).execute(),
  revoke: (ex: Executor, id: string, now: number) =>
    ex.updateTable('sessions').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', '=', 0).execute(),
  revokeByHash: (ex: Executor, tokenHash: string, now: number) =>
    ex.updateTable('sessions').set({ revoked_at: now }).where('token_hash', '=', tokenHash).where('revoked_at', '=', 0).execute(),
  revokeAllOf: (ex: Executor, userId: string, now: number) =>
    ex.updateTable('sessions').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', '=', 0).execute(),
};

export const rateLimitsRepo = {
  /**
   * Takes `units` from the fixed window of `key` in one statement (a window that ended starts again) and
   * returns the window's total so far and its end. Concurrent callers serialise on the row.
   */
  async take(ex: Executor, key: string, units: number, windowMs: number, now: number): Promise<{ count: number; resetAt: number }> {
    const { rows } = await sql<{ count: number | string; reset_at: number | string }>`
      INSERT INTO rate_limits AS r (key, count, reset_at) VALUES (${key}, ${units}, ${now + windowMs})
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN r.reset_at <= ${now} THEN ${units} ELSE r.count + ${units} END,
        reset_at = CASE WHEN r.reset_at <= ${now} THEN ${now + windowMs} ELSE r.reset_at END
      RETURNING count, reset_at`.execute(ex);
    const row = rows[0]!;
    return { count: Number(row.count), resetAt: Number(row.reset_at) };
  },
  async read(ex: Executor, key: string, now: number): Promise<{ count: number; resetAt: number } | undefined> {
    const row = await ex.selectFrom('rate_limits').select(['count', 'reset_at']).where('key', '=', key).where('reset_at', '>', now).executeTakeFirst();
    return row ? { count: Number(row.count), resetAt: Number(row.reset_at) } : undefined;
  },
  clear: (ex: Executor, key: string) => ex.deleteFrom('rate_limits').where('key', '=', key).execute(),
  prune: (ex: Executor, now: number) => ex.deleteFrom('rate_limits').where('reset_at', '<=', now).execute(),
};
