import type { Actor } from '../../domain/context.ts';
import { forbidden, notFound } from '../../domain/errors.ts';
import { channelsRepo, type ChannelRow } from '../../store/channels.repo.ts';
import type { Executor } from '../../store/db.ts';
import { teamsRepo } from '../../store/users.repo.ts';
import type { App } from '../server.ts';
import { IdParams } from '../schemas.ts';
import { presentChannel, presentPostList } from './users.present.ts';
import { PageQuery, pageOf } from './users.schema.ts';

/**
 * Mattermost's read_channel rule: admins, channel members, and (for public channels) members of its team.
 * 404 for an unknown id, 403 when it exists but is not the caller's to read.
 */
async function requireReadableChannel(ex: Executor, actor: Actor, id: string): Promise<ChannelRow> {
  const channel = await channelsRepo.byId(ex, id);
  if (!channel) throw notFound();
  if (actor.isAdmin || (await channelsRepo.isMember(ex, channel.id, actor.userId))) return channel;
  if (channel.type === 'O' && (await teamsRepo.isMember(ex, channel.team_id, actor.userId))) return channel;
  throw forbidden("You don't have permission to read this channel.");
}

/** Read-only view of war-room channels, so Playbooks clients can show a run's channel and its posts. */
export async function channelsRoutes(app: App): Promise<void> {
  const ctx = app.services.ctx;

  app.get('/channels/:id', { schema: { params: IdParams } }, async (request) => {
    return presentChannel(await requireReadableChannel(ctx.db, request.actor, request.params.id));
  });

  app.get('/channels/:id/posts', { schema: { params: IdParams, querystring: PageQuery } }, async (request) => {
    const channel = await requireReadableChannel(ctx.db, request.actor, request.params.id);
    const { limit, offset } = pageOf(request.query);
    // The repository pages by limit only: fetch up to the end of the requested page and cut it out.
    const newestFirst = await channelsRepo.postsOf(ctx.db, channel.id, offset + limit);
    return presentPostList(newestFirst.slice(offset, offset + limit));
  });
}
