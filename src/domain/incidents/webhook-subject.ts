import { channelsRepo } from '../../store/channels.repo.ts';
import type { Executor } from '../../store/db.ts';
import { incidentsRepo } from '../../store/incidents.repo.ts';
import { teamsRepo } from '../../store/teams.repo.ts';
import { loadDetail } from './read.ts';
import type { IncidentDetail } from './types.ts';

/** The run an outgoing webhook is about, with the names its links need; undefined once it is gone. */
export async function webhookSubject(ex: Executor, incidentId: string): Promise<{ detail: IncidentDetail; channelName: string; teamName: string } | undefined> {
  const incident = await incidentsRepo.byId(ex, incidentId);
  if (!incident) return undefined;
  const [detail, channel, team] = [await loadDetail(ex, incident), await channelsRepo.byId(ex, incident.channel_id), await teamsRepo.byId(ex, incident.team_id)];
  return { detail, channelName: channel?.name ?? '', teamName: team?.name ?? '' };
}
