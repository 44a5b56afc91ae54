import type { FastifyRequest } from 'fastify';
import type { Actor, DomainContext } from '../domain/context.ts';
import { unauthorized } from '../domain/errors.ts';
import { authenticateToken } from '../domain/identity/identity.ts';

const SESSION_COOKIE = 'MMAUTHTOKEN';

function cookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/**
 * Finds the caller's token the ways Mattermost clients send it: `Authorization: Bearer|Token <t>`,
 * the session cookie (non-GET requests then need `X-Requested-With: XMLHttpRequest` against CSRF),
 * or `?access_token=`.
 */
function tokenOf(request: FastifyRequest): string | undefined {
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

export async function authenticate(ctx: DomainContext, request: FastifyRequest): Promise<Actor> {
  const token = tokenOf(request);
  if (!token) throw unauthorized('Not authorized: send Authorization: Bearer <token>');
  const actor = await authenticateToken(ctx, token);
  if (!actor) throw unauthorized('Not authorized: the token is invalid or revoked');
  return actor;
}
