import { notFound } from '../domain/errors.ts';
import type { Executor } from '../store/db.ts';
import { usersRepo, type UserRow } from '../store/users.repo.ts';
import { teamsRepo, type TeamRow } from '../store/teams.repo.ts';

/** `--user` takes an id or a username: ids first, since a 26-character username is possible but unlikely. */
export async function resolveUser(ex: Executor, ref: string): Promise<UserRow> {
  const user = (await usersRepo.byId(ex, ref)) ?? (await usersRepo.byUsername(ex, ref));
  if (!user) throw notFound(`no user with id or username "${ref}"`);
  return user;
}

/** `--team` takes an id or a team name. */
export async function resolveTeam(ex: Executor, ref: string): Promise<TeamRow> {
  const team = (await teamsRepo.byId(ex, ref)) ?? (await teamsRepo.byName(ex, ref));
  if (!team) throw notFound(`no team with id or name "${ref}"`);
  return team;
}
