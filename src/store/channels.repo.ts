import type { Insertable, Selectable } from 'kysely';
import { json, type Executor } from './db.ts';
import type { ChannelsTable, PostsTable } from './schema.ts';

export type ChannelRow = Selectable<ChannelsTable>;
export type PostRow = Selectable<PostsTable>;

/** All SQL for channels (war rooms), their members and posts. */
export const channelsRepo = {
  byId: (ex: Executor, id: string) => ex.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst(),
  insert: (ex: Executor, row: Insertable<ChannelsTable>) => ex.insertInto('channels').values(row).execute(),
  /** Inserts unless the team already has a channel of that name (concurrent creators race here); its id either way. */
  async insertOrGetByName(ex: Executor, row: Insertable<ChannelsTable>): Promise<string> {
    await ex.insertInto('channels').values(row).onConflict((oc) => oc.columns(['team_id', 'name']).doNothing()).execute();
    const found = await ex.selectFrom('channels').select('id').where('team_id', '=', row.team_id).where('name', '=', row.name).executeTakeFirstOrThrow();
    return found.id;
  },
  async nameTaken(ex: Executor, teamId: string, name: string): Promise<boolean> {
    const row = await ex
      .selectFrom('channels')
      .select('id')
      .where('team_id', '=', teamId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row !== undefined;
  },
  async isMember(ex: Executor, channelId: string, userId: string): Promise<boolean> {
    const row = await ex
      .selectFrom('channel_members')
      .select('user_id')
      .where('channel_id', '=', channelId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  },
  /** Adds a member (no-op when already in) and records the join in the history. Returns true if added. */
  async addMember(ex: Executor, channelId: string, userId: string, now: number, isAdmin = false): Promise<boolean> {
    const inserted = await ex
      .insertInto('channel_members')
      .values({ channel_id: channelId, user_id: userId, joined_at: now, is_admin: isAdmin })
      .onConflict((oc) => oc.doNothing())
      .returning('user_id')
      .executeTakeFirst();
    if (!inserted) return false;
    await ex
      .insertInto('channel_member_history')
      .values({ channel_id: channelId, user_id: userId, join_time: now, leave_time: null })
      .onConflict((oc) => oc.doNothing())
      .execute();
    return true;
  },
  async removeMember(ex: Executor, channelId: string, userId: string, now: number): Promise<boolean> {
    const removed = await ex
      .deleteFrom('channel_members')
      .where('channel_id', '=', channelId)
      .where('user_id', '=', userId)
      .returning('user_id')
      .executeTakeFirst();
    if (!removed) return false;
    await ex
      .updateTable('channel_member_history')
      .set({ leave_time: now })
      .where('channel_id', '=', channelId)
      .where('user_id', '=', userId)
      .where('leave_time', 'is', null)
      .execute();
    return true;
  },
  /** The team's channels a user is a member of (their war rooms and direct channels), by name. */
  memberChannels: (ex: Executor, userId: string, teamId: string) =>
    ex
      .selectFrom('channels')
      .innerJoin('channel_members', 'channel_members.channel_id', 'channels.id')
      .selectAll('channels')
      .where('channel_members.user_id', '=', userId)
      .where('channels.team_id', '=', teamId)
      .orderBy('channels.name')
      .execute(),
  /** Current members who are people (bots excluded), in join order. */
  async participantIds(ex: Executor, channelId: string): Promise<string[]> {
    const rows = await ex
      .selectFrom('channel_members')
      .innerJoin('users', 'users.id', 'channel_members.user_id')
      .select('channel_members.user_id')
      .where('channel_members.channel_id', '=', channelId)
      .where('users.is_bot', '=', false)
      .orderBy('channel_members.joined_at')
      .orderBy('channel_members.user_id')
      .execute();
    return rows.map((r) => r.user_id);
  },
  /** Distinct people who were ever in the channel. */
  async everMemberCount(ex: Executor, channelId: string): Promise<number> {
    const row = await ex
      .selectFrom('channel_member_history')
      .innerJoin('users', 'users.id', 'channel_member_history.user_id')
      .select((eb) => eb.fn.count<number>('channel_member_history.user_id').distinct().as('n'))
      .where('channel_member_history.channel_id', '=', channelId)
      .where('users.is_bot', '=', false)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },
  async postCount(ex: Executor, channelId: string): Promise<number> {
    const row = await ex
      .selectFrom('posts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('channel_id', '=', channelId)
      .where('delete_at', '=', 0)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },
  async insertPost(
    ex: Executor,
    post: {
      id: string;
      channel_id: string;
      user_id: string;
      message: string;
      type?: string;
      props?: Record<string, unknown>;
      incident_id?: string | null;
      root_id?: string;
      create_at: number;
    },
  ): Promise<void> {
    await ex
      .insertInto('posts')
      .values({
        id: post.id,
        channel_id: post.channel_id,
        user_id: post.user_id,
        message: post.message,
        type: post.type ?? '',
        props: json(post.props ?? {}),
        incident_id: post.incident_id ?? null,
        root_id: post.root_id ?? '',
        create_at: post.create_at,
        update_at: post.create_at,
      })
      .execute();
  },
  deletePost: (ex: Executor, postId: string, now: number) =>
    ex.updateTable('posts').set({ delete_at: now, update_at: now }).where('id', '=', postId).execute(),
  /** A page of a channel's posts, newest first. */
  postsOf: (ex: Executor, channelId: string, limit: number, offset = 0) =>
    ex
      .selectFrom('posts')
      .selectAll()
      .where('channel_id', '=', channelId)
      .where('delete_at', '=', 0)
      .orderBy('create_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
  statusPostsOf: (ex: Executor, incidentId: string) =>
    ex
      .selectFrom('posts')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .where('type', '=', 'custom_run_update')
      .orderBy('create_at')
      .orderBy('id')
      .execute(),
};
