import pinoPretty from 'pino-pretty';
import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import type { DomainContext } from '../domain/context.ts';
import { unauthorized } from '../domain/errors.ts';
import { authenticateCredential, type Credential } from '../domain/identity/sessions.ts';
import type { App } from './app-type.ts';

export const SESSION_COOKIE = 'MMAUTHTOKEN';

function cookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(rest.join('='));
    } catch {
      return undefined; // a malformed cookie is no credential, not a 500
    }
  }
  return undefined;
}

/**
 * Finds the caller's token the ways Mattermost clients send it: `Authorization: Bearer|Token <t>`,
 * the session cookie (non-GET requests then need `X-Requested-With: XMLHttpRequest` against CSRF),
 * or `?access_token=`. Fastify parses the query string while routing, so it is there in `onRequest`.
 */
export function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^(bearer|token)\s+(\S+)\s*$/i.exec(header);
    if (!match) throw unauthorized('Authorization header must be "Bearer <token>" or "Token <token>"');
    return match[2];
  }
  const fromCookie = cookie(request.headers.cookie, SESSION_COOKIE);
  if (fromCookie) {
    if (request.method !== 'GET' && request.method !== 'HEAD' && request.headers['x-requested-with'] !== 'XMLHttpRequest') {
      throw unauthorized('cookie sessions must send X-Requested-With: XMLHttpRequest');
    }
    return fromCookie;
  }
  const query = request.query as Record<string, unknown> | undefined;
  const fromQuery = query?.access_token;
  return typeof fromQuery === 'string' && fromQuery ? fromQuery : undefined;
}

export async function authenticate(ctx: DomainContext, request: FastifyRequest): Promise<Credential> {
  const token = tokenOf(request);
  if (!token) throw unauthorized('Not authorized: send Authorization: Bearer <token>');
  const credential = await authenticateCredential(ctx, token);
  if (!credential) throw unauthorized('Not authorized: the token is invalid, expired or revoked');
  return credential;
}

/**
 * Authentication runs in `onRequest`, before the body is read, parsed or validated: a caller without a valid
 * token learns nothing about a route's fields (it gets 401 before any 400). Routes marked `config.public`
 * (login, health, the signed incoming webhook) and unknown paths (404) skip it.
 */
export function authenticateFirst(app: App, ctx: DomainContext): void {
  app.decorateRequest('actor', undefined as unknown as FastifyRequest['actor']);
  app.decorateRequest('credential', undefined);
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.is404 || request.routeOptions.config?.public) return done();
    authenticate(ctx, request).then((credential) => {
      request.credential = credential;
      request.actor = credential.actor;
      done();
    }, done);
  });
}

const TOKEN_IN_QUERY = /([?&](?:access_token|token)=)[^&#]*/gi;

/** A URL fit for the log: token query parameters (`access_token`, the incoming webhook's `token`) blanked. */
export function redactUrl(url: string): string {
  return url.includes('token=') ? url.replace(TOKEN_IN_QUERY, '$1[REDACTED]') : url;
}

/**
 * pino settings: tokens are never logged at any level. The request serializer writes the URL without token
 * parameters (Fastify's default writes it whole, query included); `redact` covers headers should anything
 * log them.
 */
export function loggerOptions(level: string, format: 'json' | 'pretty' = 'json'): NonNullable<Exclude<FastifyServerOptions['logger'], boolean>> {
  return {
    level,
    // pino-pretty as a stream in this thread (no transport worker); the same redaction runs before it.
    ...(format === 'pretty' ? { stream: pinoPretty({ colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }) } : {}),
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        'res.headers.token',
        'headers.authorization',
        'headers.cookie',
      ],
      censor: '[REDACTED]',
    },
    serializers: {
      req: (req: FastifyRequest) => ({
        method: req.method,
        url: redactUrl(req.url),
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The API token or login session that authenticated this request (unset on public routes). */
    credential: Credential | undefined;
  }
}
