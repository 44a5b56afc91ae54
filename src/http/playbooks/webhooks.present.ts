import type { WebhookEvent } from '../../domain/context.ts';
import { webhookSubject } from '../../domain/incidents/webhook-subject.ts';
import type { Executor } from '../../domain/store-types.ts';
import { presentRun } from './runs.present.ts';

/** Body of a Playbooks outgoing webhook: the run, its links, and (2022 form) the event that caused it. */
export async function renderPlaybooksWebhook(ex: Executor, event: WebhookEvent, meta: { now: number; siteUrl: string }): Promise<unknown> {
  const { now, siteUrl: site } = meta;
  const what = { type: event.event, at: now, user_id: event.actorUserId, payload: event.payload ?? {} };
  const subject = await webhookSubject(ex, event.incidentId);
  if (!subject) return { event: what };
  return {
    ...presentRun(subject.detail),
    channel_url: `${site}/${subject.teamName}/channels/${subject.channelName}`,
    details_url: `${site}/playbooks/runs/${event.incidentId}`,
    event: what,
  };
}
