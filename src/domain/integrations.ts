// Grafana IntegrationService over what exists here. Muster has one built-in integration, its outgoing
// webhooks (`muster-webhooks`, hook `outgoing-webhook`): an EnabledHook is an outgoing webhook subscription,
// and a hook run is one recorded delivery. Installable integrations (Slack, MS Teams, GitHub, ...) do not
// exist here: asking for one is refused with the reason, never answered with a fake success.
import { newId, newSecret } from '../lib/ids.ts';
import { outgoingUrlProblem } from '../lib/urls.ts';
import { json, transaction, type Executor } from '../store/db.ts';
import { requireVisibleIncident } from './access.ts';
import type { Actor, DomainContext } from './context.ts';
import { conflict, forbidden, invalid, invalidInput, notFound } from './errors.ts';
import { INCIDENT_WEBHOOK_EVENTS, type IncidentWebhookEvent, type SubscriptionRow } from './incident-webhooks.ts';

export const INTEGRATION_ID = 'muster-webhooks';
export const HOOK_ID = 'outgoing-webhook';
export const HOOK_EVENTS = ['incidentCreated', 'incidentDeleted', 'incidentUpdated', 'incidentClosed', 'manuallyTriggered', 'incidentFilter'] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

/** The outgoing webhook events each hook event stands for. */
const WEBHOOK_EVENTS: Partial<Record<HookEvent, IncidentWebhookEvent[]>> = {
  incidentCreated: ['grafana.incident.created'],
  // Every outgoing event between creation and close (the role, status, title, severity and label changes).
  incidentUpdated: INCIDENT_WEBHOOK_EVENTS.filter((e) => e !== 'grafana.incident.created' && e !== 'grafana.incident.closed'),
  incidentClosed: ['grafana.incident.closed'],
};

const UNSUPPORTED: Partial<Record<HookEvent, string>> = {
  incidentDeleted: 'Muster never deletes incidents, so incidentDeleted never fires',
  manuallyTriggered: 'Muster has no manually triggered hooks (run a checklist slash command instead)',
  incidentFilter: 'query-filtered hooks (incidentFilter) are not supported here: enable the hook for incidentCreated, incidentUpdated or incidentClosed',
};

function requireAdmin(actor: Actor): void {
  if (!actor.isAdmin) throw forbidden('only a system admin may enable or disable hooks');
}

export function requireIntegration(integrationId: string): void {
  if (integrationId !== INTEGRATION_ID) {
    throw invalid(
      'integrationID',
      `unknown integrationID "${integrationId}": Muster has one built-in integration, "${INTEGRATION_ID}" (outgoing webhooks); Slack, MS Teams and other installable integrations do not exist here`,
    );
  }
}

export interface EnableHookProps {
  integrationId: string;
  hookId: string;
  eventName: string;
  config: Map<string, string>;
  sensitive: boolean;
}

/** Wires the outgoing-webhook hook to an event: a subscription of the URL in the hook config. */
export function enableHook(ctx: DomainContext, actor: Actor, props: EnableHookProps): Promise<SubscriptionRow> {
  requireAdmin(actor);
  requireIntegration(props.integrationId);
  if (props.hookId !== HOOK_ID) throw invalidInput('hook_id', `unknown hook "${props.hookId}": the ${INTEGRATION_ID} integration has one hook, "${HOOK_ID}"`);
  const eventName = props.eventName as HookEvent;
  const reason = UNSUPPORTED[eventName];
  if (reason) throw invalidInput('hook_event', reason);
  const events = WEBHOOK_EVENTS[eventName];
  if (!events) throw invalidInput('hook_event', `must be one of ${HOOK_EVENTS.map((e) => JSON.stringify(e)).join(', ')}`);
  const url = (props.config.get('url') ?? '').trim();
  const problem = outgoingUrlProblem(url);
  if (problem) throw invalidInput('hook_config', `needs {"key":"url","value":"<absolute http(s) URL>"}: the url ${problem}`);
  const secret = props.config.get('secret') || newSecret('gis_');
  return transaction(ctx.db, (tx) =>
    tx
      .insertInto('webhook_subscriptions')
      .values({
        id: newId(),
        source: 'incident',
        url,
        // Sealed at rest, as every subscription secret.
        secret: ctx.secrets.seal(secret),
        events: json(events),
        hook_event: eventName,
        sensitive: props.sensitive,
        create_at: ctx.clock.now(),
        creator_user_id: actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
}

export async function disableHook(ctx: DomainContext, actor: Actor, integrationId: string, enabledHookId: string): Promise<void> {
  requireAdmin(actor);
  requireIntegration(integrationId);
  const deleted = await transaction(ctx.db, (tx) =>
    tx.deleteFrom('webhook_subscriptions').where('id', '=', enabledHookId).where('source', '=', 'incident').returning('id').executeTakeFirst(),
  );
  if (!deleted) throw notFound(`enabled hook ${enabledHookId} not found`);
}

/** The hook event a subscription stands for: the one it was enabled for, else the closest its events give. */
export function hookEventOf(row: SubscriptionRow): HookEvent {
  if (row.hook_event) return row.hook_event as HookEvent;
  if (row.events.length === 1 && row.events[0] === 'grafana.incident.created') return 'incidentCreated';
  if (row.events.length === 1 && row.events[0] === 'grafana.incident.closed') return 'incidentClosed';
  return 'incidentUpdated';
}

export async function enabledHooks(ex: Executor, actor: Actor, eventName: string): Promise<SubscriptionRow[]> {
  requireAdmin(actor);
  const rows = await ex.selectFrom('webhook_subscriptions').selectAll().where('source', '=', 'incident').orderBy('create_at').orderBy('id').execute();
  return rows.filter((row) => !eventName || hookEventOf(row) === eventName);
}

export interface HookRunView {
  subscription: SubscriptionRow | undefined;
  event: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number;
  lastError: string;
  createAt: number;
  /** The last attempt (0 = none yet) and when the delivery was settled (0 = still pending). */
  lastAttemptAt: number;
  doneAt: number;
  url: string;
}

/** The incident's recorded deliveries, oldest first, with the subscription each went to (if it still exists). */
export async function hookRuns(ex: Executor, actor: Actor, incidentId: string): Promise<HookRunView[]> {
  const incident = await requireVisibleIncident(ex, actor, incidentId);
  const [deliveries, subscriptions] = await Promise.all([
    ex.selectFrom('webhook_deliveries').selectAll().where('incident_id', '=', incident.id).where('source', '=', 'incident').orderBy('create_at').orderBy('id').execute(),
    ex.selectFrom('webhook_subscriptions').selectAll().where('source', '=', 'incident').execute(),
  ]);
  return deliveries.map((d) => ({
    subscription: subscriptions.find((s) => s.id === d.subscription_id) ?? subscriptions.find((s) => s.url === d.url),
    event: d.event,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.last_status_code,
    lastError: d.last_error,
    createAt: d.create_at,
    lastAttemptAt: d.last_attempt_at,
    doneAt: d.done_at,
    url: d.url,
  }));
}

/** Slack channels cannot be created here: every incident has its war-room channel from the start. */
export async function createSlackChannel(ex: Executor, actor: Actor, incidentId: string): Promise<never> {
  const incident = await requireVisibleIncident(ex, actor, incidentId);
  throw conflict(
    `the incident already has its channel ${incident.channel_id} (the incident's channels list it): Muster has no Slack integration and creates no Slack channels`,
    'incident_id',
  );
}
