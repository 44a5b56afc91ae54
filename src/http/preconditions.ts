// If-Match on the mutating routes of runs, playbooks and RPC incidents (optimistic concurrency). The hook
// only reads the header and names the resource; the comparison happens in the write's transaction against
// the locked row (domain/preconditions.ts). Without If-Match nothing changes: the seed clients never send it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { withPrecondition, type Precondition, type VersionedKind } from '../domain/preconditions.ts';
import type { App } from './app-type.ts';

const RUN_ROUTE = /\/api\/v0\/runs\/:id(\/|$)/;
const PLAYBOOK_ROUTE = /\/api\/v0\/playbooks\/:id(\/|$)/;
const RPC_ROUTE = /\/resources\/api\/(v1\/)?:method$/;
const STRONG_TAG = /^"(\d{1,15})"$/;

/**
 * The versions an If-Match header accepts: `*` (any: no precondition, undefined), else the strong tags it
 * lists. Weak and malformed tags never match (RFC 9110 §13.1.1 uses the strong comparison).
 */
export function parseIfMatch(header: string): number[] | undefined {
  const versions: number[] = [];
  for (const raw of header.split(',')) {
    const tag = raw.trim();
    if (tag === '*') return undefined;
    const match = STRONG_TAG.exec(tag);
    if (match) versions.push(Number(match[1]));
  }
  return versions;
}

/** The resource an If-Match on this request is about, if it is one that has versions. */
function targetOf(request: FastifyRequest): { kind: VersionedKind; id: string } | undefined {
  const route = request.routeOptions.url ?? '';
  const params = request.params as Record<string, string | undefined>;
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  if (RUN_ROUTE.test(route) && params.id) return { kind: 'incident', id: params.id };
  if (PLAYBOOK_ROUTE.test(route) && params.id) return { kind: 'playbook', id: params.id };
  if (RPC_ROUTE.test(route)) {
    const id = (request.body as { incidentID?: unknown } | undefined)?.incidentID;
    if (typeof id === 'string' && id) return { kind: 'incident', id };
  }
  return undefined;
}

/** Registers the hook; it must be added before the routes it covers. */
export function registerPreconditions(app: App): void {
  app.addHook('preHandler', (request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) => {
    const header = request.headers['if-match'];
    if (header === undefined) return done();
    const target = targetOf(request);
    const versions = target && parseIfMatch(Array.isArray(header) ? header.join(',') : header);
    if (!target || !versions) return done();
    const precondition: Precondition = { ...target, versions };
    // The handler runs inside `done`, so the precondition travels with everything it awaits.
    withPrecondition(precondition, () => done());
  });
}
