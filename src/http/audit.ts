// Every mutating call through HTTP (Playbooks, Mattermost, RPC, the incoming webhook) leaves one audit row:
// who, which route or RPC method, the ids it named or created, the status answered, when, and the request
// id. The row is written after the handler and before the response leaves (onSend): rows of concurrent
// requests go out together in one INSERT (domain/audit/log.ts), so the write path pays one statement per
// batch, not a transaction per request. Reads (GET, RPC Get/Query/List) leave none.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuditEntry } from '../domain/audit/entry.ts';
import type { AuditLog } from '../domain/audit/log.ts';
import { unavailable } from '../domain/errors.ts';
import type { App } from './app-type.ts';
import { isRpcPath, playbooksErrorBody, RETRY_AFTER_SECONDS, rpcErrorBody, toWireError } from './errors.ts';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const RPC_ROUTE = /\/resources\/api\/(v1\/)?:method$/;
const RPC_READ = /\.(Get|Query|List)[A-Z]/;
const RPC_CREATE = /\.(Create|Add)[A-Z]/;
const MAX_TARGETS = 16;
const MAX_TARGET_LENGTH = 128;
const MAX_PARSED_PAYLOAD = 1024 * 1024;

const audited = new WeakSet<FastifyRequest>();

/** The route or RPC method of a mutating call; undefined for reads and for requests no route matched. */
export function auditedAction(request: FastifyRequest): string | undefined {
  if (!MUTATING.has(request.method)) return undefined;
  const route = request.routeOptions.url;
  if (!route) return undefined;
  if (!RPC_ROUTE.test(route)) return `${request.method} ${route}`;
  const method = String((request.params as { method?: unknown }).method ?? '').replace(/^v1(?=[A-Z])/, '');
  return RPC_READ.test(method) ? undefined : `rpc ${method}`;
}

function put(targets: Record<string, string>, key: string, value: unknown): void {
  if (Object.keys(targets).length >= MAX_TARGETS) return;
  if (typeof value === 'string' && value !== '') targets[key] = value.slice(0, MAX_TARGET_LENGTH);
  else if (typeof value === 'number' && Number.isFinite(value)) targets[key] = String(value);
}

/** Ids a create answered with: a top-level `id`, or `{<thing>: {<thing>ID}}` (RPC). */
function createdIds(targets: Record<string, string>, payload: unknown): void {
  if (typeof payload !== 'string' || payload.length > MAX_PARSED_PAYLOAD) return;
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return;
  }
  if (!body || typeof body !== 'object') return;
  const record = body as Record<string, unknown>;
  put(targets, 'created', record.id);
  for (const [key, value] of Object.entries(record)) {
    if (value && typeof value === 'object') put(targets, `created_${key}ID`, (value as Record<string, unknown>)[`${key}ID`]);
  }
}

function targetsOf(request: FastifyRequest, reply: FastifyReply, payload: unknown, action: string): Record<string, string> {
  const targets: Record<string, string> = {};
  const rpc = action.startsWith('rpc ');
  for (const [key, value] of Object.entries((request.params ?? {}) as Record<string, unknown>)) if (key !== 'method') put(targets, key, value);
  if (rpc && request.body && typeof request.body === 'object') {
    for (const [key, value] of Object.entries(request.body as Record<string, unknown>)) if (key.endsWith('ID')) put(targets, key, value);
  }
  if (reply.statusCode >= 300) return targets;
  const location = reply.getHeader('location');
  if (typeof location === 'string') put(targets, 'created', location.split('/').pop());
  else if (reply.statusCode === 201 || (rpc && RPC_CREATE.test(action))) createdIds(targets, payload);
  return targets;
}

export function auditEntryOf(request: FastifyRequest, reply: FastifyReply, payload: unknown, action: string, at: number): AuditEntry {
  const actor = request.actor as typeof request.actor | undefined;
  return {
    at,
    actor: actor ? (actor.userId ? `user:${actor.userId}` : 'system') : 'anonymous',
    action,
    targets: targetsOf(request, reply, payload, action),
    status: reply.statusCode,
    request_id: String(request.id),
    address: request.ip,
  };
}

/** Registers the hook (one line in server.ts). */
export function registerAudit(app: App, audit: AuditLog, now: () => number): void {
  app.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: Error | null, payload?: unknown) => void) => {
    const action = audited.has(request) ? undefined : auditedAction(request);
    if (!action) return done(null, payload);
    audited.add(request);
    audit.append(auditEntryOf(request, reply, payload, action, now())).then(
      () => done(null, payload),
      (err: unknown) => {
        request.log.error({ err }, 'audit row could not be written');
        // A refused call changed nothing: its answer stands (the database is usually why both failed).
        if (reply.statusCode >= 400) return done(null, payload);
        // Never acknowledge a call without its audit row; the change itself may have been committed.
        const wire = toWireError(unavailable('the audit log could not be written: the change may have been applied, read it back before retrying'));
        void reply.code(wire.status).header('retry-after', String(RETRY_AFTER_SECONDS)).type('application/json; charset=utf-8');
        done(null, JSON.stringify(isRpcPath(request.url) ? rpcErrorBody(wire) : playbooksErrorBody(wire)));
      },
    );
  });
}
