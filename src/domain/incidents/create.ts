import { channelsRepo } from '../../store/channels.repo.ts';
import { noteIncidentChange, transaction, type Executor, type Tx } from '../../store/db.ts';
import { incidentsRepo } from '../../store/incidents.repo.ts';
import { playbooksRepo, type PlaybookRow } from '../../store/playbooks.repo.ts';
import { usersRepo } from '../../store/users.repo.ts';
import { canViewPlaybook } from '../access.ts';
import { broadcastToChannels, broadcastToChatWebhooks } from '../channels/broadcast.ts';
import { messageFollowers } from '../channels/direct.ts';
import { postMessage } from '../channels/channels.ts';
import { incidentPageUrl, type Actor, type DomainContext } from '../context.ts';
import { forbidden, invalidInput } from '../errors.ts';
import { claimIdempotencyKey, committedReplay, completeIdempotencyKey } from '../idempotency.ts';
import { recordIncidentWebhooks } from '../incident-webhooks.ts';
import { recordWebhooks } from '../webhooks.ts';
import { checkedName, CREATE_FORBIDDEN, planDeclaration, type CreateIncidentProps, type DeclarationPlan } from './declaration-plan.ts';
import { insertDeclaration, type DeclaredRows } from './declaration-write.ts';
import { postStatusUpdateInTx } from './lifecycle.ts';
import { loadDetail } from './read.ts';
import type { IncidentDetail, IncidentRow, ItemRow } from './types.ts';

export { SYSTEM_TASKS, type CreateIncidentProps } from './declaration-plan.ts';

/** Declares an incident: a war-room channel, checklists from the playbook, the first timeline events. */
export async function createIncident(ctx: DomainContext, actor: Actor, props: CreateIncidentProps): Promise<IncidentRow> {
  return declare(ctx, actor, props, {
    finish: async (_tx, declared) => declared.incident,
    replay: async (tx, incidentId) => (await incidentsRepo.byId(tx, incidentId))!,
  });
}

/**
 * createIncident, returning the new incident's detail as of the commit (what loadDetail would read right
 * after it), so a caller presenting the incident need not read it back.
 */
export async function declareIncident(ctx: DomainContext, actor: Actor, props: CreateIncidentProps): Promise<IncidentDetail> {
  // Followers, earlier members of an existing channel and a first status update are not among the rows the
  // declaration statement returns: then the detail is read, inside the transaction so as of the commit.
  const complete = !props.playbook_id && !props.channel_id && !props.initial_status_update?.trim();
  return declare(ctx, actor, props, {
    finish: async (tx, declared) => (complete ? detailOf(declared) : loadDetail(tx, declared.incident)),
    replay: async (ex, incidentId) => loadDetail(ex, (await incidentsRepo.byId(ex, incidentId))!),
  });
}

/** What a declaration answers: made from the rows it wrote, or (an Idempotency-Key repeat) from an earlier incident. */
interface DeclarationAnswer<T> {
  finish: (tx: Tx, declared: DeclaredRows) => Promise<T>;
  replay: (ex: Executor, incidentId: string) => Promise<T>;
}

/** The declaration: a plan (every check and read, no write), then its write. */
async function declare<T>(ctx: DomainContext, actor: Actor, props: CreateIncidentProps, answer: DeclarationAnswer<T>): Promise<T> {
  const name = checkedName(props.name);
  const committed = await committedReplay(ctx.db, ctx.clock.now());
  if (committed) return answer.replay(ctx.db, committed);
  return transaction(ctx.db, async (tx) => {
    const earlier = await claimIdempotencyKey(tx, ctx.clock.now());
    if (earlier) return answer.replay(tx, earlier);
    const declared = await declareInTx(tx, ctx, actor, props, name);
    await completeIdempotencyKey(tx, declared.incident.id);
    return answer.finish(tx, declared);
  });
}

/** A declaration inside the caller's transaction (alert intake claims its dedup key in the same one). */
export async function declareInTx(tx: Tx, ctx: DomainContext, actor: Actor, props: CreateIncidentProps, name = checkedName(props.name)): Promise<DeclaredRows> {
  const plan = await planDeclaration(tx, actor, props, name, ctx.clock.now());
  return writeDeclaration(tx, ctx, actor, props, plan);
}

/** Writes a planned declaration: its one statement, then what follows from the playbook and the request. */
async function writeDeclaration(tx: Tx, ctx: DomainContext, actor: Actor, props: CreateIncidentProps, plan: DeclarationPlan): Promise<DeclaredRows> {
  const { write, playbook, runSettings } = plan;
  const { id, channel_id: channelId, team_id: teamId, name } = write.incident;
  const declared = await insertDeclaration(tx, write);
  // A declaration only adds this incident (and members to its channel): other cached reads stay valid.
  noteIncidentChange({ id, channel_id: channelId });
  if (playbook) {
    await addAutoFollowers(tx, playbook, id);
    await messageFollowers(tx, { id, team_id: teamId }, `You are following a new run of ${playbook.title}: ${name}\n${incidentPageUrl(ctx, id)}`, { now: write.now, exceptUserId: actor.userId });
  }
  if (props.post_id) await linkOriginalPost(tx, actor, plan.botUserId, channelId, props.post_id, write.now);
  if (runSettings.broadcast_enabled) {
    const say = (channel: string, message: string) => postMessage(tx, { channelId: channel, userId: plan.botUserId, message, now: write.now, incidentId: id });
    await broadcastToChannels(tx, {
      channelIds: runSettings.broadcast_channel_ids,
      teamId,
      what: 'creation',
      post: (channel) => say(channel, `A new run has started: ${name}`),
      reportFailure: (text) => say(channelId, text),
    });
    const text = `A new run has started: ${name}\n${incidentPageUrl(ctx, id)}`;
    await broadcastToChatWebhooks(tx, { urls: runSettings.broadcast_webhook_urls, incidentId: id, what: 'creation', text, now: write.now });
  }
  await recordWebhooks(tx, ctx, runSettings.webhook_on_creation_urls, { source: 'playbooks', event: 'run_created', incidentId: id, actorUserId: actor.userId });
  if (props.initial_status_update?.trim()) {
    await postStatusUpdateInTx(tx, ctx, actor, declared.incident, { message: props.initial_status_update, reminder: 0 });
    declared.incident = (await incidentsRepo.byId(tx, id))!;
  }
  if (plan.incidentSubscriptions) await recordIncidentWebhooks(tx, ctx, id, 0);
  return declared;
}

/** Auto-followers who can no longer see the playbook (made private since) do not follow its runs. */
async function addAutoFollowers(tx: Tx, playbook: PlaybookRow, incidentId: string): Promise<void> {
  for (const userId of await playbooksRepo.autofollowIds(tx, playbook.id)) {
    const follower = await usersRepo.byId(tx, userId);
    if (follower && follower.delete_at === 0 && (await canViewPlaybook(tx, { userId, isAdmin: follower.is_admin }, playbook))) {
      await incidentsRepo.addFollower(tx, incidentId, userId);
    }
  }
}

/** The detail of a war room declared without a playbook: exactly the rows the declaration wrote. */
function detailOf(declared: DeclaredRows): IncidentDetail {
  const itemsOf = new Map<string, ItemRow[]>();
  for (const item of declared.items) itemsOf.set(item.checklist_id, [...(itemsOf.get(item.checklist_id) ?? []), item]);
  return {
    incident: declared.incident,
    checklists: declared.checklists.map((list) => ({ ...list, items: itemsOf.get(list.id) ?? [] })),
    timeline: declared.timeline,
    statusPosts: [],
    participantIds: declared.participantIds,
    followerIds: [],
    labels: declared.labels,
    fieldValues: [],
  };
}

async function linkOriginalPost(ex: Executor, actor: Actor, botId: string, channelId: string, postId: string, now: number): Promise<void> {
  const post = await ex.selectFrom('posts').selectAll().where('id', '=', postId).executeTakeFirst();
  if (!post) throw invalidInput('post_id', 'post not found');
  const origin = await channelsRepo.byId(ex, post.channel_id);
  const canRead = actor.isAdmin || origin?.type === 'O' || (await channelsRepo.isMember(ex, post.channel_id, actor.userId));
  if (!canRead) throw forbidden(CREATE_FORBIDDEN);
  const quoted = post.message.split('\n').map((line) => `> ${line}`).join('\n');
  await postMessage(ex, { channelId, userId: botId, message: `[Original Post](/_redirect/pl/${post.id})\n${quoted}`, now });
}
