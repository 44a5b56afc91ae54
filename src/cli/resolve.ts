import { notFound } from '../domain/errors.ts';
import { findTeamByRef, findUserByRef } from '../domain/identity/directory.ts';
import type { Executor, TeamRow, UserRow } from '../domain/store-types.ts';

/** `--user` takes an id or a username. */
export async function resolveUser(ex: Executor, ref: string): Promise<UserRow> {
  const user = await findUserByRef(ex, ref);
  if (!user) throw notFound(`no user with id or username "${ref}"`);
  return user;
}

/** `--team` takes an id or a team name. */
export async function resolveTeam(ex: Executor, ref: string): Promise<TeamRow> {
  const team = await findTeamByRef(ex, ref);
  if (!team) throw notFound(`no team with id or name "${ref}"`);
  return team;
}
