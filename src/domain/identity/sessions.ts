import { newId, newSecret } from '../../lib/ids.ts';
import { dummyPasswordHash, hashPassword, hashToken, needsRehash, sameHash, verifyPassword } from '../../lib/secrets.ts';
import { transaction } from '../../store/db.ts';
import { sessionsRepo } from '../../store/sessions.repo.ts';
import { tokensRepo } from '../../store/tokens.repo.ts';
import { usersRepo, type UserRow } from '../../store/users.repo.ts';
import type { Actor, DomainContext } from '../context.ts';
import { forbidden, notFound, unauthorized } from '../errors.ts';

const DAY_MS = 86_400_000;

/** How long a login session lives: `idleMs` after its last use, and never past `maxMs` after sign-in. */
export interface SessionPolicy {
  idleMs: number;
  maxMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 30 * DAY_MS, maxMs: 90 * DAY_MS };

/** Last use is written at most this often per credential, so authentication is not a write per request. */
const TOUCH_EVERY_MS = 60_000;

/** What a request's token proved: who acts, through which credential, and until when it is good. */
export interface Credential {
  actor: Actor;
  kind: 'token' | 'session';
  /** The api_tokens or sessions row id. */
  id: string;
  /** Epoch ms after which the credential must be checked again (idle or absolute expiry); Infinity for API tokens. */
  until: number;
  /** When it was read from the database: a cached credential is re-read (and its last use written) a minute later. */
  readAt: number;
}

function policyOf(ctx: DomainContext): SessionPolicy {
  return ctx.sessionPolicy ?? DEFAULT_SESSION_POLICY;
}

async function tokenCredential(ctx: DomainContext, hash: string, now: number): Promise<Credential | undefined> {
  const row = await tokensRepo.byHash(ctx.db, hash);
  if (!row || row.delete_at !== 0 || !sameHash(row.token_hash, hash)) return undefined;
  if (now - row.last_used_at > TOUCH_EVERY_MS) await tokensRepo.touch(ctx.db, row.id, now);
  return { actor: { userId: row.user_id, isAdmin: row.is_admin }, kind: 'token', id: row.id, until: Number.POSITIVE_INFINITY, readAt: now };
}

async function sessionCredential(ctx: DomainContext, hash: string, now: number): Promise<Credential | undefined> {
  const row = await sessionsRepo.byHash(ctx.db, hash);
  if (!row || row.delete_at !== 0 || !sameHash(row.token_hash, hash)) return undefined;
  const { idleMs } = policyOf(ctx);
  if (now >= Math.min(row.expires_at, row.last_activity_at + idleMs)) return undefined;
  let lastActivity = row.last_activity_at;
  if (now - lastActivity > TOUCH_EVERY_MS) {
    await sessionsRepo.touch(ctx.db, row.id, now);
    lastActivity = now;
  }
  const until = Math.min(row.expires_at, lastActivity + idleMs);
  return { actor: { userId: row.user_id, isAdmin: row.is_admin }, kind: 'session', id: row.id, until, readAt: now };
}

/** Resolves a bearer token (API token or login session); undefined when unknown, revoked, expired, or its user is deactivated. */
export async function authenticateCredential(ctx: DomainContext, token: string): Promise<Credential | undefined> {
  const hash = hashToken(token);
  const now = ctx.clock.now();
  const cached = ctx.cache.tokens.get(hash);
  if (cached && now < cached.until && now - cached.readAt <= TOUCH_EVERY_MS) return cached;
  // Last-use writes go straight to the pool, not through transaction(): they must not drop cached reads.
  const stamp = ctx.cache.feed.stamp();
  const found = (await tokenCredential(ctx, hash, now)) ?? (await sessionCredential(ctx, hash, now));
  if (found) ctx.cache.tokens.set(hash, stamp, found);
  else ctx.cache.tokens.delete(hash);
  return found;
}

export async function authenticateToken(ctx: DomainContext, token: string): Promise<Actor | undefined> {
  return (await authenticateCredential(ctx, token))?.actor;
}

export interface Session {
  id: string;
  user_id: string;
  kind: string;
  create_at: number;
  last_activity_at: number;
  /** When it ends if not used again: the earlier of the absolute expiry and the idle deadline. */
  expires_at: number;
  user_agent: string;
}

/**
 * Password sign-in: a new session (its token returned once). An unknown login, a user without a password and
 * a deactivated user all cost one password verification (against a dummy hash), like a wrong password.
 * A hash from before argon2id is replaced after a successful check.
 */
export async function login(
  ctx: DomainContext,
  props: { login_id: string; password: string; user_agent?: string | undefined },
): Promise<{ user: UserRow; token: string; session: Session }> {
  const user = await usersRepo.byLogin(ctx.db, props.login_id);
  const usable = user !== undefined && user.password_hash !== '' && user.delete_at === 0 && !user.is_bot;
  const stored = usable ? user.password_hash : await dummyPasswordHash();
  const ok = await verifyPassword(props.password, stored);
  if (!usable || !ok) throw unauthorized('invalid login or password');
  const rehash = needsRehash(user.password_hash) ? await hashPassword(props.password) : undefined;
  const token = newSecret();
  const now = ctx.clock.now();
  const row = {
    id: newId(),
    user_id: user.id,
    token_hash: hashToken(token),
    kind: 'login',
    create_at: now,
    last_activity_at: now,
    expires_at: now + policyOf(ctx).maxMs,
    user_agent: (props.user_agent ?? '').slice(0, 256),
  };
  await transaction(ctx.db, async (tx) => {
    if (rehash) await usersRepo.setPasswordHash(tx, user.id, rehash);
    await sessionsRepo.insert(tx, row);
  });
  return { user, token, session: presentable(ctx, row) };
}

function presentable(ctx: DomainContext, row: Omit<Session, 'expires_at'> & { expires_at: number }): Session {
  const expires = Math.min(row.expires_at, row.last_activity_at + policyOf(ctx).idleMs);
  return {
    id: row.id,
    user_id: row.user_id,
    kind: row.kind,
    create_at: row.create_at,
    last_activity_at: row.last_activity_at,
    expires_at: expires,
    user_agent: row.user_agent,
  };
}

function mayManage(actor: Actor, userId: string): void {
  if (!actor.isAdmin && actor.userId !== userId) throw forbidden('you can manage only your own sessions');
}

/** A user's sessions that can still be used, oldest first. */
export async function listSessions(ctx: DomainContext, actor: Actor, userId: string): Promise<Session[]> {
  mayManage(actor, userId);
  const now = ctx.clock.now();
  if (!(await usersRepo.byId(ctx.db, userId))) throw notFound('user not found');
  const rows = await sessionsRepo.liveForUser(ctx.db, userId, now);
  return rows.map((row) => presentable(ctx, row)).filter((s) => s.expires_at > now);
}

export async function revokeSession(ctx: DomainContext, actor: Actor, userId: string, sessionId: string): Promise<void> {
  mayManage(actor, userId);
  await transaction(ctx.db, async (tx) => {
    const row = await sessionsRepo.byId(tx, sessionId);
    if (!row || row.user_id !== userId || row.revoked_at !== 0) throw notFound('session not found');
    await sessionsRepo.revoke(tx, sessionId, ctx.clock.now());
  });
}

export async function revokeAllSessions(ctx: DomainContext, actor: Actor, userId: string): Promise<void> {
  mayManage(actor, userId);
  await transaction(ctx.db, async (tx) => {
    if (!(await usersRepo.byId(tx, userId))) throw notFound('user not found');
    await sessionsRepo.revokeAllOf(tx, userId, ctx.clock.now());
  });
}

/** Sign-out: ends the session behind `token` (an API token is left alone: revoke those explicitly). */
export async function logout(ctx: DomainContext, token: string): Promise<void> {
  await transaction(ctx.db, async (tx) => {
    await sessionsRepo.revokeByHash(tx, hashToken(token), ctx.clock.now());
  });
}
