import type { Static } from 'typebox';
import { invalid } from '../../domain/errors.ts';
import type { SubscriptionRow } from '../../domain/incident-webhooks.ts';
import {
  createSlackChannel,
  disableHook,
  enabledHooks,
  enableHook,
  HOOK_ID,
  hookEventOf,
  hookRuns,
  INTEGRATION_ID,
  type HookRunView,
} from '../../domain/integrations.ts';
import * as S from './integrations.schema.ts';
import { rfc3339 } from './present.ts';
import type { RpcRegistry } from './rpc.ts';

type Req<T extends keyof typeof S> = Static<(typeof S)[T]>;

const HOOK = { hookID: HOOK_ID, name: 'Outgoing webhook', description: 'POSTs the signed OutgoingWebhookPayload (GI-Signature) to a URL' };
const RUN_STATUS = { pending: 'todo', delivered: 'success', failed: 'failed' } as const;

/** EnabledHook. The secret is never shown again after EnableHook. */
function presentEnabledHook(row: SubscriptionRow) {
  return {
    integrationID: INTEGRATION_ID,
    enabledHookID: row.id,
    eventName: hookEventOf(row),
    hook: HOOK,
    incidentFilter: '',
    sensitive: row.sensitive,
  };
}

/** `grafana.incident.updated.role` → `updatedRole`. */
function eventKind(event: string): string {
  return event.replace(/^grafana\.incident\./, '').replace(/\.([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** HookRun: one recorded delivery. lastRun is its last attempt (when recorded, before any); a still-retrying one is `todo`. */
function presentHookRun(run: HookRunView) {
  const status = RUN_STATUS[run.status];
  return {
    integrationID: INTEGRATION_ID,
    hookID: HOOK_ID,
    enabledHookID: run.subscription?.id ?? '',
    lastRun: rfc3339(run.lastAttemptAt || run.createAt),
    lastUpdate: rfc3339(run.doneAt || run.lastAttemptAt || run.createAt),
    metadata: {
      title: `Webhook ${run.event}`,
      // Not the URL: whoever sees the incident sees its hook runs, and webhook URLs often carry credentials.
      explanation: run.status === 'delivered' ? `delivered (HTTP ${run.lastStatusCode})` : `${run.attempts} attempt(s), ${run.status}`,
      url: '',
    },
    eventName: run.subscription ? hookEventOf(run.subscription) : 'incidentUpdated',
    eventKind: eventKind(run.event),
    status,
    updateStatus: status,
    updateError: run.status === 'delivered' ? '' : run.lastError,
  };
}

export const integrationsMethods: RpcRegistry = {
  'IntegrationService.CreateIncidentSlackChannel': {
    request: S.CreateIncidentSlackChannelRequest,
    handler: (ctx, actor, req: Req<'CreateIncidentSlackChannelRequest'>) => createSlackChannel(ctx.db, actor, req.incidentID),
  },
  'IntegrationService.EnableHook': {
    request: S.EnableHookRequest,
    handler: async (ctx, actor, req: Req<'EnableHookRequest'>) => {
      if (req.incidentFilter && req.eventName !== 'incidentFilter') throw invalid('incidentFilter', 'incidentFilter is only used with eventName "incidentFilter"');
      const fields = req.hookConfig?.fields ?? [];
      const config = new Map(fields.map((f) => [f.key, f.value ?? '']));
      const row = await enableHook(ctx, actor, { integrationId: req.integrationID, hookId: req.hookID, eventName: req.eventName, config, sensitive: req.sensitive ?? false });
      return { enabledHookID: row.id };
    },
  },
  'IntegrationService.DisableHook': {
    request: S.DisableHookRequest,
    handler: async (ctx, actor, req: Req<'DisableHookRequest'>) => {
      await disableHook(ctx, actor, req.integrationID, req.enabledHookID);
      return {};
    },
  },
  'IntegrationService.GetEnabledHooks': {
    request: S.GetEnabledHooksRequest,
    handler: async (ctx, actor, req: Req<'GetEnabledHooksRequest'>) => ({ enabledHooks: (await enabledHooks(ctx.db, actor, req.eventName ?? '')).map(presentEnabledHook) }),
  },
  'IntegrationService.GetHookRuns': {
    request: S.GetHookRunsRequest,
    handler: async (ctx, actor, req: Req<'GetHookRunsRequest'>) => ({ hookRuns: (await hookRuns(ctx.db, actor, req.incidentID)).map(presentHookRun) }),
  },
};
