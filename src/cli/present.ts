// The CLI's `--json` output: its own plain forms (a script's view of what was made), not a facade's wire shape.
import type { IssuedToken } from '../domain/identity/identity.ts';
import type { TeamRow, UserRow } from '../domain/store-types.ts';

export function cliUser(user: UserRow) {
  return { id: user.id, username: user.username, email: user.email, is_admin: user.is_admin, create_at: user.create_at };
}

export function cliTeam(team: TeamRow) {
  return { id: team.id, name: team.name, display_name: team.display_name, type: team.type, create_at: team.create_at };
}

export function cliIssuedToken(token: IssuedToken) {
  return { id: token.id, user_id: token.user_id, description: token.description, create_at: token.create_at, token: token.token };
}

/** A listed token: never the secret (only its hash is stored anyway). */
export function cliTokenSummary(token: { id: string; user_id: string; description: string; create_at: number; last_used_at: number; revoked_at: number }) {
  return {
    id: token.id,
    user_id: token.user_id,
    description: token.description,
    create_at: token.create_at,
    last_used_at: token.last_used_at,
    is_active: token.revoked_at === 0,
  };
}
