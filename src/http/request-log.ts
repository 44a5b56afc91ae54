// One log line per request at `info` (request id, method, route template, status, duration, user): what an
// operator greps first. Never the URL's query (tokens may travel there), never a header. The request id is the
// caller's `X-Request-Id` when it is a sane one, else a new UUID, and is echoed back.
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { App } from './app-type.ts';

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Fastify's genReqId: the caller's X-Request-Id if it is safe to log, else a fresh one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SANE_ID.test(given) ? given : randomUUID();
}

export function registerRequestLog(app: App): void {
  app.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, payload: unknown) => void) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });
  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const status = reply.statusCode;
    const line = {
      method: request.method,
      route: request.routeOptions.url ?? '(no route)',
      status,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      user: (request.actor as typeof request.actor | undefined)?.userId || undefined,
    };
    if (status >= 500) request.log.error(line, 'request');
    else request.log.info(line, 'request');
    done();
  });
}
