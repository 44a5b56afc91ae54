// Reads of users and teams for the Mattermost slice and the CLI, with Mattermost's visibility rule for teams.
import type { Executor } from '../../store/db.ts';
import { teamsRepo, type TeamRow } from '../../store/teams.repo.ts';
import { usersRepo, type UserRow } from '../../store/users.repo.ts';
import type { Actor } from '../context.ts';
import { forbidden, notFound } from '../errors.ts';

/** Any signed-in user may look up users: Playbooks clients resolve owner and participant ids this way. */
export async function getUser(ex: Executor, id: string, missing?: string): Promise<UserRow> {
  const user = await usersRepo.byId(ex, id);
  if (!user) throw notFound(missing);
  return user;
}

export function listUsers(ex: Executor, page: { limit: number; offset: number }): Promise<UserRow[]> {
  return usersRepo.list(ex, page.limit, page.offset);
}

/** The live teams `userId` belongs to, by name. */
export function teamsOfUser(ex: Executor, userId: string): Promise<TeamRow[]> {
  return teamsRepo.forUser(ex, userId);
}

/** As in Mattermost: open teams are visible to every user, invite-only teams to their members and admins. */
export async function getVisibleTeam(ex: Executor, actor: Actor, teamId: string): Promise<TeamRow> {
  const team = await teamsRepo.byId(ex, teamId);
  if (!team) throw notFound();
  if (team.type !== 'O' && !actor.isAdmin && !(await teamsRepo.isMember(ex, team.id, actor.userId))) {
    throw forbidden("You don't have permission to view this team.");
  }
  return team;
}

/** A user by id or username: ids first, since a 26-character username is possible but unlikely. */
export async function findUserByRef(ex: Executor, ref: string): Promise<UserRow | undefined> {
  return (await usersRepo.byId(ex, ref)) ?? (await usersRepo.byUsername(ex, ref));
}

/** A team by id or name. */
export async function findTeamByRef(ex: Executor, ref: string): Promise<TeamRow | undefined> {
  return (await teamsRepo.byId(ex, ref)) ?? (await teamsRepo.byName(ex, ref));
}

// Users wanted by callers in one turn of the event loop (a group commit answers many notes at once), loaded
// with one query. Keyed by database: a pending load belongs to the handle it will query.
const pendingUsers = new WeakMap<Executor, { ids: Set<string>; users: Promise<Map<string, UserRow>> }>();

/** The users with these ids (blank ids ignored), loaded together with those asked for in the same turn. */
export function usersSoon(ex: Executor, ids: string[]): Promise<Map<string, UserRow>> {
  let pending = pendingUsers.get(ex);
  if (!pending) {
    const wanted = new Set<string>();
    const users = new Promise<Map<string, UserRow>>((resolve, reject) => {
      setImmediate(() => {
        pendingUsers.delete(ex);
        usersRepo.byIds(ex, [...wanted]).then((rows) => resolve(new Map(rows.map((u) => [u.id, u]))), reject);
      });
    });
    pending = { ids: wanted, users };
    pendingUsers.set(ex, pending);
  }
  for (const id of ids) if (id) pending.ids.add(id);
  return pending.users;
}
