import { requireReadableChannel } from '../../domain/access.ts';
import { memberChannels, readablePosts } from '../../domain/channels/channels.ts';
import type { App } from '../app-type.ts';
import { Type } from 'typebox';
import { Id, IdParams } from '../schemas.ts';
import { userIdParam } from './users.routes.ts';
import { presentChannel, presentPostList } from './channels.present.ts';
import { PageQuery, pageOf } from './users.schema.ts';

const MemberChannelsParams = Type.Object({ user_id: Type.String({ maxLength: 26 }), team_id: Id });

/** Read-only view of war-room channels, so Playbooks clients can show a run's channel and its posts. */
export async function channelsRoutes(app: App): Promise<void> {
  const ctx = app.services.ctx;

  app.get('/channels/:id', { schema: { params: IdParams } }, async (request) => {
    return presentChannel(await requireReadableChannel(ctx.db, request.actor, request.params.id));
  });

  app.get('/users/:user_id/teams/:team_id/channels', { schema: { params: MemberChannelsParams } }, async (request) => {
    const userId = userIdParam(request.actor, request.params.user_id);
    return (await memberChannels(ctx.db, request.actor, userId, request.params.team_id)).map(presentChannel);
  });

  app.get('/channels/:id/posts', { schema: { params: IdParams, querystring: PageQuery } }, async (request) => {
    return presentPostList(await readablePosts(ctx.db, request.actor, request.params.id, pageOf(request.query)));
  });
}
