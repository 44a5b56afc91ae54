import type { RouteEntry } from '../../src/http/catalogue.ts';

/** One thing to fuzz: an HTTP route (Playbooks, v4) or one RPC method behind the transport's single route. */
export interface Target {
  name: string;
  facade: 'playbooks' | 'rpc';
  method: string;
  /** Path template with `:param` segments. */
  url: string;
  body?: object | undefined;
  querystring?: object | undefined;
  params: string[];
}

/** The ids the fuzzer puts where a schema wants an id, so that requests reach past the 404 of a random one. */
export interface Fixtures {
  runId: string;
  playbookId: string;
  teamId: string;
  userId: string;
  channelId: string;
}

const PLAYBOOKS = '/plugins/playbooks/api/v0/';
const V4 = '/api/v4/';
const RPC_BASE = '/api/plugins/grafana-incident-app/resources/api/v1/';
const HOOK = '/api/plugins/grafana-incident-app/resources/api/v1/incoming-webhooks/grafana.incident.create';

/** The incoming webhook reads its query by hand (no schema), so its parameters are listed here. */
const HOOK_QUERY = {
  type: 'object',
  properties: Object.fromEntries(
    ['title', 'severity', 'status', 'labels', 'url', 'caption', 'drill', 'roomprefix', 'includes'].map((k) => [k, { type: 'string', maxLength: 40 }]),
  ),
  required: ['title'],
};

/**
 * Every route of both facades and the v4 slice, from the schemas they registered: one prefix of the Playbooks
 * routes (the others are the same handlers), every method of the RPC transport, and the incoming webhook.
 */
export function collectTargets(routes: RouteEntry[]): Target[] {
  const targets: Target[] = [];
  for (const route of routes) {
    if (route.rpcMethods && route.url === `${RPC_BASE}:method`) {
      for (const [name, method] of Object.entries(route.rpcMethods)) {
        targets.push({ name: `RPC ${name}`, facade: 'rpc', method: 'POST', url: RPC_BASE + name, body: method.request as object, params: [] });
      }
    } else if (route.url === HOOK) {
      targets.push({ name: 'RPC incoming webhook', facade: 'rpc', method: 'POST', url: HOOK, querystring: HOOK_QUERY, params: [] });
    } else if (route.url.startsWith(PLAYBOOKS) || route.url.startsWith(V4)) {
      targets.push({
        name: `${route.method} ${route.url}`,
        facade: 'playbooks',
        method: route.method,
        url: route.url,
        body: route.schema.body as object | undefined,
        querystring: route.schema.querystring as object | undefined,
        params: [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!),
      });
    }
  }
  return targets;
}

/** A known id for a path parameter: `:id` by the segment before it, the rest by name. */
export function paramFixture(url: string, name: string, f: Fixtures): string {
  if (name === 'checklist' || name === 'item') return '0';
  if (/user/i.test(name)) return f.userId;
  if (/channel/i.test(name)) return f.channelId;
  const segment = url.split(`/:${name}`)[0]!.split('/').pop();
  switch (segment) {
    case 'runs':
      return f.runId;
    case 'playbooks':
      return f.playbookId;
    case 'teams':
      return f.teamId;
    case 'channels':
      return f.channelId;
    case 'users':
      return f.userId;
    default:
      return f.runId;
  }
}

function idFor(key: string, f: Fixtures): string | undefined {
  if (/^(incidentID|incident_id|run_id|playbook_run_id)$/.test(key)) return f.runId;
  if (/^team_?id$/i.test(key)) return f.teamId;
  if (/^playbook_?id$/i.test(key)) return f.playbookId;
  if (/^channel_?id$/i.test(key)) return f.channelId;
  if (/user.*id$|^assignee_id$|^owner_id$/i.test(key)) return f.userId;
  return undefined;
}

/** Replaces generated ids by known ones wherever a field's name says what it is (`team_id`, `incidentID`). */
export function withFixtureIds(value: unknown, f: Fixtures): unknown {
  if (Array.isArray(value)) return value.map((v) => withFixtureIds(v, f));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const id = typeof v === 'string' && v !== '' ? idFor(key, f) : undefined;
    out[key] = id ?? withFixtureIds(v, f);
  }
  return out;
}
