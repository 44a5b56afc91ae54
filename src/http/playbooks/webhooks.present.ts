import type { WebhookEvent } from '../../domain/context.ts';
import { loadDetail } from '../../domain/incidents/read.ts';
import { channelsRepo } from '../../store/channels.repo.ts';
import type { Executor } from '../../store/db.ts';
import { incidentsRepo } from '../../store/incidents.repo.ts';
import { teamsRepo } from '../../store/teams.repo.ts';
import { presentRun } from './runs.present.ts';

/** Body of a Playbooks outgoing webhook: the run, its links, and (2022 form) the event that caused it. */
export async function renderPlaybooksWebhook(ex: Executor, event: WebhookEvent, meta: { now: number; siteUrl: string }): Promise<unknown> {
  const { now, siteUrl: site } = meta;
  const incident = await incidentsRepo.byId(ex, event.incidentId);
  if (!incident) return { event: { type: event.event, at: now, user_id: event.actorUserId, payload: event.payload ?? {} } };
  const detail = await loadDetail(ex, incident);
  const channel = await channelsRepo.byId(ex, incident.channel_id);
  const team = await teamsRepo.byId(ex, incident.team_id);
  return {
    ...presentRun(detail),
    channel_url: `${site}/${team?.name ?? ''}/channels/${channel?.name ?? ''}`,
    details_url: `${site}/playbooks/runs/${incident.id}`,
    event: { type: event.event, at: now, user_id: event.actorUserId, payload: event.payload ?? {} },
  };
}
