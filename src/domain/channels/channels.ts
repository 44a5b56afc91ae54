import { newId } from '../../lib/ids.ts';
import { channelsRepo, type ChannelRow, type PostRow } from '../../store/channels.repo.ts';
import { forbidden } from '../errors.ts';
import type { Executor } from '../../store/db.ts';
import { usersRepo } from '../../store/users.repo.ts';
import { requireReadableChannel } from '../access.ts';
import type { Actor } from '../context.ts';
import { BOT_USERNAME } from '../identity/identity.ts';

/** Mattermost-style channel name: lowercase words joined by '-', at most 64 characters. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 59)
    .replace(/-+$/, '');
  return slug || 'incident';
}

export async function createWarRoom(
  ex: Executor,
  opts: { teamId: string; displayName: string; namePrefix?: string | undefined; type: 'O' | 'P'; creatorId: string; now: number },
): Promise<string> {
  const base = opts.namePrefix ? slugify(`${opts.namePrefix}-${opts.displayName}`) : slugify(opts.displayName);
  let name = base;
  while (await channelsRepo.nameTaken(ex, opts.teamId, name)) {
    name = `${base}-${newId().slice(0, 4)}`;
  }
  const id = newId();
  await channelsRepo.insert(ex, {
    id,
    team_id: opts.teamId,
    name,
    display_name: opts.displayName.slice(0, 64),
    type: opts.type,
    creator_id: opts.creatorId,
    create_at: opts.now,
    update_at: opts.now,
  });
  return id;
}

/** The bot that writes system messages; created at bootstrap. */
export async function botUserId(ex: Executor): Promise<string> {
  return (await usersRepo.byUsername(ex, BOT_USERNAME))?.id ?? '';
}

export async function postMessage(
  ex: Executor,
  opts: {
    channelId: string;
    userId: string;
    message: string;
    now: number;
    type?: string;
    props?: Record<string, unknown>;
    incidentId?: string;
  },
): Promise<string> {
  const id = newId();
  await channelsRepo.insertPost(ex, {
    id,
    channel_id: opts.channelId,
    user_id: opts.userId,
    message: opts.message,
    type: opts.type ?? '',
    props: opts.props ?? {},
    incident_id: opts.incidentId ?? null,
    create_at: opts.now,
  });
  return id;
}

/** A system message from the bot in a channel. */
export async function postAsBot(
  ex: Executor,
  channelId: string,
  message: string,
  now: number,
  extra: { type?: string; props?: Record<string, unknown>; incidentId?: string } = {},
): Promise<string> {
  return postMessage(ex, { channelId, userId: await botUserId(ex), message, now, ...extra });
}

export async function usernameOf(ex: Executor, userId: string): Promise<string> {
  if (!userId) return '';
  return (await usersRepo.byId(ex, userId))?.username ?? userId;
}

/** A page of a channel's posts the actor may read, newest first. */
export async function readablePosts(ex: Executor, actor: Actor, channelId: string, page: { limit: number; offset: number }): Promise<PostRow[]> {
  const channel = await requireReadableChannel(ex, actor, channelId);
  return channelsRepo.postsOf(ex, channel.id, page.limit, page.offset);
}

/** The team's channels a user is in: the user themself or a system admin may ask. */
export async function memberChannels(ex: Executor, actor: Actor, userId: string, teamId: string): Promise<ChannelRow[]> {
  if (!actor.isAdmin && actor.userId !== userId) throw forbidden("You don't have permission to list another user's channels.");
  return channelsRepo.memberChannels(ex, userId, teamId);
}
