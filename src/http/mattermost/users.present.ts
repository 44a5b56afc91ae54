import type { IssuedToken } from '../../domain/identity/identity.ts';
import type { ChannelRow, PostRow } from '../../store/channels.repo.ts';
import type { TeamRow, UserRow } from '../../store/users.repo.ts';

/** A user in Mattermost's v4 JSON form. Never includes the password hash. */
export function presentUser(user: UserRow) {
  return {
    id: user.id,
    create_at: user.create_at,
    update_at: user.update_at,
    delete_at: user.delete_at,
    username: user.username,
    email: user.email,
    first_name: user.first_name,
    last_name: user.last_name,
    nickname: user.nickname,
    roles: user.is_admin ? 'system_admin system_user' : 'system_user',
    is_bot: user.is_bot,
    locale: 'en',
    auth_service: '',
  };
}

export function presentTeam(team: TeamRow) {
  return {
    id: team.id,
    create_at: team.create_at,
    update_at: team.update_at,
    delete_at: team.delete_at,
    name: team.name,
    display_name: team.display_name,
    type: team.type,
    description: '',
    email: '',
    allow_open_invite: team.type === 'O',
  };
}

export function presentTeamMember(member: { team_id: string; user_id: string; is_admin: boolean }) {
  return { team_id: member.team_id, user_id: member.user_id, roles: member.is_admin ? 'team_user team_admin' : 'team_user', delete_at: 0 };
}

/** A just-issued personal access token: the only time the secret is shown. */
export function presentIssuedToken(token: IssuedToken) {
  return {
    id: token.id,
    token: token.token,
    user_id: token.user_id,
    description: token.description,
    create_at: token.create_at,
    is_active: true,
  };
}

/** A token in a list: never the secret (only its hash is stored anyway). */
export function presentTokenSummary(token: {
  id: string;
  user_id: string;
  description: string;
  create_at: number;
  revoked_at: number;
}) {
  return {
    id: token.id,
    user_id: token.user_id,
    description: token.description,
    create_at: token.create_at,
    is_active: token.revoked_at === 0,
  };
}

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
