import type { FastifyInstance } from 'fastify';
import { parseJsonBody } from './json.ts';

/** The largest body either API reads; past it Fastify answers 413 before the parser runs. */
export const BODY_LIMIT = 1024 * 1024;

/**
 * Reads every request body as JSON, whatever its `Content-Type` says: Playbooks' web app sets none, so
 * browsers send `JSON.stringify` bodies as `text/plain;charset=UTF-8`, and curl sends `application/json`
 * on bodiless PUTs (`/finish`), which reads as no body. A body that is not JSON is a 400 naming the body;
 * nulls (Go's nil slices) are absent fields; a route without a body schema ignores its body; `__proto__` keys and NUL characters are refused (json.ts).
 * Scopes with other needs (the RPC transport, the incoming webhook) replace this parser with their own.
 */
export function readBodiesAsJson(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (request, body, done) => {
    try {
      done(null, parseJsonBody(String(body)));
    } catch (err) {
      // A route that takes no body ignores what is sent (the web app posts "[object Object]" to some), as the
      // real server does. Routes that validate their own body (the intake URLs) have a schema-less body too:
      // they get none and refuse that, naming the body.
      if (!request.routeOptions.schema?.body) done(null, undefined);
      else done(err as Error, undefined);
    }
  });
}
