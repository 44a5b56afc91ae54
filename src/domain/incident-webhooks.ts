// Grafana Incident webhooks: outgoing subscriptions (recorded in the outbox from the timeline, so changes
// made through either API are covered in one place) and the incoming webhook's attached-body limit.
import { newId, newSecret } from '../lib/ids.ts';
import { json, transaction, type Executor, type Tx } from '../store/db.ts';
import { outboxRepo } from '../store/outbox.repo.ts';
import type { WebhookSubscriptionsTable } from '../store/schema.ts';
import type { Selectable } from 'kysely';
import type { Actor, DomainContext } from './context.ts';
import { forbidden, invalid, notFound } from './errors.ts';
import { outgoingUrlProblem } from '../lib/urls.ts';

export const INCIDENT_WEBHOOK_EVENTS = [
  'grafana.incident.created',
  'grafana.incident.updated.role',
  'grafana.incident.updated.status',
  'grafana.incident.updated.title',
  'grafana.incident.updated.severity',
  'grafana.incident.added.label',
  'grafana.incident.removed.label',
  'grafana.incident.closed',
] as const;
export type IncidentWebhookEvent = (typeof INCIDENT_WEBHOOK_EVENTS)[number];

/** Timeline event type → the outgoing events it raises (notes §10). Other changes raise none. */
const EVENTS_OF: Record<string, IncidentWebhookEvent[]> = {
  incident_created: ['grafana.incident.created'],
  run_finished: ['grafana.incident.updated.status', 'grafana.incident.closed'],
  run_restored: ['grafana.incident.updated.status'],
  title_changed: ['grafana.incident.updated.title'],
  severity_changed: ['grafana.incident.updated.severity'],
  owner_changed: ['grafana.incident.updated.role'],
  role_assigned: ['grafana.incident.updated.role'],
  role_unassigned: ['grafana.incident.updated.role'],
  label_added: ['grafana.incident.added.label'],
  label_removed: ['grafana.incident.removed.label'],
};

/** Whether timeline events of these types can raise any outgoing webhook (most changes, e.g. notes, cannot). */
export function eventsRaiseWebhooks(eventTypes: Iterable<string>): boolean {
  for (const type of eventTypes) if (EVENTS_OF[type]) return true;
  return false;
}

const SOURCE = 'incident';
const MAX_SUBSCRIPTIONS = 100;
export type SubscriptionRow = Selectable<WebhookSubscriptionsTable>;

function requireAdmin(actor: Actor): void {
  if (!actor.isAdmin) throw forbidden('only a system admin may manage outgoing webhooks');
}

function checkUrl(value: string): string {
  const problem = outgoingUrlProblem(value);
  if (problem) throw invalid('url', `url ${problem}`);
  return value;
}

function checkEvents(events: string[] | undefined): IncidentWebhookEvent[] {
  if (events === undefined || events.length === 0) return [...INCIDENT_WEBHOOK_EVENTS];
  const known = new Set<string>(INCIDENT_WEBHOOK_EVENTS);
  for (const [i, event] of events.entries()) {
    if (!known.has(event)) throw invalid(`events.${i}`, `events.${i}: unknown event "${event}", must be one of ${INCIDENT_WEBHOOK_EVENTS.join(', ')}`);
  }
  return [...new Set(events)] as IncidentWebhookEvent[];
}

/** Subscribes a URL; no events means all of them. The secret is returned here and never again. */
export async function createOutgoingWebhook(ctx: DomainContext, actor: Actor, props: { url: string; events?: string[] | undefined }): Promise<SubscriptionRow> {
  requireAdmin(actor);
  const url = checkUrl(props.url.trim());
  const events = checkEvents(props.events);
  const secret = newSecret('gis_');
  return transaction(ctx.db, async (tx) => {
    const count = await tx
      .selectFrom('webhook_subscriptions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('source', '=', SOURCE)
      .executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_SUBSCRIPTIONS) throw invalid('url', `at most ${MAX_SUBSCRIPTIONS} outgoing webhooks may be configured`);
    return tx
      .insertInto('webhook_subscriptions')
      .values({ id: newId(), source: SOURCE, url, secret: ctx.secrets.seal(secret), events: json(events), create_at: ctx.clock.now(), creator_user_id: actor.userId })
      .returningAll()
      .executeTakeFirstOrThrow()
      .then((row) => ({ ...row, secret }));
  });
}

export async function listOutgoingWebhooks(ex: Executor, actor: Actor): Promise<SubscriptionRow[]> {
  requireAdmin(actor);
  return ex.selectFrom('webhook_subscriptions').selectAll().where('source', '=', SOURCE).orderBy('create_at').orderBy('id').execute();
}

export async function deleteOutgoingWebhook(ctx: DomainContext, actor: Actor, id: string): Promise<void> {
  requireAdmin(actor);
  const deleted = await ctx.db
    .deleteFrom('webhook_subscriptions')
    .where('id', '=', id)
    .where('source', '=', SOURCE)
    .returning('id')
    .executeTakeFirst();
  if (!deleted) throw notFound(`outgoing webhook ${id} not found`);
}

/**
 * Records the outgoing webhooks raised by the timeline events of `incidentId` with seq > `sinceSeq`, i.e. the
 * ones the current transaction appended. Called at the end of mutateIncident and createIncident, so every
 * change from either API passes through here. One delivery per (event name, subscription) per transaction:
 * the payload is a snapshot of the incident after the whole change.
 *
 * Byte rule: `webhook_deliveries.payload` holds the body as a JSON *string* (a jsonb string value), the exact
 * text the delivery engine signs (GI-Signature and Standard Webhooks, at send time with the subscription's
 * current secret) and sends verbatim; re-serialising a parsed object would reorder keys.
 */
export async function recordIncidentWebhooks(tx: Tx, ctx: DomainContext, incidentId: string, sinceSeq: number): Promise<void> {
  const subscriptions = await tx.selectFrom('webhook_subscriptions').selectAll().where('source', '=', SOURCE).where('enabled', '=', true).execute();
  if (subscriptions.length === 0) return;
  const appended = await tx
    .selectFrom('timeline_events')
    .select(['event_type', 'creator_user_id'])
    .where('incident_id', '=', incidentId)
    .where('seq', '>', sinceSeq)
    .orderBy('seq')
    .execute();
  const raised = new Map<IncidentWebhookEvent, string>();
  for (const event of appended) for (const name of EVENTS_OF[event.event_type] ?? []) if (!raised.has(name)) raised.set(name, event.creator_user_id);
  if (raised.size === 0) return;

  const now = ctx.clock.now();
  const render = ctx.webhookRenderers.incident;
  for (const [name, actorUserId] of raised) {
    const wanted = subscriptions.filter((s) => s.events.includes(name));
    if (wanted.length === 0) continue;
    const webhookEvent = { source: SOURCE, event: name, incidentId, actorUserId, payload: { eventId: newId() } } as const;
    const rendered = render ? await render(tx, webhookEvent, { now, siteUrl: ctx.siteUrl }) : { event: name, incident_id: incidentId };
    const body = JSON.stringify(rendered);
    for (const subscription of wanted) {
      await outboxRepo.insert(tx, { source: SOURCE, event: name, url: subscription.url, incident_id: incidentId, payload: body, subscription_id: subscription.id, now });
    }
  }
}

/** An incoming webhook's body, kept on the incident as an editable note (activity kind userNote). */
export const MAX_ATTACHED_BODY = 64 * 1024;

