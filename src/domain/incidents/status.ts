import { channelsRepo } from '../../store/channels.repo.ts';
import { transaction } from '../../store/db.ts';
import { incidentsRepo } from '../../store/incidents.repo.ts';
import { timersRepo } from '../../store/jobs.repo.ts';
import { postAsBot, usernameOf } from '../channels/channels.ts';
import type { DomainContext } from '../context.ts';

export const REMINDER_TIMER = 'status_reminder';
export const reminderKey = (incidentId: string) => `reminder:${incidentId}`;

/**
 * A status-update reminder came due: the bot asks the owner for an update in the war room. One-shot; the
 * next status update schedules the next one.
 */
export async function fireStatusReminder(ctx: DomainContext, incidentId: string): Promise<void> {
  await transaction(ctx.db, async (tx) => {
    const incident = await incidentsRepo.lock(tx, incidentId);
    if (!incident || incident.status !== 'active') return;
    const now = ctx.clock.now();
    if (incident.reminder_post_id) await channelsRepo.deletePost(tx, incident.reminder_post_id, now);
    const owner = await usernameOf(tx, incident.owner_user_id);
    const postId = await postAsBot(tx, incident.channel_id, `@${owner}, please provide a status update.`, now, {
      type: 'custom_update_status',
      props: { targetUsername: owner, playbookRunId: incident.id },
      incidentId: incident.id,
    });
    await incidentsRepo.update(tx, incident.id, { reminder_post_id: postId });
  });
}

/** Schedules (or moves) the run's one pending reminder, `seconds` from now. */
export async function scheduleReminder(ctx: DomainContext, ex: Parameters<typeof timersRepo.schedule>[0], incidentId: string, seconds: number) {
  const now = ctx.clock.now();
  await timersRepo.schedule(ex, {
    kind: REMINDER_TIMER,
    key: reminderKey(incidentId),
    due_at: now + seconds * 1000,
    payload: { incident_id: incidentId },
    now,
  });
}

export async function cancelReminder(ex: Parameters<typeof timersRepo.cancel>[0], incidentId: string) {
  await timersRepo.cancel(ex, reminderKey(incidentId));
}
