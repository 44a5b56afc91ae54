// What a system admin does to accounts from the command line: list them, reset a password, deactivate.
// A reset or a deactivation ends the account's login sessions (and a deactivation its API tokens): whoever
// held them must sign in again, or cannot.
import { newSecret } from '../../lib/ids.ts';
import { hashPassword } from '../../lib/secrets.ts';
import { transaction } from '../../store/db.ts';
import { sessionsRepo } from '../../store/sessions.repo.ts';
import { teamsRepo } from '../../store/teams.repo.ts';
import { usersRepo, type UserRow } from '../../store/users.repo.ts';
import type { Actor, DomainContext } from '../context.ts';
import { conflict, forbidden, invalid, notFound } from '../errors.ts';

function requireAdmin(actor: Actor): void {
  if (!actor.isAdmin) throw forbidden('only a system admin may manage accounts');
}

/** Sets a user's password (a generated one when none is given) and ends their login sessions. */
export async function resetPassword(ctx: DomainContext, actor: Actor, userId: string, password?: string): Promise<{ user: UserRow; password: string }> {
  requireAdmin(actor);
  const chosen = password ?? newSecret('').slice(0, 20);
  if (chosen.length < 8) throw invalid('password', 'password must be at least 8 characters');
  const hash = await hashPassword(chosen);
  return transaction(ctx.db, async (tx) => {
    const user = await usersRepo.byId(tx, userId);
    if (!user || user.is_bot) throw notFound('user not found');
    if (user.delete_at !== 0) throw conflict('the user is deactivated');
    await usersRepo.setPasswordHash(tx, user.id, hash);
    await sessionsRepo.revokeAllOf(tx, user.id, ctx.clock.now());
    return { user, password: chosen };
  });
}

/** Deactivates a user: no sign-in, no token, no session from now on; what they wrote stays. The last admin stays. */
export async function deactivateUser(ctx: DomainContext, actor: Actor, userId: string): Promise<UserRow> {
  requireAdmin(actor);
  return transaction(ctx.db, async (tx) => {
    const user = await usersRepo.byId(tx, userId);
    if (!user || user.is_bot) throw notFound('user not found');
    if (user.delete_at !== 0) return user;
    if (user.is_admin && (await usersRepo.activeAdminCount(tx)) <= 1) throw conflict('this is the last active system admin: make another one first');
    const now = ctx.clock.now();
    await usersRepo.deactivate(tx, user.id, now);
    await sessionsRepo.revokeAllOf(tx, user.id, now);
    return { ...user, delete_at: now };
  });
}

export function listAllUsers(ctx: DomainContext, actor: Actor): Promise<UserRow[]> {
  requireAdmin(actor);
  return usersRepo.list(ctx.db, 10_000, 0);
}

export function listAllTeams(ctx: DomainContext, actor: Actor) {
  requireAdmin(actor);
  return teamsRepo.list(ctx.db);
}
