import { sql } from 'kysely';
import { newId, newSecret } from '../../lib/ids.ts';
import { hashPassword, hashToken } from '../../lib/secrets.ts';
import { transaction } from '../../store/db.ts';
import { usersRepo, type UserRow } from '../../store/users.repo.ts';
import { teamsRepo, type TeamRow } from '../../store/teams.repo.ts';
import { tokensRepo } from '../../store/tokens.repo.ts';
import type { Actor, DomainContext } from '../context.ts';
import { conflict, forbidden, invalid, notFound } from '../errors.ts';
import { checkEmail, checkPassword, checkTeamName, checkUsername } from './validate.ts';

export { authenticateToken, login } from './sessions.ts';

export const BOT_USERNAME = 'playbooks';

export interface CreateUserProps {
  username: string;
  email: string;
  password?: string | undefined;
  first_name?: string | undefined;
  last_name?: string | undefined;
  nickname?: string | undefined;
  is_admin?: boolean | undefined;
}

export async function createUser(ctx: DomainContext, actor: Actor, props: CreateUserProps): Promise<UserRow> {
  if (!actor.isAdmin) throw forbidden('only system admins can create users');
  const username = checkUsername(props.username);
  const email = checkEmail(props.email);
  const passwordHash = props.password ? await hashPassword(checkPassword(props.password)) : '';
  return transaction(ctx.db, async (tx) => {
    if (await usersRepo.byUsername(tx, username)) throw conflict(`username ${username} is taken`, 'username');
    if (await usersRepo.byLogin(tx, email)) throw conflict(`email ${email} is taken`, 'email');
    const now = ctx.clock.now();
    const id = newId();
    await usersRepo.insert(tx, {
      id,
      username,
      email,
      first_name: props.first_name ?? '',
      last_name: props.last_name ?? '',
      nickname: props.nickname ?? '',
      password_hash: passwordHash,
      is_admin: props.is_admin ?? false,
      create_at: now,
      update_at: now,
    });
    return (await usersRepo.byId(tx, id))!;
  });
}

export interface CreateTeamProps {
  name: string;
  display_name: string;
  /** As in Mattermost: 'I' (invite only, the default) or 'O' (open: any user may join). */
  type?: 'O' | 'I' | undefined;
}

export async function createTeam(ctx: DomainContext, actor: Actor, props: CreateTeamProps): Promise<TeamRow> {
  if (!actor.isAdmin) throw forbidden('only system admins can create teams');
  const name = checkTeamName(props.name);
  const displayName = props.display_name.trim();
  if (!displayName || displayName.length > 64) throw invalid('display_name', 'display_name must be 1-64 characters');
  return transaction(ctx.db, async (tx) => {
    if (await teamsRepo.byName(tx, name)) throw conflict(`team name ${name} is taken`, 'name');
    const now = ctx.clock.now();
    const id = newId();
    await teamsRepo.insert(tx, { id, name, display_name: displayName, type: props.type ?? 'I', create_at: now, update_at: now });
    if (actor.userId) await teamsRepo.addMember(tx, id, actor.userId, now);
    return (await teamsRepo.byId(tx, id))!;
  });
}

export async function addTeamMember(
  ctx: DomainContext,
  actor: Actor,
  props: { team_id: string; user_id: string },
): Promise<{ team_id: string; user_id: string; is_admin: boolean }> {
  return transaction(ctx.db, async (tx) => {
    const team = await teamsRepo.byId(tx, props.team_id);
    if (!team) throw notFound('team not found');
    const user = await usersRepo.byId(tx, props.user_id);
    if (!user) throw notFound('user not found');
    const selfJoinOpenTeam = actor.userId === props.user_id && team.type === 'O';
    if (!actor.isAdmin && !selfJoinOpenTeam && !(await teamsRepo.isAdmin(tx, team.id, actor.userId))) {
      throw forbidden('only system or team admins can add team members');
    }
    await teamsRepo.addMember(tx, team.id, user.id, ctx.clock.now());
    return { team_id: team.id, user_id: user.id, is_admin: await teamsRepo.isAdmin(tx, team.id, user.id) };
  });
}

export interface IssuedToken {
  id: string;
  token: string;
  user_id: string;
  description: string;
  create_at: number;
}

export async function createToken(
  ctx: DomainContext,
  actor: Actor,
  props: { user_id: string; description: string; token?: string | undefined },
): Promise<IssuedToken> {
  if (!actor.isAdmin && actor.userId !== props.user_id) throw forbidden('you can create tokens only for yourself');
  const description = props.description.trim();
  if (description.length > 255) throw invalid('description', 'description must be at most 255 characters');
  const token = props.token ?? newSecret();
  return transaction(ctx.db, async (tx) => {
    if (!(await usersRepo.byId(tx, props.user_id))) throw notFound('user not found');
    const row = { id: newId(), user_id: props.user_id, token_hash: hashToken(token), description, create_at: ctx.clock.now() };
    await tokensRepo.insert(tx, row);
    return { id: row.id, token, user_id: row.user_id, description, create_at: row.create_at };
  });
}

export async function revokeToken(ctx: DomainContext, actor: Actor, tokenId: string): Promise<void> {
  await transaction(ctx.db, async (tx) => {
    const row = await tokensRepo.byId(tx, tokenId);
    if (!row || (!actor.isAdmin && row.user_id !== actor.userId)) throw notFound('token not found');
    await tokensRepo.revoke(tx, tokenId, ctx.clock.now());
  });
}

export async function listTokens(ctx: DomainContext, actor: Actor, userId: string) {
  if (!actor.isAdmin && actor.userId !== userId) throw forbidden('you can list only your own tokens');
  return tokensRepo.forUser(ctx.db, userId);
}

export interface BootstrapResult {
  admin: UserRow;
  team: TeamRow;
  token: string;
  password: string;
  passwordWasProvided: boolean;
  tokenWasProvided: boolean;
}

/**
 * First start on an empty database: an admin, a team, the bot user and a token. Runs in one transaction,
 * so a crash halfway leaves the database empty and the next start tries again.
 */
/**
 * MUSTER_ADMIN_TOKEN is read at the first start only. Given on a later start and unknown here, it would fail
 * every call made with it: say so, with the command that gives a working token.
 */
export async function ignoredAdminToken(ctx: DomainContext, adminToken: string | undefined): Promise<string | undefined> {
  if (!adminToken) return undefined;
  const known = await tokensRepo.byHash(ctx.db, hashToken(adminToken));
  if (known) return undefined;
  return 'MUSTER_ADMIN_TOKEN is not a token of this installation: it is read at the first start only. Issue one with "muster token create --user admin" (stop the server first on the embedded database)';
}

export async function bootstrap(
  ctx: DomainContext,
  opts: { adminToken?: string | undefined; adminPassword?: string | undefined },
): Promise<BootstrapResult | undefined> {
  const token = opts.adminToken ?? newSecret();
  // Without MUSTER_ADMIN_PASSWORD a random one is made, so the printed login works for password sign-in too.
  const password = opts.adminPassword ?? newSecret('').slice(0, 20);
  const passwordHash = await hashPassword(password);
  return transaction(ctx.db, async (tx) => {
    // Two processes starting at once on an empty PostgreSQL database: only one bootstraps.
    await sql`SELECT pg_advisory_xact_lock(7242025)`.execute(tx);
    if ((await usersRepo.count(tx)) > 0) return undefined;
    const now = ctx.clock.now();
    const adminId = newId();
    await usersRepo.insert(tx, {
      id: adminId,
      username: 'admin',
      email: 'admin@localhost.localdomain',
      password_hash: passwordHash,
      is_admin: true,
      create_at: now,
      update_at: now,
    });
    await usersRepo.insert(tx, {
      id: newId(),
      username: BOT_USERNAME,
      email: 'playbooks-bot@localhost.localdomain',
      first_name: 'Playbooks',
      is_bot: true,
      create_at: now,
      update_at: now,
    });
    const teamId = newId();
    // Invite only: nobody joins the first team by themselves.
    await teamsRepo.insert(tx, { id: teamId, name: 'incidents', display_name: 'Incidents', type: 'I', create_at: now, update_at: now });
    await tx.insertInto('team_members').values({ team_id: teamId, user_id: adminId, is_admin: true, create_at: now }).execute();
    await tokensRepo.insert(tx, {
      id: newId(),
      user_id: adminId,
      token_hash: hashToken(token),
      description: 'created at first start',
      create_at: now,
    });
    return {
      admin: (await usersRepo.byId(tx, adminId))!,
      team: (await teamsRepo.byId(tx, teamId))!,
      token,
      password,
      passwordWasProvided: opts.adminPassword !== undefined,
      tokenWasProvided: opts.adminToken !== undefined,
    };
  });
}
