// Prometheus metrics at /metrics: request durations by route template (RPC calls by method name, both bounded
// by what is registered), the process, the database pool, the group commit, job queues and deliveries.
// Each server has its own registry: several servers in one process (the tests) never share a series.
import { timingSafeEqual } from 'node:crypto';
import client from 'prom-client';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { unauthorized } from '../domain/errors.ts';
import { groupCommitFigures, queueFigures } from '../domain/operations.ts';
import type { Services } from '../services.ts';
import type { App } from './app-type.ts';

/** Seconds: from a cached read (sub-millisecond) to a slow declaration storm. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The route label: the template, and for the RPC transport the registered method called (else "unknown"). */
function routeLabel(request: FastifyRequest): string | undefined {
  const route = request.routeOptions.url;
  if (!route) return undefined; // a 404: no route, no series
  const methods = request.routeOptions.config?.rpcMethods;
  if (!methods) return route;
  const called = (request.params as { method?: string }).method ?? '';
  const name = called.startsWith('v1') ? called.slice(2) : called;
  return `rpc ${Object.hasOwn(methods, name) ? name : 'unknown'}`;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function gauges(registry: client.Registry, services: Services): void {
  const { database, ctx } = services;
  new client.Gauge({
    name: 'muster_db_pool_connections',
    help: 'PostgreSQL pool connections by state (PGlite has one connection and reports none)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const use = database.poolUse?.();
      if (!use) return;
      this.set({ state: 'total' }, use.total);
      this.set({ state: 'idle' }, use.idle);
      this.set({ state: 'waiting' }, use.waiting);
    },
  });
  new client.Gauge({
    name: 'muster_group_commit',
    help: 'Group commit since start: batches, writes merged into them, batches that fell back to one write each',
    labelNames: ['figure'],
    registers: [registry],
    collect() {
      for (const [figure, value] of Object.entries(groupCommitFigures())) this.set({ figure }, value);
    },
  });
  const due = new client.Gauge({ name: 'muster_jobs_due', help: 'Jobs due now and not leased, by kind', labelNames: ['kind'], registers: [registry] });
  const oldest = new client.Gauge({ name: 'muster_jobs_oldest_due_seconds', help: 'Age of the oldest due job, by kind', labelNames: ['kind'], registers: [registry] });
  new client.Gauge({
    name: 'muster_webhook_deliveries',
    help: 'Outgoing webhook deliveries by status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      // One read for the three queue gauges; a database that is away leaves them as they were.
      const figures = await queueFigures(ctx).catch(() => undefined);
      if (!figures) return;
      due.reset();
      oldest.reset();
      for (const j of figures.dueJobs) {
        due.set({ kind: j.kind }, j.due);
        oldest.set({ kind: j.kind }, j.oldestAgeSeconds);
      }
      this.reset();
      for (const d of figures.deliveries) this.set({ status: d.status }, d.count);
    },
  });
}

/** Registers /metrics (public unless `token` is set: then `Authorization: Bearer <token>`) and the request histogram. */
export function registerMetrics(app: App, services: Services, token: string | undefined): void {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const duration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template (RPC: method name) and status',
    labelNames: ['method', 'route', 'status_code'],
    buckets: BUCKETS,
    registers: [registry],
  });
  gauges(registry, services);
  app.decorate('metricsRegistry', registry);
  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const route = routeLabel(request);
    if (route) duration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
  app.get('/metrics', { config: { public: true } }, async (request, reply) => {
    if (token) {
      const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
      if (!match || !sameToken(match[1]!, token)) throw unauthorized('Not authorized: /metrics needs Authorization: Bearer <MUSTER_METRICS_TOKEN>');
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** This server's Prometheus registry: other parts (the live stream) add their gauges to it. */
    metricsRegistry: client.Registry;
  }
}
