import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { transaction, type Executor } from '../store/db.ts';
import { signingSecretsRepo } from '../store/webhook-subscriptions.repo.ts';
import type { Actor, DomainContext } from './context.ts';
import { forbidden, invalid } from './errors.ts';

// The server-wide secret that signs Playbooks callbacks (Standard Webhooks, `whsec_` + base64 of 32 bytes).
// Created at first start and shown once; rotating keeps the old one signing beside the new one for a grace
// period, so receivers can switch without a gap (the header then carries two `v1,` signatures).

const LOCK_KEY = 7_242_025;
export const MAX_GRACE_SECONDS = 30 * 24 * 3600;

const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** Creates the first secret if there is none; returns it (to be shown once) or undefined. */
export async function ensureSigningSecret(ctx: DomainContext): Promise<string | undefined> {
  return transaction(ctx.db, async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${LOCK_KEY})`.execute(tx);
    if ((await signingSecretsRepo.all(tx)).length > 0) return undefined;
    const secret = newWebhookSecret();
    await signingSecretsRepo.insert(tx, ctx.secrets.seal(secret), ctx.clock.now());
    return secret;
  });
}

/** A new signing secret; the current one keeps signing for `graceSeconds`. Returns the new secret, shown once. */
export async function rotateSigningSecret(ctx: DomainContext, actor: Actor, graceSeconds: number): Promise<string> {
  if (!actor.isAdmin) throw forbidden('only a system admin may rotate the webhook signing secret');
  if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_GRACE_SECONDS) {
    throw invalid('grace_seconds', `grace_seconds must be an integer from 0 to ${MAX_GRACE_SECONDS}`);
  }
  return transaction(ctx.db, async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${LOCK_KEY})`.execute(tx);
    const now = ctx.clock.now();
    await signingSecretsRepo.retireCurrent(tx, now + graceSeconds * 1000);
    const secret = newWebhookSecret();
    await signingSecretsRepo.insert(tx, ctx.secrets.seal(secret), now);
    return secret;
  });
}

/** The secrets that sign a Playbooks callback now, newest first. */
export async function activeSigningSecrets(ex: Executor, ctx: DomainContext): Promise<string[]> {
  const rows = await signingSecretsRepo.active(ex, ctx.clock.now());
  return rows.map((r) => ctx.secrets.open(r.secret));
}
