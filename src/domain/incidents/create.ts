import type { Insertable } from 'kysely';
import { newId, isValidId } from '../../lib/ids.ts';
import { channelsRepo } from '../../store/channels.repo.ts';
import { json, noteIncidentChange, transaction, type Executor, type Tx } from '../../store/db.ts';
import { incidentsRepo } from '../../store/incidents.repo.ts';
import { playbooksRepo } from '../../store/playbooks.repo.ts';
import type { ChecklistItemsTable, ChecklistsTable, ChecklistTemplate } from '../../store/schema.ts';
import { usersRepo } from '../../store/users.repo.ts';
import { canViewPlaybook } from '../access.ts';
import { postMessage, slugify } from '../channels/channels.ts';
import type { Actor, DomainContext } from '../context.ts';
import { forbidden, invalid, notFound } from '../errors.ts';
import { playbookSettings } from '../playbooks/types.ts';
import { recordIncidentWebhooks } from '../incident-webhooks.ts';
import type { NewEvent } from '../timeline/append.ts';
import { recordWebhooks } from '../webhooks.ts';
import { loadDeclarationContext } from './declaration-context.ts';
import { insertDeclaration, type DeclaredRows } from './declaration-write.ts';
import { postStatusUpdateInTx } from './lifecycle.ts';
import { loadDetail } from './read.ts';
import { resolveSeverity } from './severities.ts';
import { DEFAULT_RUN_SETTINGS, MAX_NAME_LENGTH, type IncidentDetail, type IncidentRow, type ItemRow, type RunSettings } from './types.ts';

export interface CreateIncidentProps {
  name: string;
  summary?: string | undefined;
  owner_user_id?: string | undefined;
  team_id?: string | undefined;
  playbook_id?: string | undefined;
  channel_id?: string | undefined;
  post_id?: string | undefined;
  severity?: string | undefined;
  is_drill?: boolean | undefined;
  labels?: string[] | undefined;
  /** `resolved` declares a retrospective incident, finished at creation. */
  status?: 'active' | 'resolved' | undefined;
  /** Declared through the RPC API: no commander is required, and the Grafana system tasks are added. */
  origin?: 'playbooks' | 'rpc' | undefined;
  /** Prefix of the war-room channel name (Grafana `roomPrefix`). */
  room_prefix?: string | undefined;
  /** Text attached to the new incident's timeline as context (an incoming webhook's body). */
  attached_context?: string | undefined;
  /** A link attached to the new incident's timeline (Grafana `attachURL` / `attachCaption`). */
  attachment?: { url: string; caption: string } | undefined;
  /** A first status update, posted as part of the declaration. */
  initial_status_update?: string | undefined;
}

/** Grafana's immutable tasks of a new incident; each is done by the change it asks for. */
export const SYSTEM_TASKS = [
  { key: 'assign-role-investigator', title: 'Assign INVESTIGATOR role' },
  { key: 'assign-role-commander', title: 'Assign COMMANDER role' },
  { key: 'must-choose-severity', title: 'Specify incident severity' },
] as const;

const CREATE_FAILED = 'unable to create playbook run';

/** Declares an incident: a war-room channel, checklists from the playbook, the first timeline events. */
export async function createIncident(ctx: DomainContext, actor: Actor, props: CreateIncidentProps): Promise<IncidentRow> {
  return declare(ctx, actor, props, async (_tx, declared) => declared.incident);
}

/**
 * createIncident, returning the new incident's detail as of the commit (what loadDetail would read right
 * after it), so a caller presenting the incident need not read it back.
 */
export async function declareIncident(ctx: DomainContext, actor: Actor, props: CreateIncidentProps): Promise<IncidentDetail> {
  // Followers, earlier members of an existing channel and a first status update are not among the rows the
  // declaration statement returns: then the detail is read, inside the transaction so as of the commit.
  const complete = !props.playbook_id && !props.channel_id && !props.initial_status_update?.trim();
  return declare(ctx, actor, props, async (tx, declared) => (complete ? detailOf(declared) : loadDetail(tx, declared.incident)));
}

/** The declaration; `finish` turns what it wrote into the result, in its transaction. */
async function declare<T>(
  ctx: DomainContext,
  actor: Actor,
  props: CreateIncidentProps,
  finish: (tx: Tx, declared: DeclaredRows) => Promise<T>,
): Promise<T> {
  const name = props.name.trim();
  if (!name) throw invalid('name', `${CREATE_FAILED}: name must not be blank`);
  if (name.length > MAX_NAME_LENGTH) throw invalid('name', `${CREATE_FAILED}: name must be at most ${MAX_NAME_LENGTH} characters`);

  return transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const playbook = props.playbook_id ? await playbooksRepo.byId(tx, props.playbook_id) : undefined;
    if (props.playbook_id && !playbook) throw notFound('playbook not found');
    if (playbook) {
      // Access first, so a private archived playbook does not reveal that it exists.
      if (!(await canViewPlaybook(tx, actor, playbook))) throw forbidden(CREATE_FAILED);
      if (playbook.delete_at !== 0) throw invalid('playbook_id', `${CREATE_FAILED}: the playbook is archived`);
    }

    let teamId = props.team_id || playbook?.team_id || '';
    let existingChannelId = '';
    if (props.channel_id) {
      const channel = await channelsRepo.byId(tx, props.channel_id);
      if (!channel || channel.delete_at !== 0) throw invalid('channel_id', `${CREATE_FAILED}: channel not found`);
      if (teamId && channel.team_id !== teamId) throw invalid('team_id', `${CREATE_FAILED}: the channel is in another team`);
      const member = await channelsRepo.isMember(tx, channel.id, actor.userId);
      if (!actor.isAdmin && !member && channel.type === 'P') throw forbidden(CREATE_FAILED);
      if ((await incidentsRepo.byChannel(tx, channel.id)).length > 0) {
        throw invalid('channel_id', `${CREATE_FAILED}: the channel already has a run`);
      }
      teamId = channel.team_id;
      existingChannelId = channel.id;
    }
    const rpc = props.origin === 'rpc';
    // Grafana has no teams: an incident declared over RPC goes to the caller's first team (admins: the oldest).
    if (!teamId && !rpc) throw invalid('team_id', `${CREATE_FAILED}: team_id is required`);
    if (playbook && playbook.team_id !== teamId) throw invalid('team_id', `${CREATE_FAILED}: the playbook is in another team`);

    const settings = playbookSettings(playbook?.settings ?? {});
    const defaultOwnerId = settings.default_owner_enabled ? settings.default_owner_id : '';
    const invitedIds = settings.invite_users_enabled ? settings.invited_user_ids.filter((id) => isValidId(id)) : [];
    const roomName = existingChannelId ? undefined : warRoomName(name, props.room_prefix);
    const context = await loadDeclarationContext(tx, {
      teamId,
      actor,
      memberCandidates: [actor.userId, props.owner_user_id ?? '', defaultOwnerId, ...invitedIds],
      userIds: [actor.userId, props.owner_user_id ?? '', defaultOwnerId],
      roomName,
    });
    if (!context && !teamId) throw invalid('team', 'you are not a member of any team, so there is nowhere to declare the incident');
    if (!context) throw notFound('team not found');
    teamId = context.teamId;
    const isTeamMember = (userId: string) => context.teamMemberIds.has(userId);
    if (!actor.isAdmin && !isTeamMember(actor.userId)) throw forbidden(CREATE_FAILED);

    const severity = props.severity ? await resolveSeverity(tx, props.severity) : undefined;
    let ownerId = props.owner_user_id || '';
    if (defaultOwnerId && isTeamMember(defaultOwnerId)) ownerId = defaultOwnerId;
    if (!ownerId && !rpc) throw invalid('owner_user_id', `${CREATE_FAILED}: owner_user_id is required`);
    const owner = ownerId ? context.users.get(ownerId) : undefined;
    if (ownerId && (!owner || owner.delete_at !== 0)) throw invalid('owner_user_id', `${CREATE_FAILED}: unknown owner ${ownerId}`);
    if (owner && !owner.is_admin && !isTeamMember(ownerId)) {
      throw forbidden(`${CREATE_FAILED}: the owner is not a member of the team`);
    }

    const runSettings = runSettingsFrom(settings);
    const id = newId();
    const channelId = existingChannelId || newId();
    const bot = context.botUserId;
    const reporter = actor.userId ? (context.users.get(actor.userId)?.username ?? actor.userId) : 'system';
    const ownerName = owner?.username ?? '';
    const startedBy =
      !ownerName || reporter === ownerName
        ? `This run has been started by @${reporter}.`
        : `This run has been started by @${reporter} and is commanded by @${ownerName}.`;
    const resolved = props.status === 'resolved';
    const templates: ChecklistTemplate[] = playbook ? playbook.checklists : [{ title: rpc ? 'Tasks' : 'Checklist', items: [] }];
    const { checklists, items } = checklistRows(id, templates, actor.userId, now);
    if (rpc) items.push(...systemTaskRows(checklists, items, { commander: Boolean(ownerId), severity: (severity ?? 'pending') !== 'pending' }, now));

    const events: NewEvent[] = [
      { type: 'incident_created', summary: `@${reporter} started the run`, subjectUserId: ownerId, creatorUserId: actor.userId },
    ];
    if (resolved) events.push({ type: 'run_finished', summary: `@${reporter} declared a resolved incident`, creatorUserId: actor.userId });
    if (props.attachment) {
      const { url, caption } = props.attachment;
      events.push({ type: 'user_note', summary: caption || url, url, creatorUserId: actor.userId });
    }
    if (props.attached_context !== undefined) {
      events.push({ type: 'context_attached', summary: props.attached_context, creatorUserId: actor.userId });
    }

    const declared = await insertDeclaration(tx, {
      now,
      room: existingChannelId
        ? undefined
        : {
            id: channelId,
            team_id: teamId,
            name: context.roomNameTaken ? await freeRoomName(tx, teamId, roomName!) : roomName!,
            display_name: name.slice(0, 64),
            type: playbook && !playbook.create_public_playbook_run ? 'P' : 'O',
            creator_id: actor.userId,
            create_at: now,
            update_at: now,
          },
      members: [
        ...(bot ? [{ userId: bot, isAdmin: false }] : []),
        ...(actor.userId ? [{ userId: actor.userId, isAdmin: false }] : []),
        ...(ownerId ? [{ userId: ownerId, isAdmin: true }] : []),
        ...invitedIds.filter(isTeamMember).map((userId) => ({ userId, isAdmin: false })),
      ],
      incident: {
        id,
        team_id: teamId,
        channel_id: channelId,
        playbook_id: playbook?.id ?? '',
        post_id: props.post_id ?? '',
        name,
        summary: props.summary ?? '',
        owner_user_id: ownerId,
        reporter_user_id: actor.userId || ownerId,
        origin: rpc ? 'rpc' : 'playbooks',
        status: resolved ? 'resolved' : 'active',
        end_at: resolved ? now : 0,
        severity: severity ?? (rpc ? 'pending' : ''),
        is_drill: props.is_drill ?? false,
        create_at: now,
        last_status_update_at: now,
        reminder_seconds: playbook ? settings.reminder_timer_default_seconds : 0,
        settings: json(runSettings),
      },
      checklists,
      items,
      labels: props.labels ?? [],
      posts: [{ id: newId(), userId: bot, message: startedBy }],
      events,
    });
    // A declaration only adds this incident (and members to its channel): other cached reads stay valid.
    noteIncidentChange({ id, channel_id: channelId });

    if (playbook) {
      // Auto-followers who can no longer see the playbook (made private since) do not follow its runs.
      for (const userId of await playbooksRepo.autofollowIds(tx, playbook.id)) {
        const follower = await usersRepo.byId(tx, userId);
        if (follower && follower.delete_at === 0 && (await canViewPlaybook(tx, { userId, isAdmin: follower.is_admin }, playbook))) {
          await incidentsRepo.addFollower(tx, id, userId);
        }
      }
    }
    if (props.post_id) await linkOriginalPost(tx, actor, bot, channelId, props.post_id, now);
    if (runSettings.broadcast_enabled) {
      for (const broadcastId of runSettings.broadcast_channel_ids) {
        const channel = await channelsRepo.byId(tx, broadcastId);
        if (channel && channel.delete_at === 0 && channel.team_id === teamId) {
          await postMessage(tx, { channelId: broadcastId, userId: bot, message: `A new run has started: ${name}`, now, incidentId: id });
        }
      }
    }
    await recordWebhooks(tx, ctx, runSettings.webhook_on_creation_urls, {
      source: 'playbooks',
      event: 'run_created',
      incidentId: id,
      actorUserId: actor.userId,
    });
    if (props.initial_status_update?.trim()) {
      await postStatusUpdateInTx(tx, ctx, actor, declared.incident, { message: props.initial_status_update, reminder: 0 });
      declared.incident = (await incidentsRepo.byId(tx, id))!;
    }
    if (context.incidentSubscriptions) await recordIncidentWebhooks(tx, ctx, id, 0);
    return finish(tx, declared);
  });
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
  };
}

function runSettingsFrom(settings: ReturnType<typeof playbookSettings>): RunSettings {
  return {
    ...DEFAULT_RUN_SETTINGS,
    reminder_message_template: settings.reminder_message_template,
    reminder_timer_default_seconds: settings.reminder_timer_default_seconds,
    status_update_enabled: settings.status_update_enabled,
    invited_user_ids: settings.invite_users_enabled ? settings.invited_user_ids : [],
    invited_group_ids: settings.invited_group_ids,
    default_owner_id: settings.default_owner_enabled ? settings.default_owner_id : '',
    broadcast_channel_ids: settings.broadcast_channel_ids,
    broadcast_enabled: settings.broadcast_enabled,
    webhook_on_creation_urls: settings.webhook_on_creation_enabled ? settings.webhook_on_creation_urls : [],
    webhook_on_status_update_urls: settings.webhook_on_status_update_enabled ? settings.webhook_on_status_update_urls : [],
    status_update_broadcast_webhooks_enabled: settings.webhook_on_status_update_enabled,
    message_on_join: settings.message_on_join_enabled ? settings.message_on_join : '',
    retrospective: settings.retrospective_template,
    retrospective_enabled: settings.retrospective_enabled,
    retrospective_reminder_interval_seconds: settings.retrospective_reminder_interval_seconds,
    export_channel_on_finished_enabled: settings.export_channel_on_finished_enabled,
    category_name: settings.categorize_channel_enabled ? settings.category_name : '',
  };
}

/** The war room's first-choice channel name (the same slug createWarRoom makes). */
function warRoomName(displayName: string, prefix: string | undefined): string {
  return prefix ? slugify(`${prefix}-${displayName}`) : slugify(displayName);
}

/** When the first choice is taken: the base name with a random suffix, until one is free (as createWarRoom). */
async function freeRoomName(ex: Executor, teamId: string, base: string): Promise<string> {
  for (;;) {
    const name = `${base}-${newId().slice(0, 4)}`;
    if (!(await channelsRepo.nameTaken(ex, teamId, name))) return name;
  }
}

/** Checklist and item rows copied from the templates. */
function checklistRows(incidentId: string, templates: ChecklistTemplate[], authorId: string, now: number) {
  const checklists: Array<Insertable<ChecklistsTable>> = [];
  const items: Array<Insertable<ChecklistItemsTable>> = [];
  for (const [position, template] of templates.entries()) {
    const checklistId = newId();
    checklists.push({ id: checklistId, incident_id: incidentId, position, title: template.title });
    for (const [itemPosition, item] of template.items.entries()) {
      items.push({
        id: newId(),
        checklist_id: checklistId,
        incident_id: incidentId,
        position: itemPosition,
        title: item.title,
        description: item.description ?? '',
        command: item.command ?? '',
        assignee_id: item.assignee_id ?? '',
        // Playbook due dates are relative (ms after the start); the run's are absolute.
        due_date: item.due_date ? now + item.due_date : 0,
        author_user_id: authorId,
        create_at: now,
        update_at: now,
      });
    }
  }
  return { checklists, items };
}

/** Grafana's system tasks, appended to the first checklist, already done where the change was made. */
function systemTaskRows(
  checklists: Array<Insertable<ChecklistsTable>>,
  items: Array<Insertable<ChecklistItemsTable>>,
  done: { commander: boolean; severity: boolean },
  now: number,
): Array<Insertable<ChecklistItemsTable>> {
  const first = checklists.find((c) => c.position === 0);
  if (!first) throw new Error('an RPC incident needs a checklist for its system tasks');
  const count = items.filter((i) => i.checklist_id === first.id).length;
  return SYSTEM_TASKS.map((task, offset) => {
    const isDone = (task.key === 'assign-role-commander' && done.commander) || (task.key === 'must-choose-severity' && done.severity);
    return {
      id: newId(),
      checklist_id: first.id,
      incident_id: first.incident_id,
      position: count + offset,
      title: task.title,
      system_key: task.key,
      state: isDone ? 'closed' : '',
      state_modified: isDone ? now : 0,
      create_at: now,
      update_at: now,
    };
  });
}

async function linkOriginalPost(ex: Executor, actor: Actor, botId: string, channelId: string, postId: string, now: number): Promise<void> {
  const post = await ex.selectFrom('posts').selectAll().where('id', '=', postId).executeTakeFirst();
  if (!post) throw invalid('post_id', `${CREATE_FAILED}: post not found`);
  const origin = await channelsRepo.byId(ex, post.channel_id);
  const canRead = actor.isAdmin || origin?.type === 'O' || (await channelsRepo.isMember(ex, post.channel_id, actor.userId));
  if (!canRead) throw forbidden(CREATE_FAILED);
  const quoted = post.message.split('\n').map((line) => `> ${line}`).join('\n');
  await postMessage(ex, { channelId, userId: botId, message: `[Original Post](/_redirect/pl/${post.id})\n${quoted}`, now });
}
