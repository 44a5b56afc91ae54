import type { IssuedToken } from '../../domain/identity/identity.ts';
import type { TeamRow, UserRow } from '../../domain/store-types.ts';

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
