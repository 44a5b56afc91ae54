import { channelsRepo } from '../../store/channels.repo.ts';
import type { Tx } from '../../store/db.ts';

/** What is broadcast, in the words of the failure message. */
export type BroadcastKind = 'creation' | 'status update' | 'finish';

/**
 * Posts to each broadcast channel that exists, is not archived and is in the run's team. When any is not, one
 * message in the run's room says so ("Failed to broadcast run <kind> to the configured channel.", Playbooks'
 * wording), instead of dropping the broadcast silently.
 */
export async function broadcastToChannels(
  tx: Tx,
  opts: { channelIds: string[]; teamId: string; what: BroadcastKind; post(channelId: string): Promise<unknown>; reportFailure(text: string): Promise<unknown> },
): Promise<void> {
  let failed = 0;
  for (const channelId of opts.channelIds) {
    const channel = await channelsRepo.byId(tx, channelId);
    if (channel && channel.delete_at === 0 && channel.team_id === opts.teamId) await opts.post(channelId);
    else failed++;
  }
  if (failed > 0) {
    const where = failed === 1 ? 'the configured channel' : `${failed} of the configured channels`;
    await opts.reportFailure(`Failed to broadcast run ${opts.what} to ${where}.`);
  }
}
