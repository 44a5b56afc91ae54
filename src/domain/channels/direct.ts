import { newId } from '../../lib/ids.ts';
import { channelsRepo } from '../../store/channels.repo.ts';
import type { Tx } from '../../store/db.ts';
import { incidentsRepo, type IncidentRow } from '../../store/incidents.repo.ts';
import { usersRepo } from '../../store/users.repo.ts';
import { botUserId, postMessage } from './channels.ts';

/**
 * The bot's direct channel with a user, made on first use. Filed under the run's team (migration 021_follower_messages) and
 * named as Mattermost names DMs, the two ids sorted and joined by "__".
 */
async function directChannel(tx: Tx, teamId: string, botId: string, userId: string, now: number): Promise<string> {
  const name = [botId, userId].sort().join('__');
  const id = await channelsRepo.insertOrGetByName(tx, {
    id: newId(),
    team_id: teamId,
    name,
    display_name: name,
    type: 'D',
    creator_id: botId,
    create_at: now,
    update_at: now,
  });
  await channelsRepo.addMember(tx, id, botId, now);
  await channelsRepo.addMember(tx, id, userId, now);
  return id;
}

/**
 * Sends the run's followers a direct message from the bot (Playbooks DMs followers a copy of each status update,
 * the finish and an overdue reminder; auto-followers are told when a run starts). The user whose action caused
 * it is not told about it; deactivated users get nothing.
 */
export async function messageFollowers(tx: Tx, incident: Pick<IncidentRow, 'id' | 'team_id'>, message: string, opts: { now: number; exceptUserId?: string }): Promise<void> {
  const followers = (await incidentsRepo.followerIds(tx, incident.id)).filter((id) => id !== opts.exceptUserId);
  if (followers.length === 0) return;
  const botId = await botUserId(tx);
  for (const userId of followers) {
    const user = await usersRepo.byId(tx, userId);
    if (!user || user.delete_at !== 0 || user.id === botId) continue;
    const channelId = await directChannel(tx, incident.team_id, botId, userId, opts.now);
    await postMessage(tx, { channelId, userId: botId, message, now: opts.now, props: { playbookRunId: incident.id } });
  }
}
