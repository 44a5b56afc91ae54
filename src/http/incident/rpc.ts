import type { ValidateFunction } from 'ajv';
import type { TSchema } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { Actor, DomainContext } from '../../domain/context.ts';
import { DomainError, invalid } from '../../domain/errors.ts';
import { describeValidationIssues, type AjvIssue } from '../errors.ts';
import { parseJsonBody } from '../json.ts';
import { compileBodyValidator } from '../validation.ts';
import type { App } from '../app-type.ts';

/** One RPC method: its request schema and what it does. Handlers return the response object without `error`. */
export interface RpcMethod<Req = unknown> {
  request: TSchema;
  // Method syntax on purpose: a registry holds handlers of many request types, checked by their own schemas.
  handler(ctx: DomainContext, actor: Actor, request: Req): Promise<object>;
}

export type RpcRegistry = Record<string, RpcMethod>;

/**
 * A response a handler already serialised (including `"error":""`), sent as it is: lets a hot method
 * answer from a cached rendering instead of building and stringifying the object again.
 */
export class PrerenderedResponse {
  constructor(
    readonly json: string,
    /** The resource's strong ETag, sent as the response's ETag header (GetIncident). */
    readonly etag?: string,
  ) {}
}

/** Serialises a handler's response the way the transport does. */
export function renderRpcResponse(response: object): string {
  return JSON.stringify({ ...response, error: '' });
}

/** The plugin ids clients use: the documented one (incident-node, docs) and the current IRM one (incident-go). */
export const RPC_PLUGINS = ['grafana-incident-app', 'grafana-irm-app'];

/**
 * Mounts the oto-style JSON RPC: `POST <base>/<Service>.<Method>` under both plugin ids, versioned (`api/v1/`)
 * and unversioned (`api/`). Any JSON content type (or none); `null` accepted wherever a value may be absent;
 * success is 200 with the full response and `"error": ""`; errors are 4xx/5xx with `{"error"}` (server.ts).
 */
export async function registerRpc(app: App, methods: RpcRegistry): Promise<void> {
  const validators = new Map<string, { method: RpcMethod; validate: ValidateFunction }>();
  for (const [name, method] of Object.entries(methods)) validators.set(name, { method, validate: compileBodyValidator(method.request) });

  const ctx = app.services.ctx;
  for (const plugin of RPC_PLUGINS) {
    await app.register(
      async (scoped) => {
        // Clients send application/json with or without a charset, or nothing at all.
        scoped.removeAllContentTypeParsers();
        scoped.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_req, body, done) => {
          try {
            done(null, parseJsonBody(String(body)) ?? {});
          } catch (err) {
            done(err as Error, undefined);
          }
        });
        const handle = async (name: string, body: unknown, request: FastifyRequest) => {
          // incident-go concatenates its base URL and the method: a base without the trailing slash
          // yields `.../api/v1IncidentsService.GetIncident`.
          const entry = validators.get(name) ?? (name.startsWith('v1') ? validators.get(name.slice(2)) : undefined);
          if (!entry) throw new DomainError('not_found', `unknown method ${name}`);
          const actor = request.actor; // authenticated in onRequest, before the body was read (http/auth.ts)
          if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalid('body', 'request body must be a JSON object');
          if (!entry.validate(body)) {
            const { field, message } = describeValidationIssues(entry.validate.errors as AjvIssue[]);
            throw invalid(field, message);
          }
          return entry.method.handler(ctx, actor, body);
        };
        for (const base of ['/api/v1/', '/api/']) {
          scoped.post(`${base}:method`, { config: { rpcMethods: methods } }, async (request, reply) => {
            const { method } = request.params as { method: string };
            const result = await handle(method, request.body, request);
            const json = result instanceof PrerenderedResponse ? result.json : renderRpcResponse(result);
            if (result instanceof PrerenderedResponse && result.etag) void reply.header('etag', result.etag);
            return reply.header('content-type', 'application/json; charset=utf-8').send(json);
          });
        }
      },
      { prefix: `/api/plugins/${plugin}/resources` },
    );
  }
}
