import { requireReadableChannel } from '../../domain/access.ts';
import { readablePosts } from '../../domain/channels/channels.ts';
import type { App } from '../app-type.ts';
import { IdParams } from '../schemas.ts';
import { presentChannel, presentPostList } from './channels.present.ts';
import { PageQuery, pageOf } from './users.schema.ts';

/** Read-only view of war-room channels, so Playbooks clients can show a run's channel and its posts. */
export async function channelsRoutes(app: App): Promise<void> {
  const ctx = app.services.ctx;

  app.get('/channels/:id', { schema: { params: IdParams } }, async (request) => {
    return presentChannel(await requireReadableChannel(ctx.db, request.actor, request.params.id));
  });

  app.get('/channels/:id/posts', { schema: { params: IdParams, querystring: PageQuery } }, async (request) => {
    return presentPostList(await readablePosts(ctx.db, request.actor, request.params.id, pageOf(request.query)));
  });
}
