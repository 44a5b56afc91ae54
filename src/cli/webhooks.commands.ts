import { SYSTEM_ACTOR } from '../domain/context.ts';
import type { DeliveryWithAttempts } from '../domain/delivery-log.ts';
import { cliDelivery, cliSubscription } from './present.ts';
import { parseCommand, requiredPositional, UsageError } from './args.ts';
import { emit, withDatabase, type Prepared } from './identity.commands.ts';

const log = () => import('../domain/delivery-log.ts');
const iso = (ms: number) => (ms ? new Date(ms).toISOString() : '-');

function deliveryLines(rows: DeliveryWithAttempts[]): string {
  if (rows.length === 0) return 'no deliveries';
  return rows
    .map(({ delivery: d, attempts }) => {
      const head = `${d.id}  ${d.status.padEnd(9)}  ${d.event}  ${d.url}  created ${iso(d.create_at)}`;
      const tries = attempts.map(
        (a) => `    #${a.attempt} ${iso(a.at)}  ${a.status_code || '---'}  ${a.duration_ms} ms  ${a.error_class || 'ok'}${a.error ? `  ${a.error}` : ''}`,
      );
      return [head, ...tries].join('\n');
    })
    .join('\n');
}

/** `muster webhooks list | deliveries | redeliver | enable | rotate-secret`, as the system admin. */
export function prepareWebhooksCommand(args: string[]): Prepared {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'list': {
      const { values } = parseCommand('webhooks list', rest, {});
      return (config) =>
        withDatabase(config(), async ({ ctx }) => {
          const rows = (await (await log()).listSubscriptions(ctx, SYSTEM_ACTOR)).map(cliSubscription);
          const lines = rows.map((w) => `${w.id}  ${w.enabled ? 'enabled ' : 'disabled'}  ${w.url}${w.disabled_reason ? `  (${w.disabled_reason})` : ''}`);
          emit(values.json, rows, lines.length > 0 ? lines.join('\n') : 'no outgoing webhooks');
        });
    }
    case 'deliveries': {
      const cmd = 'webhooks deliveries';
      const { values, positionals } = parseCommand(cmd, rest, { incident: { type: 'string' }, limit: { type: 'string' } }, 1);
      if (!values.incident && !positionals[0]) throw new UsageError(`${cmd}: give a <webhook-id> or --incident <id>`);
      const limit = values.limit === undefined ? 50 : Number(values.limit);
      return (config) =>
        withDatabase(config(), async ({ ctx }) => {
          const l = await log();
          const rows = values.incident
            ? await l.incidentDeliveries(ctx, SYSTEM_ACTOR, values.incident)
            : await l.subscriptionDeliveries(ctx, SYSTEM_ACTOR, positionals[0]!, limit);
          emit(values.json, rows.map(cliDelivery), deliveryLines(rows));
        });
    }
    case 'redeliver': {
      const { values, positionals } = parseCommand('webhooks redeliver', rest, {}, 1);
      const id = requiredPositional('webhooks redeliver', positionals, 'delivery-id');
      return (config) =>
        withDatabase(config(), async ({ ctx }) => {
          const d = await (await log()).redeliver(ctx, SYSTEM_ACTOR, id);
          emit(values.json, { id: d.id, status: d.status }, `delivery ${d.id} queued again (same webhook-id)`);
        });
    }
    case 'enable': {
      const { values, positionals } = parseCommand('webhooks enable', rest, {}, 1);
      const id = requiredPositional('webhooks enable', positionals, 'webhook-id');
      return (config) =>
        withDatabase(config(), async ({ ctx }) => {
          const s = await (await log()).enableSubscription(ctx, SYSTEM_ACTOR, id);
          emit(values.json, cliSubscription(s), `webhook ${s.id} enabled`);
        });
    }
    case 'rotate-secret': {
      const { values } = parseCommand('webhooks rotate-secret', rest, { 'grace-seconds': { type: 'string' } });
      const grace = values['grace-seconds'] === undefined ? 86_400 : Number(values['grace-seconds']);
      return (config) =>
        withDatabase(config(), async ({ ctx }) => {
          const { rotateSigningSecret } = await import('../domain/signing-secrets.ts');
          const secret = await rotateSigningSecret(ctx, SYSTEM_ACTOR, grace);
          emit(values.json, { secret, grace_seconds: grace }, `new Playbooks webhook signing secret (shown once; the old one signs too for ${grace} s):\n${secret}`);
        });
    }
    default:
      throw new UsageError(sub ? `webhooks: unknown subcommand "${sub}"` : 'webhooks: missing subcommand (list, deliveries, redeliver, enable, rotate-secret)');
  }
}
