import { SYSTEM_ACTOR } from '../domain/context.ts';
import { parseCommand, required, requiredPositional, UsageError } from './args.ts';
import { emit, withDatabase, type Prepared } from './identity.commands.ts';
import { cliIntegration } from './present.ts';
import { resolveTeam } from './resolve.ts';

const KINDS = ['alertmanager', 'generic'] as const;
const intake = () => import('../domain/intake/integrations.ts');

/** `muster integrations create | list | revoke`: alert-intake URLs, as the system admin. */
export function prepareIntegrationsCommand(args: string[]): Prepared {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'create': {
      const cmd = 'integrations create';
      const { values } = parseCommand(cmd, rest, {
        kind: { type: 'string' },
        name: { type: 'string' },
        team: { type: 'string' },
        playbook: { type: 'string' },
        'auto-resolve': { type: 'boolean' },
      });
      const kind = required(cmd, values, 'kind');
      if (!(KINDS as readonly string[]).includes(kind)) throw new UsageError(`${cmd}: --kind must be one of ${KINDS.join(', ')}`);
      const name = required(cmd, values, 'name');
      const teamRef = required(cmd, values, 'team');
      return (config) =>
        withDatabase(config(), async ({ ctx }) => {
          const team = await resolveTeam(ctx.db, teamRef);
          const { createIntegration, INTAKE_PATH } = await intake();
          const { integration, secret } = await createIntegration(ctx, SYSTEM_ACTOR, {
            kind: kind as (typeof KINDS)[number],
            name,
            team_id: team.id,
            playbook_id: values.playbook,
            auto_resolve: values['auto-resolve'] ?? false,
          });
          const url = `${ctx.siteUrl.replace(/\/$/, '')}${INTAKE_PATH}${secret}`;
          emit(values.json, { ...cliIntegration(integration), url }, `created ${integration.kind} integration ${integration.id}; its URL is shown only this once:\n${url}`);
          return { integration_id: integration.id };
        }, { command: cmd, targets: { team: teamRef } });
    }
    case 'list': {
      const { values } = parseCommand('integrations list', rest, {});
      return (config) =>
        withDatabase(config(), async ({ ctx }) => {
          const rows = (await (await intake()).listIntegrations(ctx, SYSTEM_ACTOR)).map(cliIntegration);
          const lines = rows.map((i) => `${i.id}  ${i.kind.padEnd(12)}  ${i.name}${i.auto_resolve ? '  (auto-resolve)' : ''}`);
          emit(values.json, rows, lines.length > 0 ? lines.join('\n') : 'no integrations');
        });
    }
    case 'revoke': {
      const cmd = 'integrations revoke';
      const { values, positionals } = parseCommand(cmd, rest, {}, 1);
      const id = requiredPositional(cmd, positionals, 'integration-id');
      return (config) =>
        withDatabase(config(), async ({ ctx }) => {
          const revoked = await (await intake()).revokeIntegration(ctx, SYSTEM_ACTOR, id);
          emit(values.json, cliIntegration(revoked), `integration ${revoked.id} revoked: its URL answers 404 from now on`);
        }, { command: cmd, targets: { integration_id: id } });
    }
    default:
      throw new UsageError(sub ? `integrations: unknown subcommand "${sub}"` : 'integrations: missing subcommand (create, list, revoke)');
  }
}
