import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DomainContext } from '../../domain/context.ts';
import { invalid, unauthorized } from '../../domain/errors.ts';
import { authenticateToken } from '../../domain/identity/identity.ts';
import { MAX_ATTACHED_BODY } from '../../domain/incident-webhooks.ts';
import { createIncident, type CreateIncidentProps } from '../../domain/incidents/create.ts';
import { findUsableSeverity } from '../../domain/severities-admin.ts';
import type { App } from '../app-type.ts';
import { presentIncidentById } from './load.ts';
import { RPC_PLUGINS } from './rpc.ts';
import { isHttpUrl } from '../../lib/urls.ts';

// Grafana Incident's incoming webhook (notes §10): declares an incident from URL parameters and attaches
// the JSON body to it. Problems that do not stop the declaration are reported in `processingErrors`.

const BODY_LIMIT = 1024 * 1024;
const MAX_LABELS = 100;
const MAX_LABEL_LENGTH = 128;
const INCLUDES = new Set(['incident']);

/** Both plugin ids; the documented path and the older experimental one (singular `incoming-webhook`). */
export const INCOMING_WEBHOOK_PATHS = RPC_PLUGINS.flatMap((plugin) => [
  `/api/plugins/${plugin}/resources/api/v1/incoming-webhooks/grafana.incident.create`,
  `/api/plugins/${plugin}/resources/api/experimental/incoming-webhook/grafana.incident.create`,
]);

type Query = Record<string, string | string[] | undefined>;

/** The last value of a repeated parameter wins; a NUL cannot be stored and is refused. */
function param(query: Query, name: string): string | undefined {
  const raw = query[name];
  const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  if (value?.includes('\u0000')) throw invalid(name, `invalid query parameter ${name}: must not contain NUL characters`);
  return value;
}

function list(value: string | undefined): string[] {
  return [...new Set((value ?? '').split(',').map((s) => s.trim()).filter(Boolean))];
}

function tokenOf(request: FastifyRequest, query: Query): string {
  const header = request.headers.authorization;
  if (header) {
    const match = /^bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw unauthorized('Authorization header must be "Bearer <token>"');
    return match[1]!;
  }
  const token = param(query, 'token');
  if (!token) throw unauthorized('Not authorized: send Authorization: Bearer <token> or ?token=<token>');
  return token;
}

/** The body as it will be attached: pretty-printed JSON (or the text as sent), capped at 64 KiB. */
function bodyNote(raw: string, problems: string[]): string | undefined {
  if (!raw.trim()) return undefined;
  let text: string;
  try {
    text = JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    problems.push('the body is not valid JSON: it was attached as plain text');
    text = raw.replaceAll(String.fromCharCode(0), '\uFFFD'); // text columns cannot hold NUL
  }
  if (text.length > MAX_ATTACHED_BODY) {
    let cut = MAX_ATTACHED_BODY;
    if (/[\uD800-\uDBFF]/.test(text.charAt(cut - 1))) cut -= 1; // never split a surrogate pair
    text = text.slice(0, cut);
    problems.push(`the body is longer than ${MAX_ATTACHED_BODY} characters: the attached copy is truncated`);
  }
  return text;
}

/** The declaration a hook call asks for, read from its URL parameters; what cannot be honoured goes to `problems`. */
async function declarationOf(ctx: DomainContext, query: Query, problems: string[]): Promise<CreateIncidentProps> {
  const title = param(query, 'title')?.trim();
  if (!title) throw invalid('title', 'invalid query parameter title: is required');

  let severity = 'pending';
  const askedSeverity = param(query, 'severity')?.trim();
  if (askedSeverity) {
    const found = await findUsableSeverity(ctx.db, askedSeverity);
    if (found) severity = found.label;
    else problems.push(`unknown severity "${askedSeverity}": the incident was declared with severity pending`);
  }

  const askedStatus = param(query, 'status')?.trim() ?? '';
  let status: 'active' | 'resolved' = 'active';
  if (askedStatus === 'resolved') status = 'resolved';
  else if (askedStatus && askedStatus !== 'active') problems.push(`unknown status "${askedStatus}": must be active or resolved; the incident is active`);

  const drill = param(query, 'drill')?.trim().toLowerCase() ?? '';
  if (drill && drill !== 'true' && drill !== 'false') problems.push(`drill must be true or false, not "${drill}": the incident is not a drill`);

  return {
    name: title,
    origin: 'rpc',
    severity,
    is_drill: drill === 'true',
    labels: labelsOf(query, problems),
    status,
    room_prefix: param(query, 'roomprefix')?.trim() || undefined,
    attachment: attachmentOf(query, problems),
  };
}

function labelsOf(query: Query, problems: string[]): string[] {
  const labels: string[] = [];
  for (const label of list(param(query, 'labels'))) {
    if (label.length > MAX_LABEL_LENGTH) problems.push(`label "${label.slice(0, 32)}…" is longer than ${MAX_LABEL_LENGTH} characters: skipped`);
    else if (labels.length >= MAX_LABELS) problems.push(`more than ${MAX_LABELS} labels: "${label}" skipped`);
    else labels.push(label);
  }
  return labels;
}

function attachmentOf(query: Query, problems: string[]): { url: string; caption: string } | undefined {
  const link = param(query, 'url')?.trim() ?? '';
  const caption = param(query, 'caption')?.trim() ?? '';
  if (link && isHttpUrl(link)) return { url: link, caption };
  if (link) problems.push(`url "${link}" is not an absolute http(s) URL: nothing was attached`);
  else if (caption) problems.push('caption was given without url: nothing was attached');
  return undefined;
}

function includesOf(query: Query, problems: string[]): string[] {
  const includes = list(param(query, 'includes') ?? param(query, 'include'));
  for (const include of includes) if (!INCLUDES.has(include)) problems.push(`unknown includes value "${include}": only incident is supported`);
  return includes;
}

export async function incomingWebhookRoutes(app: App): Promise<void> {
  const ctx = app.services.ctx;
  // The token (header or ?token=) is checked before the body is read: a caller without one learns nothing.
  const authenticate = async (request: FastifyRequest) => {
    const actor = await authenticateToken(ctx, tokenOf(request, (request.query ?? {}) as Query));
    if (!actor) throw unauthorized('Not authorized: the token is invalid or revoked');
    request.actor = actor; // the audit hook records who called
  };
  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const query = (request.query ?? {}) as Query;
    const problems: string[] = [];
    const props = await declarationOf(ctx, query, problems);
    const includes = includesOf(query, problems);
    const note = bodyNote(typeof request.body === 'string' ? request.body : '', problems);
    const created = await createIncident(ctx, request.actor, { ...props, attached_context: note });
    const response: { incident?: unknown; processingErrors: string[] } = { processingErrors: problems };
    if (includes.includes('incident')) response.incident = await presentIncidentById(ctx.db, created.id, ctx.clock.now());
    return reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(response));
  };
  await app.register(async (scoped) => {
    // Senders are alerting tools: any content type (or none); the body is kept as sent, JSON or not.
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, String(body)));
    for (const url of INCOMING_WEBHOOK_PATHS) scoped.post(url, { config: { public: true }, onRequest: authenticate }, handle);
  });
}
