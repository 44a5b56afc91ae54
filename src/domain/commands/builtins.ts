import type { Tx } from '../../store/db.ts';
import { incidentsRepo } from '../../store/incidents.repo.ts';
import { usersRepo } from '../../store/users.repo.ts';
import { postMessage } from '../channels/channels.ts';
import { setItemStateInTx } from '../checklists/items.ts';
import type { Actor, DomainContext } from '../context.ts';
import { invalid } from '../errors.ts';
import { changeOwnerInTx, finishIncidentInTx, postStatusUpdateInTx } from '../incidents/lifecycle.ts';
import type { IncidentRow } from '../incidents/types.ts';
import type { ParsedCommand } from './registry.ts';

/** What a built-in does to the run, inside the transaction that records the run of the item. */
export type BuiltinEffect = (tx: Tx, ctx: DomainContext, actor: Actor, incident: IncidentRow, now: number) => Promise<void>;

/** Triggers Muster answers itself; admins cannot define HTTP commands with these names. */
export const BUILTIN_TRIGGERS: ReadonlySet<string> = new Set(['playbook', 'echo']);

const PLAYBOOK_USAGE = 'use /playbook check <checklist> <item>, /playbook update <message>, /playbook finish or /playbook owner @username';

const bad = (parsed: ParsedCommand, why: string) => invalid('command', `the command "${parsed.text}" is invalid: ${why}`);

/**
 * Checks a built-in's arguments and returns its effect; undefined when the trigger is not a built-in.
 * Argument errors surface here, before the transaction, as 400s naming the command.
 */
export function prepareBuiltin(parsed: ParsedCommand): BuiltinEffect | undefined {
  if (parsed.trigger === 'echo') return prepareEcho(parsed);
  if (parsed.trigger === 'playbook') return preparePlaybook(parsed);
  return undefined;
}

function prepareEcho(parsed: ParsedCommand): BuiltinEffect {
  if (!parsed.args) throw bad(parsed, '/echo needs a message');
  return async (tx, _ctx, actor, incident, now) => {
    await postMessage(tx, { channelId: incident.channel_id, userId: actor.userId, message: parsed.args, now });
  };
}

function preparePlaybook(parsed: ParsedCommand): BuiltinEffect {
  const [sub = '', ...rest] = parsed.args.split(/\s+/).filter(Boolean);
  switch (sub.toLowerCase()) {
    case 'check':
      return prepareCheck(parsed, rest);
    case 'update': {
      // args starts with the subcommand; the message keeps its own spacing and line breaks.
      const message = parsed.args.slice(sub.length).trim();
      if (!message) throw bad(parsed, '/playbook update needs a message');
      return async (tx, ctx, actor, incident) => {
        await postStatusUpdateInTx(tx, ctx, actor, incident, { message, reminder: incident.reminder_seconds });
      };
    }
    case 'finish':
      if (rest.length > 0) throw bad(parsed, '/playbook finish takes no arguments');
      return (tx, ctx, actor, incident) => finishIncidentInTx(tx, ctx, actor, incident);
    case 'owner':
      return prepareOwner(parsed, rest);
    case '':
      throw bad(parsed, `a subcommand is missing: ${PLAYBOOK_USAGE}`);
    default:
      throw bad(parsed, `unknown subcommand "${sub}": ${PLAYBOOK_USAGE}`);
  }
}

const INDEX = /^\d{1,6}$/;

function prepareCheck(parsed: ParsedCommand, args: string[]): BuiltinEffect {
  const [c, i] = args;
  if (args.length !== 2 || !INDEX.test(c!) || !INDEX.test(i!)) {
    throw bad(parsed, '/playbook check needs a checklist number and an item number, e.g. /playbook check 0 1');
  }
  const checklist = Number(c);
  const item = Number(i);
  return async (tx, ctx, actor, incident) => {
    const lists = await incidentsRepo.checklists(tx, incident.id);
    const target = lists[checklist]?.items[item];
    if (!target) throw bad(parsed, `this run has no checklist item ${checklist} ${item}`);
    // Toggle: a checked item is unchecked, anything else is checked off.
    await setItemStateInTx(tx, ctx, actor, incident, checklist, item, target.state === 'closed' ? '' : 'closed');
  };
}

function prepareOwner(parsed: ParsedCommand, args: string[]): BuiltinEffect {
  if (args.length !== 1) throw bad(parsed, '/playbook owner needs one @username');
  const username = args[0]!.replace(/^@/, '');
  if (!username) throw bad(parsed, '/playbook owner needs one @username');
  return async (tx, ctx, actor, incident) => {
    const user = await usersRepo.byUsername(tx, username);
    if (!user || user.delete_at !== 0) throw bad(parsed, `unknown user @${username}`);
    await changeOwnerInTx(tx, ctx, actor, incident, user.id);
  };
}
