// Run lifecycle: finish/restore, owner, status updates, stages, rename, followers, metadata.
// Each write has a `...InTx` form (for composition, e.g. slash commands: the caller has already locked the
// incident and checked the actor may change it) and a wrapper that does both through mutateIncident.
import { sql } from 'kysely';
import { newId } from '../../lib/ids.ts';
import { channelsRepo } from '../../store/channels.repo.ts';
import { transaction, type Executor, type Tx } from '../../store/db.ts';
import { incidentsRepo } from '../../store/incidents.repo.ts';
import { alertGroupsRepo } from '../../store/intake.repo.ts';
import { usersRepo } from '../../store/users.repo.ts';
import { teamsRepo } from '../../store/teams.repo.ts';
import { canModifyIncident, canViewIncident, requireVisibleIncident } from '../access.ts';
import { broadcastToChannels, broadcastToChatWebhooks, type BroadcastKind } from '../channels/broadcast.ts';
import { messageFollowers } from '../channels/direct.ts';
import { botUserId, postAsBot, usernameOf } from '../channels/channels.ts';
import { incidentPageUrl, type Actor, type DomainContext } from '../context.ts';
import { DomainError, forbidden, invalid, invalidInput, notFound } from '../errors.ts';
import { appendEvent, appendEvents, type AlongsideRow, type NewEvent, type PlannedAppend, type SharedQuery } from '../timeline/append.ts';
import { recordWebhooks } from '../webhooks.ts';
import { mutateIncidentGrouped } from './group-commit.ts';
import { mutateIncident } from './mutate.ts';
import { completeSystemTask } from './system-tasks.ts';
import { loadDetail } from './read.ts';
import { reminderSeconds, reminderWrites, resetReminderInTx } from './status.ts';
import { MAX_NAME_LENGTH, runSettings, type IncidentDetail, type IncidentRow } from './types.ts';
import { requireVersion } from '../preconditions.ts';

export interface StatusUpdateProps {
  message: string;
  /** Seconds until the next reminder; 0 or absent schedules none. */
  reminder?: number | undefined;
  finish_run?: boolean | undefined;
}

/** How messages name the actor; timers and bootstrap act as `system`. */
async function actorName(ex: Executor, actor: Actor): Promise<string> {
  return actor.userId ? await usernameOf(ex, actor.userId) : 'system';
}

async function reload(tx: Tx, incidentId: string): Promise<IncidentRow> {
  const incident = await incidentsRepo.byId(tx, incidentId);
  if (!incident) throw new DomainError('conflict', 'the run vanished during the change');
  return incident;
}

/**
 * Tells the run's followers by direct message, and, when broadcasting is on, copies a bot post to the run's
 * broadcast channels and chat webhooks. A channel that is gone, archived or in another team gets nothing, and
 * the run's room says so (as Playbooks does), so a silent failure is seen.
 */
async function broadcast(
  tx: Tx,
  ctx: DomainContext,
  actor: Actor,
  incident: IncidentRow,
  what: BroadcastKind,
  message: string,
  now: number,
  extra: { type?: string; props?: Record<string, unknown> } = {},
): Promise<void> {
  const heading = what === 'status update' ? `Status update for ${incident.name}:` : `${incident.name}:`;
  const text = `${heading}\n${message}\n${incidentPageUrl(ctx, incident.id)}`;
  await messageFollowers(tx, incident, text, { now, exceptUserId: actor.userId });
  const settings = runSettings(incident);
  if (!settings.broadcast_enabled) return;
  await broadcastToChatWebhooks(tx, { urls: settings.broadcast_webhook_urls, incidentId: incident.id, what, text, now });
  await broadcastToChannels(tx, {
    channelIds: settings.broadcast_channel_ids,
    teamId: incident.team_id,
    what,
    post: (channelId) => postAsBot(tx, channelId, message, now, extra),
    reportFailure: (failure) => postAsBot(tx, incident.channel_id, failure, now, { incidentId: incident.id }),
  });
}

/** The run's status webhooks, rendered from the incident as the change left it (re-read only when there are URLs). */
async function recordStatusWebhooks(tx: Tx, ctx: DomainContext, actor: Actor, incident: IncidentRow, event: string, payload?: Record<string, unknown>) {
  const urls = runSettings(incident).webhook_on_status_update_urls;
  if (urls.length === 0) return;
  await recordWebhooks(tx, ctx, urls, {
    source: 'playbooks',
    event,
    incidentId: incident.id,
    actorUserId: actor.userId,
    ...(payload ? { payload } : {}),
  });
}

// ---------------------------------------------------------------------------------------------- finish

/** Finishes an in-progress run (no-op when already finished). The incident must be locked by the caller. */
export async function finishIncidentInTx(tx: Tx, ctx: DomainContext, actor: Actor, incident: IncidentRow): Promise<void> {
  if (incident.status === 'resolved') return;
  const now = ctx.clock.now();
  const who = await actorName(tx, actor);
  await resetReminderInTx(tx, ctx, incident, 0, now);
  await incidentsRepo.update(tx, incident.id, { status: 'resolved', end_at: now });
  await alertGroupsRepo.closeForIncident(tx, incident.id, now); // the next alert of its group opens a new incident
  const message = `@${who} marked this run as finished.`;
  const postId = await postAsBot(tx, incident.channel_id, message, now, { incidentId: incident.id });
  await broadcast(tx, ctx, actor, incident, 'finish', message, now);
  await appendEvent(tx, incident.id, now, {
    type: 'run_finished',
    summary: `@${who} marked the run as finished`,
    postId,
    subjectUserId: actor.userId,
    creatorUserId: actor.userId,
  });
  await recordStatusWebhooks(tx, ctx, actor, incident, 'run_finished');
}

export function finishIncident(ctx: DomainContext, actor: Actor, incidentId: string): Promise<void> {
  return mutateIncident(ctx, actor, incidentId, (tx, incident) => finishIncidentInTx(tx, ctx, actor, incident));
}

/** Back to in progress (no-op when not finished). The incident must be locked by the caller. */
export async function restoreIncidentInTx(tx: Tx, ctx: DomainContext, actor: Actor, incident: IncidentRow): Promise<void> {
  if (incident.status === 'active') return;
  const now = ctx.clock.now();
  const who = await actorName(tx, actor);
  // Open again: it has not ended, so the edited end goes with the resolution (docs/INCIDENT-GO.md, Incident times).
  await incidentsRepo.update(tx, incident.id, { status: 'active', end_at: 0, incident_end: 0 });
  const postId = await postAsBot(tx, incident.channel_id, `@${who} changed this run's status from Finished to In Progress.`, now, {
    incidentId: incident.id,
  });
  await appendEvent(tx, incident.id, now, {
    type: 'run_restored',
    summary: `@${who} changed the run's status from Finished to In Progress`,
    postId,
    subjectUserId: actor.userId,
    creatorUserId: actor.userId,
  });
  await recordStatusWebhooks(tx, ctx, actor, incident, 'run_restored');
}

export function restoreIncident(ctx: DomainContext, actor: Actor, incidentId: string): Promise<void> {
  return mutateIncident(ctx, actor, incidentId, (tx, incident) => restoreIncidentInTx(tx, ctx, actor, incident));
}

// ----------------------------------------------------------------------------------------------- owner

/**
 * Hands the run to another user, who must exist and be allowed to change the run (else 403); an unknown
 * or deactivated user is a 400 naming `owner_id`. Same owner: no-op. The incident must be locked.
 */
export async function changeOwnerInTx(tx: Tx, ctx: DomainContext, actor: Actor, incident: IncidentRow, ownerId: string): Promise<void> {
  const owner = await usersRepo.byId(tx, ownerId);
  if (!owner || owner.delete_at !== 0) throw invalid('owner_id', `unknown user ${ownerId}`);
  if (!(await canModifyIncident(tx, { userId: owner.id, isAdmin: owner.is_admin }, incident))) {
    throw forbidden(`@${owner.username} is not allowed to own this run`);
  }
  if (incident.owner_user_id === owner.id) return;
  const now = ctx.clock.now();
  const who = await actorName(tx, actor);
  const previous = await usernameOf(tx, incident.owner_user_id);
  await channelsRepo.addMember(tx, incident.channel_id, owner.id, now, true);
  await incidentsRepo.update(tx, incident.id, { owner_user_id: owner.id });
  const postId = await postAsBot(tx, incident.channel_id, `${who} changed the owner from @${previous} to @${owner.username}.`, now, {
    incidentId: incident.id,
  });
  await appendEvent(tx, incident.id, now, {
    type: 'owner_changed',
    summary: `@${previous} to @${owner.username}`,
    details: { from: incident.owner_user_id, to: owner.id },
    postId,
    subjectUserId: owner.id,
    creatorUserId: actor.userId,
  });
  await completeSystemTask(tx, actor, incident.id, 'assign-role-commander', now);
}

export function changeOwner(ctx: DomainContext, actor: Actor, incidentId: string, ownerId: string): Promise<void> {
  return mutateIncident(ctx, actor, incidentId, (tx, incident) => changeOwnerInTx(tx, ctx, actor, incident, ownerId));
}

// --------------------------------------------------------------------------------------- status update

/**
 * The run facts every status post carries (checked and total tasks, participants), as a query the post's
 * insert selects from. Status updates merged into one statement share it: they all read the statement's
 * one snapshot, so each computing the facts again would give the same answer at N times the cost.
 */
function statusRunFacts(incident: IncidentRow): SharedQuery {
  return {
    name: 'status_run_facts',
    query: sql`select jsonb_build_object(
      'numTasksChecked', count(*) filter (where state = 'closed'),
      'numTasks', count(*),
      'participantIds', coalesce((select jsonb_agg(cm.user_id order by cm.joined_at, cm.user_id) from channel_members cm
          join users u on u.id = cm.user_id where cm.channel_id = ${incident.channel_id} and u.is_bot = false), '[]'::jsonb)) as props
      from checklist_items where incident_id = ${incident.id}`,
  };
}

/**
 * The status post's row. Its props (the run facts, the author's name) are computed by the database in the
 * statement that inserts it, so reading them costs no round trips of their own; it needs statusRunFacts
 * beside it. Status posts merged into one statement are inserted by one multi-row insert.
 */
function statusPostRow(actor: Actor, incident: IncidentRow, post: { id: string; userId: string; message: string; now: number }) {
  const author = actor.userId ? sql`coalesce((select username from users where id = ${actor.userId}), ${actor.userId}::text)` : sql`'system'::text`;
  // Disjoint keys: the merged object is the one a single jsonb_build_object of all six would give.
  const props = sql<string>`(select props from status_run_facts) || jsonb_build_object(
    'authorUsername', ${author},
    'playbookRunId', ${incident.id}::text,
    'runName', ${incident.name}::text)`;
  const row: AlongsideRow = {
    insertRow: {
      into: 'posts',
      values: {
        id: post.id,
        channel_id: incident.channel_id,
        user_id: post.userId,
        message: post.message,
        type: 'custom_run_update',
        props,
        incident_id: incident.id,
        root_id: '',
        create_at: post.now,
        update_at: post.now,
      },
    },
  };
  return row;
}

/**
 * Posts a status update (a `custom_run_update` post by the author in the run channel), replaces the
 * reminder, broadcasts it, records the status webhooks, and finishes the run when asked. The incident
 * must be locked by the caller. Post, reminder, incident row and timeline event are one statement.
 */
/**
 * A status update's one append (the event, with the post and reminder writes beside it), built without
 * running a statement: `qb` only builds the queries. `authorId` writes the post (the bot for the system).
 */
function statusUpdateAppend(qb: Executor, ctx: DomainContext, actor: Actor, incident: IncidentRow, props: StatusUpdateProps, authorId: string) {
  const message = typeof props.message === 'string' ? props.message.trim() : '';
  if (!message) throw invalid('message', 'message must not be empty');
  const reminder = reminderSeconds('reminder', props.reminder);
  const now = ctx.clock.now();
  const postId = newId();
  const post = statusPostRow(actor, incident, { id: postId, userId: authorId, message, now });
  const reminderChange = reminderWrites(qb, ctx, incident, reminder, now);
  // The message itself is the summary, so the RPC activity view (a userNote) carries what was said.
  const event: NewEvent = { type: 'status_updated', summary: message, postId, subjectUserId: actor.userId, creatorUserId: actor.userId };
  const options = {
    incident: { ...reminderChange.incident, last_status_update_at: now },
    alongside: [post, ...reminderChange.alongside],
    shared: [statusRunFacts(incident)],
  };
  return { append: { event, now, options } satisfies PlannedAppend, message, reminder, postId, now };
}

export async function postStatusUpdateInTx(
  tx: Tx,
  ctx: DomainContext,
  actor: Actor,
  incident: IncidentRow,
  props: StatusUpdateProps,
): Promise<string> {
  const { append, message, reminder, postId, now } = statusUpdateAppend(tx, ctx, actor, incident, props, actor.userId || (await botUserId(tx)));
  const finishRun = props.finish_run === true;
  await appendEvents(tx, incident.id, [append]);
  const written = await tx.selectFrom('posts').select('props').where('id', '=', postId).executeTakeFirstOrThrow();
  await broadcast(tx, ctx, actor, incident, 'status update', message, now, { type: 'custom_run_update', props: written.props });
  await recordStatusWebhooks(tx, ctx, actor, incident, 'status_updated', {
    message,
    reminder,
    finish_run: finishRun,
  });
  if (finishRun) await finishIncidentInTx(tx, ctx, actor, await reload(tx, incident.id));
  return postId;
}

export function postStatusUpdate(ctx: DomainContext, actor: Actor, incidentId: string, props: StatusUpdateProps): Promise<void> {
  const change = async (tx: Tx, incident: IncidentRow) => {
    await postStatusUpdateInTx(tx, ctx, actor, incident, props);
  };
  // Finishing writes the incident row after the event, which a batch would not hand on to the next write.
  if (props.finish_run === true) return mutateIncident(ctx, actor, incidentId, change);
  return mutateIncidentGrouped(ctx, actor, incidentId, (incident) => {
    const settings = runSettings(incident);
    // A user's update with nothing to broadcast, message or call out is one append, declared as data.
    if (actor.userId === '' || incident.follower_count > 0 || settings.broadcast_enabled || settings.webhook_on_status_update_urls.length > 0) return change;
    return { appends: [statusUpdateAppend(ctx.db, ctx, actor, incident, props, actor.userId).append], result: () => undefined };
  });
}

export interface StatusUpdateView {
  id: string;
  create_at: number;
  delete_at: number;
  message: string;
  user_id: string;
  author_username: string;
}

/** The run's status updates, oldest first. */
export async function listStatusUpdates(ex: Executor, actor: Actor, incidentId: string): Promise<StatusUpdateView[]> {
  const incident = await requireVisibleIncident(ex, actor, incidentId);
  const posts = await channelsRepo.statusPostsOf(ex, incident.id);
  return posts.map((post) => ({
    id: post.id,
    create_at: post.create_at,
    delete_at: post.delete_at,
    message: post.message,
    user_id: post.user_id,
    author_username: typeof post.props.authorUsername === 'string' ? post.props.authorUsername : '',
  }));
}

// ------------------------------------------------------------------------------ stages, name, summary

export interface UpdateIncidentProps {
  /** Zero-based index into the run's checklists (the 2020 "stages"). */
  active_stage?: number | undefined;
  name?: string | undefined;
  summary?: string | undefined;
}

/** Moves the active stage; same stage is a no-op, an index past the last checklist a 400. Incident locked. */
export async function changeActiveStageInTx(tx: Tx, ctx: DomainContext, actor: Actor, incident: IncidentRow, stage: number): Promise<void> {
  const checklists = await incidentsRepo.checklists(tx, incident.id);
  if (!Number.isInteger(stage) || stage < 0 || stage >= checklists.length) {
    const range = checklists.length === 0 ? 'the run has no checklists' : `it must be between 0 and ${checklists.length - 1}`;
    throw invalid('active_stage', `active_stage ${stage} is out of range: ${range}`);
  }
  const current = Math.min(Math.max(incident.active_stage, 0), checklists.length - 1);
  if (stage === current) return;
  const now = ctx.clock.now();
  const who = await actorName(tx, actor);
  const from = checklists[current]!.title;
  const to = checklists[stage]!.title;
  await incidentsRepo.update(tx, incident.id, { active_stage: stage });
  const postId = await postAsBot(tx, incident.channel_id, `${who} changed the active stage from **${from}** to **${to}**.`, now, {
    incidentId: incident.id,
  });
  await appendEvent(tx, incident.id, now, {
    type: 'stage_changed',
    summary: `@${who} changed the active stage from ${from} to ${to}`,
    details: { from: current, to: stage },
    postId,
    subjectUserId: actor.userId,
    creatorUserId: actor.userId,
  });
}

export async function renameInTx(tx: Tx, actor: Actor, incident: IncidentRow, rawName: string, now: number): Promise<void> {
  const name = rawName.trim();
  if (!name) throw invalidInput('name', 'must not be blank');
  if (name.length > MAX_NAME_LENGTH) throw invalidInput('name', `must be at most ${MAX_NAME_LENGTH} characters`);
  if (name === incident.name) return;
  await incidentsRepo.update(tx, incident.id, { name });
  await appendEvent(tx, incident.id, now, {
    type: 'title_changed',
    summary: `@${await actorName(tx, actor)} renamed the run from "${incident.name}" to "${name}"`,
    details: { from: incident.name, to: name },
    subjectUserId: actor.userId,
    creatorUserId: actor.userId,
  });
}

export async function changeSummaryInTx(tx: Tx, actor: Actor, incident: IncidentRow, summary: string, now: number): Promise<void> {
  if (summary === incident.summary) return;
  await incidentsRepo.update(tx, incident.id, { summary, summary_modified_at: now });
  await appendEvent(tx, incident.id, now, {
    type: 'summary_changed',
    summary: `@${await actorName(tx, actor)} updated the summary`,
    details: { from: incident.summary, to: summary },
    subjectUserId: actor.userId,
    creatorUserId: actor.userId,
  });
}

/**
 * PATCH /runs/{id}: any of stage, name, summary, in one transaction (all or nothing). An empty patch
 * changes nothing and returns the run (the 2021–2025 behaviour).
 */
export function updateIncident(ctx: DomainContext, actor: Actor, incidentId: string, props: UpdateIncidentProps): Promise<IncidentDetail> {
  return mutateIncident(ctx, actor, incidentId, async (tx, incident, now) => {
    if (props.name !== undefined) await renameInTx(tx, actor, incident, props.name, now);
    if (props.summary !== undefined) await changeSummaryInTx(tx, actor, await reload(tx, incident.id), props.summary, now);
    if (props.active_stage !== undefined) await changeActiveStageInTx(tx, ctx, actor, await reload(tx, incident.id), props.active_stage);
    return loadDetail(tx, await reload(tx, incident.id));
  });
}

// ------------------------------------------------------------------------------------------ followers

/**
 * Following needs only the right to see the run (not to change it), so it does not go through
 * mutateIncident; it still locks the row so it serialises with other writes to the run.
 */
function withVisibleIncidentLocked<T>(ctx: DomainContext, actor: Actor, incidentId: string, fn: (tx: Tx, incident: IncidentRow) => Promise<T>) {
  return transaction(ctx.db, async (tx) => {
    const incident = await incidentsRepo.lock(tx, incidentId);
    if (!incident) throw notFound();
    if (!(await canViewIncident(tx, actor, incident))) throw forbidden("You don't have permission to view this run.");
    requireVersion('incident', incident.id, incident.version);
    const result = await fn(tx, incident);
    // Followers are part of the run's JSON (follower_ids): its version, the ETag, moves with them.
    await tx.updateTable('incidents').set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', incident.id).execute();
    return result;
  });
}

export async function followIncident(ctx: DomainContext, actor: Actor, incidentId: string): Promise<void> {
  if (!actor.userId) throw invalid('user', 'only a user can follow a run');
  await withVisibleIncidentLocked(ctx, actor, incidentId, (tx, incident) => incidentsRepo.addFollower(tx, incident.id, actor.userId));
}

export async function unfollowIncident(ctx: DomainContext, actor: Actor, incidentId: string): Promise<void> {
  await withVisibleIncidentLocked(ctx, actor, incidentId, (tx, incident) => incidentsRepo.removeFollower(tx, incident.id, actor.userId));
}

export async function listFollowers(ex: Executor, actor: Actor, incidentId: string): Promise<string[]> {
  const incident = await requireVisibleIncident(ex, actor, incidentId);
  return incidentsRepo.followerIds(ex, incident.id);
}

// ------------------------------------------------------------------------------------------- metadata

export interface IncidentMetadata {
  channelName: string;
  channelDisplayName: string;
  teamName: string;
  /** Distinct people (bots excluded) who were ever in the run channel. */
  numParticipants: number;
  totalPosts: number;
  followerIds: string[];
}

export async function getIncidentMetadata(ex: Executor, actor: Actor, incidentId: string): Promise<IncidentMetadata> {
  const incident = await requireVisibleIncident(ex, actor, incidentId);
  const [channel, team, numParticipants, totalPosts, followerIds] = await Promise.all([
    channelsRepo.byId(ex, incident.channel_id),
    teamsRepo.byId(ex, incident.team_id),
    channelsRepo.everMemberCount(ex, incident.channel_id),
    channelsRepo.postCount(ex, incident.channel_id),
    incidentsRepo.followerIds(ex, incident.id),
  ]);
  return {
    channelName: channel?.name ?? '',
    channelDisplayName: channel?.display_name ?? '',
    teamName: team?.name ?? '',
    numParticipants,
    totalPosts,
    followerIds,
  };
}
