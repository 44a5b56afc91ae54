// The CLI's `--json` output: its own plain forms (a script's view of what was made), not a facade's wire shape.
import type { IssuedToken } from '../domain/identity/identity.ts';
import type { DeliveryWithAttempts } from '../domain/delivery-log.ts';
import type { IntegrationRow } from '../domain/intake/integrations.ts';
import type { SubscriptionRow, TeamRow, UserRow } from '../domain/store-types.ts';

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

/** An outgoing webhook subscription (never its secret). */
export function cliSubscription(s: SubscriptionRow) {
  return { id: s.id, source: s.source, url: s.url, events: s.events, enabled: s.enabled, disabled_reason: s.disabled_reason, failing_since: s.failing_since };
}

/** A delivery with its attempts, as a script reading `webhooks deliveries --json` wants it. */
export function cliDelivery({ delivery: d, attempts }: DeliveryWithAttempts) {
  return {
    id: d.id,
    subscription_id: d.subscription_id,
    event: d.event,
    url: d.url,
    incident_id: d.incident_id ?? '',
    status: d.status,
    attempts: attempts.map((a) => ({ attempt: a.attempt, at: a.at, status_code: a.status_code, duration_ms: a.duration_ms, error_class: a.error_class, error: a.error })),
  };
}

/** An alert-intake integration (never its secret). */
export function cliIntegration(i: IntegrationRow) {
  return { id: i.id, kind: i.kind, name: i.name, team_id: i.team_id, playbook_id: i.playbook_id, auto_resolve: i.auto_resolve, create_at: i.create_at };
}
