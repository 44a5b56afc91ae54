import { createToken, listTokens, revokeToken } from '../../domain/identity/identity.ts';
import { getUser } from '../../domain/identity/directory.ts';
import type { App } from '../app-type.ts';
import { presentIssuedToken, presentTokenSummary } from './users.present.ts';
import { userIdParam } from './users.routes.ts';
import { CreateTokenBody, RevokeTokenBody, UserRefParams } from './users.schema.ts';

/** Mattermost personal access tokens: what scripts use instead of a password session. */
export async function tokensRoutes(app: App): Promise<void> {
  const ctx = app.services.ctx;

  // 200, not 201: that is what Mattermost answers here.
  app.post('/users/:id/tokens', { schema: { params: UserRefParams, body: CreateTokenBody } }, async (request) => {
    const userId = userIdParam(request.actor, request.params.id);
    const issued = await createToken(ctx, request.actor, { user_id: userId, description: request.body.description });
    return presentIssuedToken(issued);
  });

  app.get('/users/:id/tokens', { schema: { params: UserRefParams } }, async (request) => {
    const userId = userIdParam(request.actor, request.params.id);
    const tokens = await listTokens(ctx, request.actor, userId);
    // An empty list may mean an unknown user: tell the two apart (only admins get this far for others).
    if (tokens.length === 0) await getUser(ctx.db, userId);
    return tokens.map(presentTokenSummary);
  });

  app.post('/users/tokens/revoke', { schema: { body: RevokeTokenBody } }, async (request) => {
    await revokeToken(ctx, request.actor, request.body.token_id);
    return { status: 'OK' };
  });
}
