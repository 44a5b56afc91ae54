import type { Actor } from '../../domain/context.ts';
import { DomainError, invalid } from '../../domain/errors.ts';
import { getUser, listUsers, teamsOfUser } from '../../domain/identity/directory.ts';
import { createUser, login } from '../../domain/identity/identity.ts';
import { isValidId } from '../../lib/ids.ts';
import type { App } from '../app-type.ts';
import { IdParams } from '../schemas.ts';
import { SESSION_COOKIE } from '../auth.ts';
import { loginAddressLimit, tooManyRequests } from '../limits.ts';
import { presentTeam, presentUser } from './users.present.ts';
import { CreateUserBody, LoginBody, PageQuery, pageOf } from './users.schema.ts';

/**
 * Duplicate usernames, emails and team names are 400 here, not the domain's 409: Mattermost answers 400
 * (`store.sql_user.save.username_exists.app_error`, `store.sql_team.save.domain_exists.app_error`) and its
 * clients treat it as a validation error on that field.
 */
export async function duplicatesAsBadRequest<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof DomainError && err.code === 'conflict') throw invalid(err.field ?? 'body', err.message);
    throw err;
  }
}

/** A user id path parameter that may also be `me` (as in Mattermost's router). */
export function userIdParam(actor: Actor, value: string): string {
  if (value === 'me') return actor.userId;
  if (!isValidId(value)) throw invalid('id', 'invalid path parameter id: must be a 26-character id or "me"');
  return value;
}

export async function usersRoutes(app: App): Promise<void> {
  const ctx = app.services.ctx;

  app.get('/users/me', async (request) => presentUser(await getUser(ctx.db, request.actor.userId, 'user not found')));

  app.get('/users/me/teams', async (request) => {
    const teams = await teamsOfUser(ctx.db, request.actor.userId);
    return teams.map(presentTeam);
  });

  app.get('/users/:id', { schema: { params: IdParams } }, async (request) => presentUser(await getUser(ctx.db, request.params.id)));

  app.get('/users', { schema: { querystring: PageQuery } }, async (request) => {
    const users = await listUsers(ctx.db, pageOf(request.query));
    return users.map(presentUser);
  });

  app.post('/users', { schema: { body: CreateUserBody } }, async (request, reply) => {
    const body = request.body;
    const user = await duplicatesAsBadRequest(() =>
      createUser(ctx, request.actor, {
        username: body.username,
        email: body.email,
        password: body.password,
        first_name: body.first_name,
        last_name: body.last_name,
        nickname: body.nickname,
      }),
    );
    return reply.code(201).send(presentUser(user));
  });

  // Public: this is how a client gets its first token. The session token comes back in the `Token` header
  // (and the cookie Mattermost's webapp uses), the user in the body. Limited per client address (route
  // config) and per account (failed attempts, LoginGuard); both answer 429 with Retry-After.
  app.post(
    '/users/login',
    { config: { public: true, rateLimit: loginAddressLimit(app.limits) }, schema: { body: LoginBody } },
    async (request, reply) => {
      const { login_id: loginId, password } = request.body;
      const waitMs = await app.loginGuard.attempt(loginId);
      if (waitMs > 0) {
        void reply.header('retry-after', Math.ceil(waitMs / 1000));
        throw tooManyRequests('too many failed sign-ins for this account: try again later');
      }
      const signedIn = await login(ctx, { login_id: loginId, password, user_agent: request.headers['user-agent'] });
      await app.loginGuard.succeeded(loginId);
      request.actor = { userId: signedIn.user.id, isAdmin: signedIn.user.is_admin }; // the audit hook records who signed in
      const maxAge = Math.max(0, Math.floor((signedIn.session.expires_at - ctx.clock.now()) / 1000));
      // Secure whenever the browser reached us over TLS: the public URL says https, or this connection is TLS.
      const secure = ctx.siteUrl.startsWith('https:') || request.protocol === 'https' ? '; Secure' : '';
      return reply
        .header('Token', signedIn.token)
        .header('Set-Cookie', `${SESSION_COOKIE}=${signedIn.token}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure}`)
        .send(presentUser(signedIn.user));
    },
  );
}
