import Fastify, { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import type { Config } from '../config.ts';
import type { Services } from '../services.ts';
import { authenticate } from './auth.ts';
import type { Actor } from '../domain/context.ts';
import { parseJsonBody } from './json.ts';
import { playbooksErrorBody, rpcErrorBody, toWireError } from './errors.ts';
import { registerIncidentRoutes } from './incident/index.ts';
import { registerMattermostRoutes } from './mattermost/index.ts';
import { registerPlaybooksRoutes } from './playbooks/index.ts';
import type { App } from './app-type.ts';


const BODY_LIMIT = 1024 * 1024;

/** Paths of the Grafana Incident RPC facade; everything else speaks the Playbooks/Mattermost error form. */
export function isRpcPath(url: string): boolean {
  return url.startsWith('/api/plugins/') || url.startsWith('//api/plugins/');
}

export async function buildServer(services: Services, config: Pick<Config, 'logLevel'>): Promise<App> {
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    bodyLimit: BODY_LIMIT,
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Bodies are not coerced (a string where a number belongs is a 400); query strings and paths are.
  const bodyAjv = new Ajv({ coerceTypes: false, useDefaults: true, allErrors: false, strict: false });
  const paramAjv = new Ajv({ coerceTypes: 'array', useDefaults: true, allErrors: false, strict: false });
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? bodyAjv : paramAjv).compile(schema as object),
  );

  // curl and scripts send `Content-Type: application/json` on bodiless PUTs (`/finish`): read that as no body.
  // Nulls (Go's nil slices) are read as absent fields.
  // Routes that need a body still reject a missing one with a 400 naming it.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(String(body)));
    } catch (err) {
      done(err as Error, undefined);
    }
  });

  app.decorateRequest('actor', undefined as unknown as Actor);
  app.decorate('services', services);

  app.setErrorHandler((err, request, reply) => {
    const wire = toWireError(err);
    if (wire.status >= 500) request.log.error({ err }, 'request failed');
    void reply.code(wire.status).send(isRpcPath(request.url) ? rpcErrorBody(wire) : playbooksErrorBody(wire));
  });
  app.setNotFoundHandler((request, reply) => {
    const wire = { status: 404, message: `Not found: no route for ${request.method} ${request.url.split('?')[0]}` };
    void reply.code(404).send(isRpcPath(request.url) ? rpcErrorBody(wire) : playbooksErrorBody(wire));
  });

  // Both hooks run on every request, so they take callbacks rather than being async (no promise each).
  // Playbooks' webapp client parses a body only when the content type is exactly `application/json`.
  app.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, payload: unknown) => void) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('application/json') && !isRpcPath(request.url)) {
      reply.header('content-type', 'application/json');
    }
    done(null, payload);
  });

  app.addHook('preHandler', (request, _reply, done) => {
    if (request.routeOptions.config?.public) return done();
    authenticate(services.ctx, request).then((actor) => {
      request.actor = actor;
      done();
    }, done);
  });

  app.get('/healthz', { config: { public: true } }, async () => ({ status: 'OK' }));
  await registerMattermostRoutes(app);
  await registerPlaybooksRoutes(app);
  await registerIncidentRoutes(app);
  return app;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: import('../domain/context.ts').Actor;
  }
  interface FastifyInstance {
    services: Services;
  }
  interface FastifyContextConfig {
    public?: boolean;
  }
}
