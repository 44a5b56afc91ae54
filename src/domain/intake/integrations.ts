// Alert-intake integrations: a URL with a secret in it, made by a system admin, that monitoring posts alerts
// to. Only the secret's hash is stored; the URL is shown once, when the integration is made.
import { newId, newSecret } from '../../lib/ids.ts';
import { hashToken } from '../../lib/secrets.ts';
import { transaction } from '../../store/db.ts';
import { integrationsRepo, type IntegrationRow } from '../../store/intake.repo.ts';
import { playbooksRepo } from '../../store/playbooks.repo.ts';
import { teamsRepo } from '../../store/teams.repo.ts';
import type { Actor, DomainContext } from '../context.ts';
import { forbidden, invalid, notFound } from '../errors.ts';

export type { IntegrationRow } from '../../store/intake.repo.ts';

export const INTEGRATION_KINDS = ['alertmanager', 'generic'] as const;
export type IntegrationKind = (typeof INTEGRATION_KINDS)[number];

export interface IntegrationProps {
  kind: IntegrationKind;
  name: string;
  team_id: string;
  playbook_id?: string | undefined;
  auto_resolve?: boolean | undefined;
}

/** The path of an integration's intake URL, under the site URL. */
export const INTAKE_PATH = '/api/muster/v1/intake/';

function requireAdmin(actor: Actor): void {
  if (!actor.isAdmin) throw forbidden('only a system admin may manage alert integrations');
}

/** Makes an integration; answers it with its secret, which is never shown again. */
export async function createIntegration(ctx: DomainContext, actor: Actor, props: IntegrationProps): Promise<{ integration: IntegrationRow; secret: string }> {
  requireAdmin(actor);
  const name = props.name.trim();
  if (!name) throw invalid('name', 'name must not be empty');
  if (name.length > 128) throw invalid('name', 'name must be at most 128 characters');
  return transaction(ctx.db, async (tx) => {
    const team = await teamsRepo.byId(tx, props.team_id);
    if (!team || team.delete_at !== 0) throw invalid('team_id', `unknown team ${props.team_id}`);
    if (props.playbook_id) {
      const playbook = await playbooksRepo.byId(tx, props.playbook_id);
      if (!playbook || playbook.delete_at !== 0) throw invalid('playbook_id', `unknown playbook ${props.playbook_id}`);
      if (playbook.team_id !== team.id) throw invalid('playbook_id', 'the playbook is in another team');
    }
    const secret = newSecret('mia_');
    const integration = await integrationsRepo.insert(tx, {
      id: newId(),
      kind: props.kind,
      name,
      team_id: team.id,
      playbook_id: props.playbook_id ?? '',
      auto_resolve: props.auto_resolve ?? false,
      secret_hash: hashToken(secret),
      creator_user_id: actor.userId,
      create_at: ctx.clock.now(),
    });
    return { integration, secret };
  });
}

export async function listIntegrations(ctx: DomainContext, actor: Actor): Promise<IntegrationRow[]> {
  requireAdmin(actor);
  return integrationsRepo.list(ctx.db);
}

/** Revokes an integration: its URL answers 404 from now on; incidents it opened stay. */
export async function revokeIntegration(ctx: DomainContext, actor: Actor, id: string): Promise<IntegrationRow> {
  requireAdmin(actor);
  return transaction(ctx.db, async (tx) => {
    const revoked = await integrationsRepo.revoke(tx, id, ctx.clock.now());
    if (!revoked) throw notFound('integration not found');
    return revoked;
  });
}

/** The live integration an intake URL's secret names, or undefined (unknown and revoked look the same). */
export function integrationBySecret(ctx: DomainContext, secret: string): Promise<IntegrationRow | undefined> {
  return integrationsRepo.bySecretHash(ctx.db, hashToken(secret));
}
