import { outboxRepo, type AttemptRow, type DeliveryRow } from '../store/outbox.repo.ts';
import { transaction } from '../store/db.ts';
import { subscriptionsRepo, type SubscriptionRow } from '../store/webhook-subscriptions.repo.ts';
import type { Actor, DomainContext } from './context.ts';
import { conflict, forbidden, invalid, notFound } from './errors.ts';

// The delivery log people read: subscriptions, their deliveries with every attempt, redeliver, re-enable.
// Who may: a system admin, or the subscription's creator for its own subscription. Playbooks callbacks
// (no subscription) are admins' only.

export interface DeliveryWithAttempts {
  delivery: DeliveryRow;
  attempts: AttemptRow[];
}

const MAX_PAGE = 200;

function mayManage(actor: Actor, subscription: SubscriptionRow | undefined): boolean {
  return actor.isAdmin || (subscription !== undefined && subscription.creator_user_id !== '' && subscription.creator_user_id === actor.userId);
}

async function withAttempts(ctx: DomainContext, deliveries: DeliveryRow[]): Promise<DeliveryWithAttempts[]> {
  const attempts = await outboxRepo.attemptsOf(ctx.db, deliveries.map((d) => d.id));
  const byDelivery = new Map<string, AttemptRow[]>();
  for (const a of attempts) byDelivery.set(a.delivery_id, [...(byDelivery.get(a.delivery_id) ?? []), a]);
  return deliveries.map((delivery) => ({ delivery, attempts: byDelivery.get(delivery.id) ?? [] }));
}

export async function listSubscriptions(ctx: DomainContext, actor: Actor): Promise<SubscriptionRow[]> {
  const all = await subscriptionsRepo.all(ctx.db);
  return all.filter((s) => mayManage(actor, s));
}

async function managedSubscription(ctx: DomainContext, actor: Actor, id: string): Promise<SubscriptionRow> {
  const subscription = await subscriptionsRepo.byId(ctx.db, id);
  if (!subscription) throw notFound(`webhook ${id} not found`);
  if (!mayManage(actor, subscription)) throw forbidden('only a system admin or the webhook\'s creator may see its deliveries');
  return subscription;
}

/** The newest deliveries of a subscription, each with every attempt. */
export async function subscriptionDeliveries(ctx: DomainContext, actor: Actor, id: string, limit = 50): Promise<DeliveryWithAttempts[]> {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw invalid('per_page', `per_page must be from 1 to ${MAX_PAGE}`);
  await managedSubscription(ctx, actor, id);
  return withAttempts(ctx, await outboxRepo.forSubscription(ctx.db, id, limit));
}

/** An incident's deliveries the actor may see (all for an admin, those of their own subscriptions otherwise). */
export async function incidentDeliveries(ctx: DomainContext, actor: Actor, incidentId: string): Promise<DeliveryWithAttempts[]> {
  const deliveries = await outboxRepo.forIncident(ctx.db, incidentId);
  let visible = deliveries;
  if (!actor.isAdmin) {
    const own = new Set((await listSubscriptions(ctx, actor)).map((s) => s.id));
    visible = deliveries.filter((d) => own.has(d.subscription_id));
  }
  return withAttempts(ctx, visible);
}

/** Sends a delivery again, with the same `webhook-id` (receivers deduplicate on it). */
export async function redeliver(ctx: DomainContext, actor: Actor, deliveryId: string): Promise<DeliveryRow> {
  const delivery = await outboxRepo.byId(ctx.db, deliveryId);
  if (!delivery) throw notFound(`delivery ${deliveryId} not found`);
  const subscription = delivery.subscription_id ? await subscriptionsRepo.byId(ctx.db, delivery.subscription_id) : undefined;
  if (!mayManage(actor, subscription)) throw forbidden('only a system admin or the webhook\'s creator may redeliver');
  if (delivery.subscription_id && !subscription) throw conflict('the webhook of this delivery was deleted');
  if (subscription && !subscription.enabled) throw conflict('the webhook is disabled: enable it first');
  await transaction(ctx.db, (tx) => outboxRepo.requeue(tx, deliveryId, ctx.clock.now()));
  return (await outboxRepo.byId(ctx.db, deliveryId))!;
}

/** Re-enables a disabled subscription (clears the reason and the failure window). */
export async function enableSubscription(ctx: DomainContext, actor: Actor, id: string): Promise<SubscriptionRow> {
  await managedSubscription(ctx, actor, id);
  return (await transaction(ctx.db, (tx) => subscriptionsRepo.enable(tx, id)))!;
}
