import type { IntegrationRow } from '../../domain/intake/integrations.ts';
import { INTAKE_PATH } from '../../domain/intake/integrations.ts';

/** An integration as listed: never its secret (only its hash is stored). */
export function presentIntegration(i: IntegrationRow) {
  return {
    id: i.id,
    kind: i.kind,
    name: i.name,
    team_id: i.team_id,
    playbook_id: i.playbook_id,
    auto_resolve: i.auto_resolve,
    creator_user_id: i.creator_user_id,
    create_at: i.create_at,
  };
}

/** A new integration: with its intake URL, secret included, shown this once. */
export function presentCreatedIntegration(i: IntegrationRow, secret: string, siteUrl: string) {
  return { ...presentIntegration(i), url: `${siteUrl.replace(/\/$/, '')}${INTAKE_PATH}${secret}` };
}

/** What an intake URL answers. */
export function presentReceipt(r: { incidentId: string; opened: boolean; resolved: boolean; ignored?: string | undefined }, siteUrl: string) {
  return {
    incident_id: r.incidentId,
    incident_url: r.incidentId ? `${siteUrl.replace(/\/$/, '')}/playbooks/runs/${r.incidentId}` : '',
    opened: r.opened,
    resolved: r.resolved,
    ignored: r.ignored ?? '',
  };
}
