import type { FastifyInstance, RouteOptions } from 'fastify';

/** One registered route as its schemas describe it: what tools (the fuzz tier, docs) enumerate. */
export interface RouteEntry {
  method: string;
  url: string;
  schema: { body?: unknown; querystring?: unknown; params?: unknown };
  /** The RPC transport's one route carries its methods' request schemas. */
  rpcMethods?: Record<string, { request: unknown }> | undefined;
}

/**
 * Records every route registered after this call (an `onRoute` hook sees routes of every child scope), so
 * the server can say what it accepts: `app.routeCatalogue`.
 */
export function collectRoutes(app: FastifyInstance): void {
  const routes: RouteEntry[] = [];
  app.decorate('routeCatalogue', routes);
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const schema = (route.schema ?? {}) as RouteEntry['schema'];
    const rpcMethods = (route.config as { rpcMethods?: RouteEntry['rpcMethods'] } | undefined)?.rpcMethods;
    for (const method of methods) {
      if (method === 'HEAD') continue; // Fastify's automatic twin of each GET
      routes.push({ method, url: route.url, schema: { body: schema.body, querystring: schema.querystring, params: schema.params }, rpcMethods });
    }
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    routeCatalogue: RouteEntry[];
  }
  interface FastifyContextConfig {
    rpcMethods?: Record<string, { request: unknown }>;
  }
}
