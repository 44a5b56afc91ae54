import { Type } from 'typebox';
import { listSessions, logout, revokeAllSessions, revokeSession, type Session } from '../../domain/identity/sessions.ts';
import { SESSION_COOKIE, tokenOf } from '../auth.ts';
import { Id } from '../schemas.ts';
import type { App } from '../app-type.ts';
import { userIdParam } from './users.routes.ts';
import { UserRefParams } from './users.schema.ts';

const RevokeSessionBody = Type.Object({ session_id: Id });

/** Mattermost's Session, as far as Muster has its fields (the token itself is never returned). */
function presentSession(s: Session) {
  return {
    id: s.id,
    user_id: s.user_id,
    create_at: s.create_at,
    expires_at: s.expires_at,
    last_activity_at: s.last_activity_at,
    device_id: '',
    is_oauth: false,
    props: { type: s.kind, user_agent: s.user_agent },
  };
}

/** Login sessions: listed and revoked per user (the user or a system admin), and sign-out. */
export async function sessionsRoutes(app: App): Promise<void> {
  const ctx = app.services.ctx;

  app.get('/users/:id/sessions', { schema: { params: UserRefParams } }, async (request) => {
    const sessions = await listSessions(ctx, request.actor, userIdParam(request.actor, request.params.id));
    return sessions.map(presentSession);
  });

  app.post(
    '/users/:id/sessions/revoke',
    { schema: { params: UserRefParams, body: RevokeSessionBody } },
    async (request) => {
      await revokeSession(ctx, request.actor, userIdParam(request.actor, request.params.id), request.body.session_id);
      return { status: 'OK' };
    },
  );

  app.post('/users/:id/sessions/revoke/all', { schema: { params: UserRefParams } }, async (request) => {
    await revokeAllSessions(ctx, request.actor, userIdParam(request.actor, request.params.id));
    return { status: 'OK' };
  });

  // Public like Mattermost's: signing out with an expired or unknown token still clears the cookie.
  app.post('/users/logout', { config: { public: true } }, async (request, reply) => {
    const token = tokenOf(request);
    if (token) await logout(ctx, token);
    return reply.header('Set-Cookie', `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`).send({ status: 'OK' });
  });
}
