import Fastify, { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '../config.ts';
import type { Services } from '../services.ts';
import { authenticateFirst, loggerOptions } from './auth.ts';
import { applyServerBounds, httpServerOptions, registerRateLimits } from './limits.ts';
import { BODY_LIMIT, readBodiesAsJson } from './body.ts';
import { compileRouteValidator, refuseNulInUrl } from './validation.ts';
import { collectRoutes } from './catalogue.ts';
import { registerAudit } from './audit.ts';
import { registerPreconditions } from './preconditions.ts';
import { registerIdempotency } from './idempotency.ts';
import { registerMetrics } from './metrics.ts';
import { registerRequestLog, requestIdOf } from './request-log.ts';
import { registerDocs } from './docs.ts';
import { isRpcPath, playbooksErrorBody, rpcErrorBody, toWireError } from './errors.ts';
import { fieldNamingOf } from './field-names.ts';
import { registerHealthRoutes } from './health.routes.ts';
import { registerIncidentRoutes } from './incident/index.ts';
import { registerMattermostRoutes } from './mattermost/index.ts';
import { registerMusterRoutes } from './muster/index.ts';
import { registerPlaybooksRoutes } from './playbooks/index.ts';
import { registerWebRoutes } from './web/index.ts';
import type { App } from './app-type.ts';



function sendError(err: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const wire = toWireError(err, fieldNamingOf(request));
  if (wire.retryAfter !== undefined) void reply.header('retry-after', String(wire.retryAfter));
  if (wire.status === 503) request.log.warn({ err: (err as Error).message }, 'request failed: unavailable');
  else if (wire.status >= 500) request.log.error({ err }, 'request failed');
  void reply.code(wire.status).send(isRpcPath(request.url) ? rpcErrorBody(wire) : playbooksErrorBody(wire));
}

export async function buildServer(
  services: Services,
  config: Pick<Config, 'logLevel' | 'logFormat' | 'limits' | 'metricsToken'> & Partial<Pick<Config, 'rpcLegacySeverity'>>,
): Promise<App> {
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : loggerOptions(config.logLevel, config.logFormat),
    ...httpServerOptions(config.limits),
    bodyLimit: BODY_LIMIT,
    // At info one line per request (request-log.ts); at debug Fastify's own request lines too.
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    // A URL the router refuses (bad percent-encoding, a parameter past maxParamLength) answers in the facade's form too.
    frameworkErrors: sendError,
    genReqId: requestIdOf,
  }).withTypeProvider<TypeBoxTypeProvider>();
  applyServerBounds(app, config.limits);

  // Bodies are not coerced, numbers are bounded, NUL characters refused (validation.ts); any content type is JSON (body.ts).
  app.setValidatorCompiler(compileRouteValidator);
  readBodiesAsJson(app);
  app.addHook('onRequest', refuseNulInUrl);
  collectRoutes(app);
  await registerDocs(app);

  app.decorate('services', services);

  app.setErrorHandler(sendError);
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

  registerRequestLog(app);
  await registerRequestHooks(app, services, config);
  registerHealthRoutes(app);
  registerMetrics(app, services, config.metricsToken);
  await registerMattermostRoutes(app);
  await registerPlaybooksRoutes(app);
  await registerIncidentRoutes(app, { legacySeverity: config.rpcLegacySeverity ?? false });
  await registerMusterRoutes(app);
  await registerWebRoutes(app);
  return app;
}

/** What runs around every handler: authentication, limits, If-Match, Idempotency-Key, the audit row. */
async function registerRequestHooks(app: App, services: Services, config: Pick<Config, 'limits'>): Promise<void> {
  authenticateFirst(app, services.ctx);
  await registerRateLimits(app, services, config.limits);
  registerPreconditions(app);
  registerIdempotency(app);
  registerAudit(app, services.audit, () => services.ctx.clock.now());
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
