import { sql } from 'kysely';
import { channelsRepo } from '../../store/channels.repo.ts';
import { transaction, type Executor, type Tx } from '../../store/db.ts';
import { incidentsRepo } from '../../store/incidents.repo.ts';
import { jobsRepo } from '../../store/jobs.repo.ts';
import { postAsBot, usernameOf } from '../channels/channels.ts';
import { messageFollowers } from '../channels/direct.ts';
import { incidentPageUrl, type Actor, type DomainContext } from '../context.ts';
import { invalid } from '../errors.ts';
import { appendEvent, type AlongsideWrite } from '../timeline/append.ts';
import { mutateIncident } from './mutate.ts';
import type { IncidentRow } from './types.ts';

export const REMINDER_TIMER = 'status_reminder';
export const reminderKey = (incidentId: string) => `reminder:${incidentId}`;

/** Ten years: anything longer is a typo, and it keeps `now + seconds * 1000` far inside bigint. */
export const MAX_REMINDER_SECONDS = 10 * 365 * 24 * 3600;

/**
 * A status-update reminder came due: the bot asks the owner for an update in the war room. One-shot; the
 * next status update schedules the next one.
 */
export async function fireStatusReminder(ctx: DomainContext, incidentId: string): Promise<void> {
  await transaction(ctx.db, (tx) => fireStatusReminderInTx(tx, ctx, incidentId));
}

/** The same in the caller's transaction (the job engine's, so that the post is written only if its claim holds). */
export async function fireStatusReminderInTx(tx: Tx, ctx: DomainContext, incidentId: string): Promise<void> {
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
  await messageFollowers(tx, incident, `Status update is overdue for ${incident.name}\n${incidentPageUrl(ctx, incident.id)}`, { now });
}

/**
 * Whole seconds of a requested reminder. Fractions round up (0.5 s is still "a reminder"); negative,
 * non-finite and absurdly long values are refused, naming `field`.
 */
export function reminderSeconds(field: string, value: number | undefined): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalid(field, `${field} must be a number of seconds, 0 or more`);
  }
  if (value > MAX_REMINDER_SECONDS) throw invalid(field, `${field} must be at most ${MAX_REMINDER_SECONDS} seconds`);
  return Math.ceil(value);
}

/**
 * The writes that replace the run's reminder: the pending reminder post goes, the timer is cancelled, and
 * when `seconds` is positive (and the run is still in progress) a new one is scheduled. Returned unsent, so
 * a caller can send them together with its timeline event (appendEvent's `alongside` and `incident`).
 */
export function reminderWrites(
  tx: Executor,
  ctx: DomainContext,
  incident: IncidentRow,
  seconds: number,
  now: number,
): { alongside: AlongsideWrite[]; incident: { reminder_seconds: number; reminder_post_id: string } } {
  const alongside: AlongsideWrite[] = [];
  if (incident.reminder_post_id) {
    alongside.push(tx.updateTable('posts').set({ delete_at: now, update_at: now }).where('id', '=', incident.reminder_post_id));
  }
  const key = reminderKey(incident.id);
  if (seconds > 0 && incident.status === 'active') {
    // Cancel and schedule in one: a fresh job row (new id, unclaimed) under the run's one key.
    const scheduledAt = ctx.clock.now();
    const job = { kind: REMINDER_TIMER, key, due_at: scheduledAt + seconds * 1000, payload: { incident_id: incident.id }, now: scheduledAt };
    alongside.push({ key, write: jobsRepo.upsert(tx, job) });
  } else {
    alongside.push({ key, write: jobsRepo.cancelStatement(tx, key) });
  }
  return { alongside, incident: { reminder_seconds: seconds, reminder_post_id: '' } };
}

/** Replaces the run's reminder now (see reminderWrites). Call with the incident locked. */
export async function resetReminderInTx(tx: Tx, ctx: DomainContext, incident: IncidentRow, seconds: number, now: number): Promise<void> {
  const writes = reminderWrites(tx, ctx, incident, seconds, now);
  for (const write of writes.alongside) await sql`${'key' in write ? write.write : write}`.execute(tx);
  await incidentsRepo.update(tx, incident.id, writes.incident);
}

/** POST /runs/{id}/reminder: "remind me again in N seconds" (N > 0), recorded as `status_update_snoozed`. */
export async function snoozeReminder(ctx: DomainContext, actor: Actor, incidentId: string, newReminderSeconds: number): Promise<void> {
  if (typeof newReminderSeconds !== 'number' || !(newReminderSeconds > 0)) {
    throw invalid('new_reminder_seconds', 'new_reminder_seconds must be a number of seconds greater than 0');
  }
  const seconds = reminderSeconds('new_reminder_seconds', newReminderSeconds);
  await mutateIncident(ctx, actor, incidentId, async (tx, incident, now) => {
    const who = actor.userId ? await usernameOf(tx, actor.userId) : 'system';
    await appendEvent(
      tx,
      incident.id,
      now,
      {
        type: 'status_update_snoozed',
        summary: `@${who} snoozed a status update`,
        details: { new_reminder_seconds: seconds },
        subjectUserId: actor.userId,
        creatorUserId: actor.userId,
      },
      reminderWrites(tx, ctx, incident, seconds, now),
    );
  });
}
