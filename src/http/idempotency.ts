// Idempotency-Key on the create endpoints: POST /runs, RPC IncidentsService.CreateIncident and the intake URLs.
// The hook reads the header and fingerprints the request; the key is claimed in the create's transaction
// (domain/idempotency.ts). Other routes ignore the header, as most APIs do.
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { invalid } from '../domain/errors.ts';
import { withIdempotencyKey } from '../domain/idempotency.ts';
import type { App } from './app-type.ts';

const RUNS_ROUTE = /\/api\/v0\/runs$/;
const RPC_ROUTE = /\/resources\/api\/(v1\/)?:method$/;
export const INTAKE_ROUTE = /\/api\/muster\/v1\/intake\/:secret$/;
const KEY = /^[\x21-\x7e]{1,255}$/;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Whose keys a request's key is among: its credential's, or for an intake URL its integration's. */
function scopeOf(request: FastifyRequest, route: string): string | undefined {
  if (INTAKE_ROUTE.test(route)) return `intake:${sha256((request.params as { secret: string }).secret).slice(0, 32)}`;
  if (request.credential) return `${request.credential.kind}:${request.credential.id}`;
  return undefined;
}

function isCreate(request: FastifyRequest, route: string): boolean {
  if (request.method !== 'POST') return false;
  if (RUNS_ROUTE.test(route) || INTAKE_ROUTE.test(route)) return true;
  return RPC_ROUTE.test(route) && /IncidentsService\.CreateIncident$/.test((request.params as { method?: string }).method ?? '');
}

/** Registers the hook; it must be added before the routes it covers. */
export function registerIdempotency(app: App): void {
  app.addHook('preHandler', (request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) => {
    const header = request.headers['idempotency-key'];
    if (header === undefined) return done();
    const route = request.routeOptions.url ?? '';
    if (!isCreate(request, route)) return done();
    const key = Array.isArray(header) ? header[0]! : header;
    if (!KEY.test(key)) return done(invalid('Idempotency-Key', 'Idempotency-Key must be 1 to 255 visible ASCII characters'));
    const scope = scopeOf(request, route);
    if (!scope) return done();
    const body = typeof request.body === 'string' ? request.body : (canonicalize(request.body ?? null) ?? '');
    const requestHash = sha256(`${route} ${(request.params as { method?: string }).method ?? ''}\n${body}`);
    // The handler runs inside `done`, so the key travels with everything it awaits.
    withIdempotencyKey({ scope, key, requestHash }, () => done());
  });
}
