import { newId } from '../../lib/ids.ts';
import { channelsRepo } from '../../store/channels.repo.ts';
import { incidentsRepo } from '../../store/incidents.repo.ts';
import { usersRepo } from '../../store/users.repo.ts';
import { teamsRepo } from '../../store/teams.repo.ts';
import { canModifyIncident } from '../access.ts';
import { postAsBot } from '../channels/channels.ts';
import type { Actor, DomainContext } from '../context.ts';
import { conflict, forbidden, invalid, notFound } from '../errors.ts';
import { mutateIncident } from '../incidents/mutate.ts';
import { appendEvent } from '../timeline/append.ts';
import type { BuiltinEffect } from './builtins.ts';
import { callHttpCommand } from './http-commands.ts';
import { parseCommand, resolveCommand } from './registry.ts';

export interface RunItemProps {
  incidentId: string;
  checklist: number;
  item: number;
}

/**
 * Runs a checklist item's slash command as the actor, in the run's channel. Access and the command are
 * checked before anything happens; an HTTP command is called outside the transaction (it may be slow);
 * then one transaction applies the effects, stamps `command_last_run` and appends `ran_slash_command`.
 * Any failure leaves the run as it was.
 */
export async function runItemCommand(ctx: DomainContext, actor: Actor, props: RunItemProps): Promise<{ triggerId: string }> {
  const incident = await incidentsRepo.byId(ctx.db, props.incidentId);
  if (!incident) throw notFound();
  if (!(await canModifyIncident(ctx.db, actor, incident))) throw forbidden("You don't have permission to modify this run.");
  const lists = await incidentsRepo.checklists(ctx.db, incident.id);
  // Out-of-range indices are 400s naming the path field, as for every other checklist endpoint.
  const list = lists[props.checklist];
  if (!list) throw invalid('checklist', `invalid checklist: there is no checklist ${props.checklist} (there are ${lists.length})`);
  const item = list.items[props.item];
  if (!item) throw invalid('item', `invalid item: there is no item ${props.item} (there are ${list.items.length})`);

  const parsed = parseCommand(item.command);
  const resolved = await resolveCommand(ctx.db, incident.team_id, parsed);
  const triggerId = newId();

  let effect: BuiltinEffect;
  if (resolved.kind === 'builtin') {
    effect = resolved.effect;
  } else {
    const [channel, team, user] = await Promise.all([
      channelsRepo.byId(ctx.db, incident.channel_id),
      teamsRepo.byId(ctx.db, incident.team_id),
      usersRepo.byId(ctx.db, actor.userId),
    ]);
    const reply = await callHttpCommand(ctx, {
      command: resolved.command,
      parsed,
      triggerId,
      channelId: incident.channel_id,
      channelName: channel?.name ?? '',
      teamId: incident.team_id,
      teamName: team?.name ?? '',
      userId: actor.userId,
      userName: user?.username ?? '',
    });
    effect = async (tx, _ctx, _actor, run, now) => {
      if (!reply.text) return;
      await postAsBot(tx, run.channel_id, reply.text, now, {
        props: { from_slash_command: `/${resolved.command.trigger}`, response_type: reply.responseType },
      });
    };
  }

  await mutateIncident(ctx, actor, incident.id, async (tx, locked, now) => {
    // The item is addressed by position; if it moved or vanished meanwhile, record nothing.
    const current = await incidentsRepo.itemById(tx, item.id);
    if (!current || current.incident_id !== incident.id) {
      throw conflict('the checklist item changed while its command ran; nothing was recorded');
    }
    await effect(tx, ctx, actor, locked, now);
    await incidentsRepo.updateItem(tx, item.id, { command_last_run: now });
    await appendEvent(tx, incident.id, now, {
      type: 'ran_slash_command',
      summary: `ran the slash command: \`${parsed.text}\``,
      creatorUserId: actor.userId,
    });
  });
  return { triggerId };
}
