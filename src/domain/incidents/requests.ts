import { channelsRepo } from '../../store/channels.repo.ts';
import { noteIncidentChange, transaction, type Tx } from '../../store/db.ts';
import { incidentsRepo } from '../../store/incidents.repo.ts';
import { canViewIncident } from '../access.ts';
import { postAsBot, usernameOf } from '../channels/channels.ts';
import { messageUsers } from '../channels/direct.ts';
import { incidentPageUrl, type Actor, type DomainContext } from '../context.ts';
import { forbidden, invalid, notFound } from '../errors.ts';
import { appendEvent } from '../timeline/append.ts';
import type { IncidentRow } from './types.ts';

/**
 * Asks for something in a run's room without the right to change the run: anyone who can see it may. Locks the
 * run, so the request and its timeline event (if any) are one write.
 */
function asViewer(ctx: DomainContext, actor: Actor, incidentId: string, fn: (tx: Tx, incident: IncidentRow, who: string, now: number) => Promise<void>) {
  if (!actor.userId) throw invalid('user', 'only a user can ask this');
  return transaction(ctx.db, async (tx) => {
    const incident = await incidentsRepo.lock(tx, incidentId);
    if (!incident) throw notFound();
    if (!(await canViewIncident(tx, actor, incident))) throw forbidden("You don't have permission to view this run.");
    await fn(tx, incident, await usernameOf(tx, actor.userId), ctx.clock.now());
    noteIncidentChange(incident);
  });
}

/**
 * POST /runs/{id}/request-update: someone following along asks the owner for a status update. The bot says so
 * in the room, the timeline records `status_update_requested`, and the owner gets a direct message.
 */
export function requestStatusUpdate(ctx: DomainContext, actor: Actor, incidentId: string): Promise<void> {
  return asViewer(ctx, actor, incidentId, async (tx, incident, who, now) => {
    if (incident.status !== 'active') throw invalid('run', 'the run is finished: it takes no status updates');
    const owner = await usernameOf(tx, incident.owner_user_id);
    const postId = await postAsBot(tx, incident.channel_id, `@${who} requested a status update from @${owner}.`, now, { incidentId: incident.id });
    await appendEvent(tx, incident.id, now, {
      type: 'status_update_requested',
      summary: `@${who} requested a status update`,
      postId,
      subjectUserId: actor.userId,
      creatorUserId: actor.userId,
    });
    await messageUsers(tx, incident, [incident.owner_user_id], `@${who} asks for a status update on ${incident.name}\n${incidentPageUrl(ctx, incident.id)}`, now);
  });
}

/**
 * POST /runs/{id}/request-join-channel: someone who can see the run but is not in its room asks to be let in
 * (a private room cannot be joined). The room and the owner are told; the owner adds them as a participant.
 */
export function requestToJoinChannel(ctx: DomainContext, actor: Actor, incidentId: string): Promise<void> {
  return asViewer(ctx, actor, incidentId, async (tx, incident, who, now) => {
    if (await channelsRepo.isMember(tx, incident.channel_id, actor.userId)) throw invalid('user', 'you are already in the run channel');
    await postAsBot(tx, incident.channel_id, `@${who} asks to join this channel.`, now, { incidentId: incident.id });
    await messageUsers(tx, incident, [incident.owner_user_id], `@${who} asks to join the channel of ${incident.name}\n${incidentPageUrl(ctx, incident.id)}`, now);
  });
}
