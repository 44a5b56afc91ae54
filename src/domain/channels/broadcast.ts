import { channelsRepo } from '../../store/channels.repo.ts';
import { noteIncidentChange, type Tx } from '../../store/db.ts';
import { incidentsRepo } from '../../store/incidents.repo.ts';
import { outboxRepo } from '../../store/outbox.repo.ts';
import { postAsBot } from './channels.ts';

/** What is broadcast, in the words of the failure message. */
export type BroadcastKind = 'creation' | 'status update' | 'finish';

/** Outbox source of chat-webhook broadcasts: sent by the job engine like any webhook, body `{"text": ...}`. */
export const CHAT_BROADCAST_SOURCE = 'chat';

/** The outbox event of a chat broadcast, and back (the failure message names the kind). */
export const chatBroadcastEvent = (what: BroadcastKind) => `broadcast_${what.replace(' ', '_')}`;
export function broadcastKindOf(event: string): BroadcastKind {
  const kind = event.replace(/^broadcast_/, '').replace('_', ' ');
  return kind === 'creation' || kind === 'finish' ? kind : 'status update';
}

/** The room message when a broadcast could not be made ("…to the configured channel.", Playbooks' wording). */
export function broadcastFailureText(what: BroadcastKind, where: string, why = ''): string {
  return `Failed to broadcast run ${what} to ${where}${why ? ` (${why})` : ''}.`;
}

/**
 * Posts to each broadcast channel that exists, is not archived and is in the run's team. When any is not, one
 * message in the run's room says so, instead of dropping the broadcast silently.
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
    await opts.reportFailure(broadcastFailureText(opts.what, where));
  }
}

/**
 * Queues one `{"text": ...}` delivery per chat webhook (Slack- and Mattermost-compatible incoming webhooks), in
 * the caller's transaction. The job engine sends them with the same retries and SSRF guard as every webhook;
 * one that finally fails leaves a message in the run's room (src/jobs/deliveries.ts).
 */
export async function broadcastToChatWebhooks(
  tx: Tx,
  opts: { urls: string[]; incidentId: string; what: BroadcastKind; text: string; now: number },
): Promise<void> {
  for (const url of opts.urls) {
    await outboxRepo.insert(tx, {
      source: CHAT_BROADCAST_SOURCE,
      event: chatBroadcastEvent(opts.what),
      url,
      incident_id: opts.incidentId,
      payload: { text: opts.text },
      now: opts.now,
    });
  }
}

/**
 * A chat broadcast that failed: the run's room says so, as it does for a channel that cannot be posted to; once
 * at the first failed attempt (with a retry to come) and once when it is given up. Called by the job engine in
 * the transaction that records the attempt.
 */
export async function reportFailedChatBroadcast(
  tx: Tx,
  delivery: { incident_id: string | null; event: string; url: string },
  outcome: { now: number; error: string; retrying: boolean },
): Promise<void> {
  const incident = delivery.incident_id ? await incidentsRepo.byId(tx, delivery.incident_id) : undefined;
  if (!incident) return;
  const host = URL.canParse(delivery.url) ? new URL(delivery.url).host : 'its URL';
  const failure = broadcastFailureText(broadcastKindOf(delivery.event), `the chat webhook at ${host}`, outcome.error);
  const text = outcome.retrying ? `${failure} It will be retried.` : failure;
  const now = outcome.now;
  await postAsBot(tx, incident.channel_id, text, now, { incidentId: incident.id });
  noteIncidentChange(incident);
}
