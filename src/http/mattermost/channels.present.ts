import type { ChannelRow, PostRow } from '../../domain/store-types.ts';

export function presentChannel(channel: ChannelRow) {
  return {
    id: channel.id,
    create_at: channel.create_at,
    update_at: channel.update_at,
    delete_at: channel.delete_at,
    team_id: channel.team_id,
    type: channel.type,
    display_name: channel.display_name,
    name: channel.name,
    header: channel.header,
    purpose: channel.purpose,
    creator_id: channel.creator_id,
  };
}

export function presentPost(post: PostRow) {
  return {
    id: post.id,
    create_at: post.create_at,
    update_at: post.update_at,
    edit_at: 0,
    delete_at: post.delete_at,
    is_pinned: false,
    user_id: post.user_id,
    channel_id: post.channel_id,
    root_id: post.root_id,
    original_id: '',
    message: post.message,
    type: post.type,
    props: post.props ?? {},
    hashtags: '',
    pending_post_id: '',
  };
}

/** Mattermost's PostList: ids newest first in `order`, the posts keyed by id. */
export function presentPostList(posts: PostRow[]) {
  const byId: Record<string, ReturnType<typeof presentPost>> = {};
  for (const post of posts) byId[post.id] = presentPost(post);
  return { order: posts.map((p) => p.id), posts: byId };
}
