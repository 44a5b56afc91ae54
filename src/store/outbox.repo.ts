import type { Selectable } from 'kysely';
import { json, type Executor, type Tx } from './db.ts';
import { jobsRepo } from './jobs.repo.ts';
import type { WebhookDeliveriesTable, WebhookDeliveryAttemptsTable } from './schema.ts';
import { newId } from '../lib/ids.ts';

export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
export type AttemptRow = Selectable<WebhookDeliveryAttemptsTable>;

export const DELIVERY_JOB = 'webhook_delivery';
export const deliveryJobKey = (deliveryId: string) => `delivery:${deliveryId}`;

export interface NewDelivery {
  source: string;
  event: string;
  url: string;
  incident_id: string | null;
  /** A JSON text is sent verbatim (Grafana bodies: the exact signed bytes); anything else as its JSON. */
  payload: unknown;
  subscription_id?: string;
  headers?: Record<string, string>;
  now: number;
}

/** All SQL of the webhook outbox (`webhook_deliveries`) and its attempt log. */
export const outboxRepo = {
  /** Records a delivery and its job in the caller's transaction: a rolled-back change sends nothing. */
  async insert(ex: Executor, d: NewDelivery): Promise<string> {
    const id = newId();
    await ex
      .insertInto('webhook_deliveries')
      .values({
        id,
        source: d.source,
        event: d.event,
        url: d.url,
        incident_id: d.incident_id,
        subscription_id: d.subscription_id ?? '',
        payload: json(d.payload),
        headers: json(d.headers ?? { 'Content-Type': 'application/json' }),
        next_attempt_at: d.now,
        create_at: d.now,
      })
      .execute();
    await jobsRepo.upsert(ex, { kind: DELIVERY_JOB, key: deliveryJobKey(id), due_at: d.now, payload: { delivery_id: id }, now: d.now }).execute();
    await jobsRepo.announce(ex);
    return id;
  },
  byId: (ex: Executor, id: string) => ex.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst(),
  forIncident: (ex: Executor, incidentId: string) =>
    ex.selectFrom('webhook_deliveries').selectAll().where('incident_id', '=', incidentId).orderBy('create_at').orderBy('id').execute(),
  forSubscription: (ex: Executor, subscriptionId: string, limit: number) =>
    ex
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('subscription_id', '=', subscriptionId)
      .orderBy('create_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute(),
  attemptsOf: (ex: Executor, deliveryIds: string[]) =>
    deliveryIds.length === 0
      ? Promise.resolve([] as AttemptRow[])
      : ex.selectFrom('webhook_delivery_attempts').selectAll().where('delivery_id', 'in', deliveryIds).orderBy('delivery_id').orderBy('attempt').execute(),

  /** Logs one attempt and moves the delivery to its new state. */
  async recordAttempt(
    tx: Tx,
    deliveryId: string,
    a: Omit<AttemptRow, 'id' | 'delivery_id' | 'attempt'>,
    next: { status: DeliveryRow['status']; next_attempt_at: number },
  ): Promise<void> {
    const row = await tx
      .updateTable('webhook_deliveries')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        status: next.status,
        next_attempt_at: next.next_attempt_at,
        last_status_code: a.status_code,
        last_error: a.error_class ? `${a.error_class}: ${a.error}`.slice(0, 1000) : '',
        last_attempt_at: a.at,
        done_at: next.status === 'pending' ? 0 : a.at,
      }))
      .where('id', '=', deliveryId)
      .returning('attempts')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('webhook_delivery_attempts')
      .values({ id: newId(), delivery_id: deliveryId, attempt: row.attempts, ...a })
      .execute();
  },
  /** Pending deliveries of a subscription are given up when it is disabled. */
  failPendingOf: (tx: Tx, subscriptionId: string, now: number, reason: string) =>
    tx
      .updateTable('webhook_deliveries')
      .set({ status: 'failed', done_at: now, last_error: reason })
      .where('subscription_id', '=', subscriptionId)
      .where('status', '=', 'pending')
      .returning('id')
      .execute(),
  giveUp: (tx: Tx, id: string, now: number, reason: string) =>
    tx.updateTable('webhook_deliveries').set({ status: 'failed', done_at: now, last_error: reason }).where('id', '=', id).execute(),
  /** Puts a delivery back in the queue (redeliver): same id, so the receiver sees the same `webhook-id`. */
  async requeue(tx: Tx, id: string, now: number): Promise<void> {
    await tx.updateTable('webhook_deliveries').set({ status: 'pending', next_attempt_at: now, done_at: 0 }).where('id', '=', id).execute();
    await jobsRepo.upsert(tx, { kind: DELIVERY_JOB, key: deliveryJobKey(id), due_at: now, payload: { delivery_id: id }, now }).execute();
    await jobsRepo.announce(tx);
  },
};
