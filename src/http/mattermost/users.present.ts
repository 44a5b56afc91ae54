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
