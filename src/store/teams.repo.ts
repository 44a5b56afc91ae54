import type { Insertable, Selectable } from 'kysely';
import type { Executor } from './db.ts';
import type { TeamsTable } from './schema.ts';

export type TeamRow = Selectable<TeamsTable>;

/** Statements on teams and team membership. */
export const teamsRepo = {
  byId: (ex: Executor, id: string) => ex.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst(),
  byName: (ex: Executor, name: string) =>
    ex.selectFrom('teams').selectAll().where('name', '=', name.toLowerCase()).executeTakeFirst(),
  insert: (ex: Executor, row: Insertable<TeamsTable>) => ex.insertInto('teams').values(row).execute(),
  list: (ex: Executor) => ex.selectFrom('teams').selectAll().where('delete_at', '=', 0).orderBy('name').execute(),
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
  /** Whether `userId` is an admin of the team (false when not a member): the team-admin test every rule shares. */
  async isAdmin(ex: Executor, teamId: string, userId: string): Promise<boolean> {
    const row = await ex
      .selectFrom('team_members')
      .select('is_admin')
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row?.is_admin === true;
  },
  addMember: (ex: Executor, teamId: string, userId: string, now: number) =>
    ex
      .insertInto('team_members')
      .values({ team_id: teamId, user_id: userId, create_at: now })
      .onConflict((oc) => oc.doNothing())
      .execute(),
};
