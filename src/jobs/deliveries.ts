import { CHAT_BROADCAST_SOURCE, reportFailedChatBroadcast } from '../domain/channels/broadcast.ts';
import type { DomainContext } from '../domain/context.ts';
import { activeSigningSecrets } from '../domain/signing-secrets.ts';
import { giSignatureHeader, standardWebhookSignature } from '../lib/signature.ts';
import type { SendResult } from '../net/outbound.ts';
import type { Tx } from '../store/db.ts';
import { outboxRepo, type DeliveryRow } from '../store/outbox.repo.ts';
import { subscriptionsRepo, type SubscriptionRow } from '../store/webhook-subscriptions.repo.ts';
import { deliveryRetryDelay } from './backoff.ts';
import type { JobOutcome } from './runner.ts';

export interface DeliverySettings {
  /** A subscription failing without a success for this long is disabled. */
  disableAfterMs: number;
  /** Longest wait a `Retry-After` may ask for. */
  maxRetryAfterMs?: number;
}

const KEEP_BYTES = 1024;
const MAX_RESPONSE_BYTES = 64 * 1024;
const DEFAULT_MAX_RETRY_AFTER_MS = 3_600_000;

/** The Standard Webhooks key of a Grafana subscription: `whsec_` + base64 of its secret (documented). */
export const subscriptionStandardSecret = (secret: string) => `whsec_${Buffer.from(secret, 'utf8').toString('base64')}`;

/** The exact bytes to send: Grafana bodies are stored as the signed JSON text; Playbooks bodies as JSON. */
export const deliveryBody = (d: DeliveryRow) => (typeof d.payload === 'string' ? d.payload : JSON.stringify(d.payload));

/**
 * Sends one outbox row and decides what happens next. At-least-once: the `webhook-id` is the delivery's id,
 * the same on every retry and on a redelivery, so receivers can drop duplicates. Signed at send time, so the
 * timestamp is fresh on every attempt.
 */
export async function deliverWebhook(ctx: DomainContext, settings: DeliverySettings, deliveryId: string): Promise<JobOutcome> {
  const delivery = await outboxRepo.byId(ctx.db, deliveryId);
  if (!delivery || delivery.status !== 'pending') return { done: true };
  const subscription = delivery.subscription_id ? await subscriptionsRepo.byId(ctx.db, delivery.subscription_id) : undefined;
  if (delivery.subscription_id && (!subscription || !subscription.enabled)) {
    const reason = subscription ? `the subscription is disabled: ${subscription.disabled_reason}` : 'the subscription was deleted';
    return { done: true, write: async (tx) => void await outboxRepo.giveUp(tx, delivery.id, ctx.clock.now(), reason) };
  }
  const body = deliveryBody(delivery);
  const at = ctx.clock.now();
  const headers = await signedHeaders(ctx, delivery, subscription, body, Math.floor(at / 1000));
  const result = await ctx.outbound.send(delivery.url, { method: 'POST', headers, body, maxResponseBytes: MAX_RESPONSE_BYTES, keepBytes: KEEP_BYTES });
  return decide(ctx, settings, delivery, subscription, result, at);
}

async function signedHeaders(ctx: DomainContext, d: DeliveryRow, sub: SubscriptionRow | undefined, body: string, unix: number) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...d.headers, 'User-Agent': 'Muster-Webhooks/1' };
  delete headers['GI-Signature'];
  const standardSecrets = sub ? [subscriptionStandardSecret(ctx.secrets.open(sub.secret))] : await activeSigningSecrets(ctx.db, ctx);
  if (sub) headers['GI-Signature'] = giSignatureHeader(ctx.secrets.open(sub.secret), body, unix);
  headers['webhook-id'] = d.id;
  headers['webhook-timestamp'] = String(unix);
  headers['webhook-signature'] = standardSecrets.map((s) => standardWebhookSignature(s, d.id, unix, body)).join(' ');
  return headers;
}

function decide(ctx: DomainContext, settings: DeliverySettings, d: DeliveryRow, sub: SubscriptionRow | undefined, r: SendResult, at: number): JobOutcome {
  const attempt = { at, duration_ms: r.durationMs, status_code: r.statusCode, error_class: r.errorClass, error: r.error, response_body: r.body };
  if (!r.errorClass) {
    return {
      done: true,
      write: async (tx) => {
        await outboxRepo.recordAttempt(tx, d.id, attempt, { status: 'delivered', next_attempt_at: 0 });
        if (sub) await subscriptionsRepo.markHealthy(tx, sub.id);
      },
    };
  }
  const failed = (reason: string | undefined) => async (tx: Tx) => {
    await outboxRepo.recordAttempt(tx, d.id, attempt, { status: 'failed', next_attempt_at: 0 });
    if (sub && reason) await disable(tx, sub.id, at, reason);
    if (d.source === CHAT_BROADCAST_SOURCE) await reportFailedChatBroadcast(tx, d, { now: at, error: r.errorClass ?? 'error', retrying: false });
  };
  if (sub && r.statusCode === 410) return { done: true, write: failed('the endpoint answered 410 Gone') };
  const failingSince = sub ? sub.failing_since || at : at;
  if (sub && at - failingSince >= settings.disableAfterMs) {
    const hours = Math.round(settings.disableAfterMs / 3_600_000);
    return { done: true, write: failed(`failing for over ${hours} h since ${new Date(failingSince).toISOString()}; last: ${r.error}`) };
  }
  const delay = retryAfterMs(r, settings.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS) ?? deliveryRetryDelay(d.attempts + 1);
  if (delay === null) return { done: true, write: failed(undefined) };
  const retryAt = ctx.clock.now() + delay;
  return {
    done: false,
    retryAt,
    error: `${r.errorClass}: ${r.error}`,
    write: async (tx) => {
      await outboxRepo.recordAttempt(tx, d.id, attempt, { status: 'pending', next_attempt_at: retryAt });
      if (sub) await subscriptionsRepo.markFailing(tx, sub.id, at);
      if (d.source === CHAT_BROADCAST_SOURCE && d.attempts === 0) await reportFailedChatBroadcast(tx, d, { now: at, error: r.errorClass ?? 'error', retrying: true });
    },
  };
}

/** `Retry-After` (seconds or an HTTP date) on 429 and 503, capped. */
function retryAfterMs(r: SendResult, capMs: number): number | undefined {
  if (r.statusCode !== 429 && r.statusCode !== 503) return undefined;
  const raw = r.headers['retry-after']?.trim();
  if (!raw) return undefined;
  const ms = /^\d+$/.test(raw) ? Number(raw) * 1000 : Date.parse(raw) - Date.now();
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  return Math.min(ms, capMs);
}

async function disable(tx: Tx, subscriptionId: string, now: number, reason: string): Promise<void> {
  await subscriptionsRepo.disable(tx, subscriptionId, reason);
  await outboxRepo.failPendingOf(tx, subscriptionId, now, `subscription disabled: ${reason}`);
}
