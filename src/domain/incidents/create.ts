import { newId, isValidId } from '../../lib/ids.ts';
import { channelsRepo } from '../../store/channels.repo.ts';
import { json, transaction, type Executor } from '../../store/db.ts';
import { incidentsRepo } from '../../store/incidents.repo.ts';
import { playbooksRepo } from '../../store/playbooks.repo.ts';
import type { ChecklistTemplate } from '../../store/schema.ts';
import { teamsRepo, usersRepo } from '../../store/users.repo.ts';
import { canViewPlaybook } from '../access.ts';
import { botUserId, createWarRoom, postAsBot, usernameOf } from '../channels/channels.ts';
import type { Actor, DomainContext } from '../context.ts';
import { DomainError, forbidden, invalid, notFound } from '../errors.ts';
import { playbookSettings } from '../playbooks/types.ts';
import { recordIncidentWebhooks } from '../incident-webhooks.ts';
import { appendEvent } from '../timeline/append.ts';
import { recordWebhooks } from '../webhooks.ts';
import { postStatusUpdateInTx } from './lifecycle.ts';
import { resolveSeverity } from './severities.ts';
import { DEFAULT_RUN_SETTINGS, MAX_NAME_LENGTH, type IncidentRow, type RunSettings } from './types.ts';

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

/** Declares an incident: a war-room channel, checklists from the playbook, the first timeline event. */
export async function createIncident(ctx: DomainContext, actor: Actor, props: CreateIncidentProps): Promise<IncidentRow> {
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
    if (!teamId && rpc) teamId = await defaultTeamOf(tx, actor);
    if (!teamId) throw invalid('team_id', `${CREATE_FAILED}: team_id is required`);
    if (playbook && playbook.team_id !== teamId) throw invalid('team_id', `${CREATE_FAILED}: the playbook is in another team`);
    if (!(await teamsRepo.byId(tx, teamId))) throw notFound('team not found');
    if (!actor.isAdmin && !(await teamsRepo.isMember(tx, teamId, actor.userId))) throw forbidden(CREATE_FAILED);

    const severity = props.severity ? await resolveSeverity(tx, props.severity) : undefined;
    const settings = playbookSettings(playbook?.settings ?? {});
    let ownerId = props.owner_user_id || '';
    if (settings.default_owner_enabled && settings.default_owner_id && (await teamsRepo.isMember(tx, teamId, settings.default_owner_id))) {
      ownerId = settings.default_owner_id;
    }
    if (!ownerId && !rpc) throw invalid('owner_user_id', `${CREATE_FAILED}: owner_user_id is required`);
    const owner = ownerId ? await usersRepo.byId(tx, ownerId) : undefined;
    if (ownerId && (!owner || owner.delete_at !== 0)) throw invalid('owner_user_id', `${CREATE_FAILED}: unknown owner ${ownerId}`);
    if (owner && !owner.is_admin && !(await teamsRepo.isMember(tx, teamId, ownerId))) {
      throw forbidden(`${CREATE_FAILED}: the owner is not a member of the team`);
    }

    const channelId =
      existingChannelId ||
      (await createWarRoom(tx, {
        teamId,
        displayName: name,
        namePrefix: props.room_prefix,
        type: playbook && !playbook.create_public_playbook_run ? 'P' : 'O',
        creatorId: actor.userId,
        now,
      }));
    const bot = await botUserId(tx);
    if (bot) await channelsRepo.addMember(tx, channelId, bot, now);
    if (actor.userId) await channelsRepo.addMember(tx, channelId, actor.userId, now);
    if (ownerId) await channelsRepo.addMember(tx, channelId, ownerId, now, true);
    if (settings.invite_users_enabled) {
      for (const userId of settings.invited_user_ids) {
        if (isValidId(userId) && (await teamsRepo.isMember(tx, teamId, userId))) await channelsRepo.addMember(tx, channelId, userId, now);
      }
    }

    const runSettings: RunSettings = {
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

    const id = newId();
    const resolved = props.status === 'resolved';
    await incidentsRepo.insert(tx, {
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
      modified_at: now,
      last_status_update_at: now,
      reminder_seconds: playbook ? settings.reminder_timer_default_seconds : 0,
      settings: json(runSettings),
    });

    const templates: ChecklistTemplate[] = playbook ? playbook.checklists : [{ title: rpc ? 'Tasks' : 'Checklist', items: [] }];
    await copyChecklists(tx, id, templates, actor.userId, now);
    if (rpc) await addSystemTasks(tx, id, { commander: Boolean(ownerId), severity: (severity ?? 'pending') !== 'pending' }, now);
    for (const label of props.labels ?? []) {
      await tx
        .insertInto('incident_labels')
        .values({ incident_id: id, label, create_at: now })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    if (playbook) {
      // Auto-followers who can no longer see the playbook (made private since) do not follow its runs.
      for (const userId of await playbooksRepo.autofollowIds(tx, playbook.id)) {
        const follower = await usersRepo.byId(tx, userId);
        if (follower && follower.delete_at === 0 && (await canViewPlaybook(tx, { userId, isAdmin: follower.is_admin }, playbook))) {
          await incidentsRepo.addFollower(tx, id, userId);
        }
      }
    }

    const reporter = actor.userId ? await usernameOf(tx, actor.userId) : 'system';
    const ownerName = owner?.username ?? '';
    const startedBy =
      !ownerName || reporter === ownerName
        ? `This run has been started by @${reporter}.`
        : `This run has been started by @${reporter} and is commanded by @${ownerName}.`;
    await postAsBot(tx, channelId, startedBy, now, { incidentId: id });
    if (props.post_id) await linkOriginalPost(tx, actor, channelId, props.post_id, now);

    await appendEvent(tx, id, now, {
      type: 'incident_created',
      summary: `@${reporter} started the run`,
      subjectUserId: ownerId,
      creatorUserId: actor.userId,
    });
    if (resolved) {
      await appendEvent(tx, id, now, { type: 'run_finished', summary: `@${reporter} declared a resolved incident`, creatorUserId: actor.userId });
    }
    if (runSettings.broadcast_enabled) {
      for (const broadcastId of runSettings.broadcast_channel_ids) {
        const channel = await channelsRepo.byId(tx, broadcastId);
        if (channel && channel.delete_at === 0 && channel.team_id === teamId) {
          await postAsBot(tx, broadcastId, `A new run has started: ${name}`, now, { incidentId: id });
        }
      }
    }
    await recordWebhooks(tx, ctx, runSettings.webhook_on_creation_urls, {
      source: 'playbooks',
      event: 'run_created',
      incidentId: id,
      actorUserId: actor.userId,
    });
    if (props.attachment) {
      await appendEvent(tx, id, now, {
        type: 'user_note',
        summary: props.attachment.caption || props.attachment.url,
        url: props.attachment.url,
        creatorUserId: actor.userId,
      });
    }
    if (props.attached_context !== undefined) {
      await appendEvent(tx, id, now, { type: 'context_attached', summary: props.attached_context, creatorUserId: actor.userId });
    }
    let created = await incidentsRepo.byId(tx, id);
    if (!created) throw new DomainError('conflict', 'the run vanished while it was being created');
    if (props.initial_status_update?.trim()) {
      await postStatusUpdateInTx(tx, ctx, actor, created, { message: props.initial_status_update, reminder: 0 });
      created = (await incidentsRepo.byId(tx, id))!;
    }
    await recordIncidentWebhooks(tx, ctx, id, 0);
    return created;
  });
}

export async function copyChecklists(
  ex: Executor,
  incidentId: string,
  templates: ChecklistTemplate[],
  authorId: string,
  now: number,
): Promise<void> {
  for (const [position, template] of templates.entries()) {
    const checklistId = newId();
    await incidentsRepo.insertChecklist(ex, { id: checklistId, incident_id: incidentId, position, title: template.title });
    for (const [itemPosition, item] of template.items.entries()) {
      await incidentsRepo.insertItem(ex, {
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
}

async function defaultTeamOf(ex: Executor, actor: Actor): Promise<string> {
  const mine = await teamsRepo.forUser(ex, actor.userId);
  if (mine[0]) return mine[0].id;
  if (actor.isAdmin) {
    const oldest = await ex.selectFrom('teams').select('id').where('delete_at', '=', 0).orderBy('create_at').executeTakeFirst();
    if (oldest) return oldest.id;
  }
  throw invalid('team', 'you are not a member of any team, so there is nowhere to declare the incident');
}

/** Appends Grafana's system tasks to the incident's first checklist, already done where the change was made. */
async function addSystemTasks(ex: Executor, incidentId: string, done: { commander: boolean; severity: boolean }, now: number) {
  const first = await ex
    .selectFrom('checklists')
    .select('id')
    .where('incident_id', '=', incidentId)
    .orderBy('position')
    .executeTakeFirstOrThrow();
  const count = await ex
    .selectFrom('checklist_items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('checklist_id', '=', first.id)
    .executeTakeFirstOrThrow();
  for (const [offset, task] of SYSTEM_TASKS.entries()) {
    const isDone = (task.key === 'assign-role-commander' && done.commander) || (task.key === 'must-choose-severity' && done.severity);
    await incidentsRepo.insertItem(ex, {
      id: newId(),
      checklist_id: first.id,
      incident_id: incidentId,
      position: Number(count.n) + offset,
      title: task.title,
      system_key: task.key,
      state: isDone ? 'closed' : '',
      state_modified: isDone ? now : 0,
      create_at: now,
      update_at: now,
    });
  }
}

async function linkOriginalPost(ex: Executor, actor: Actor, channelId: string, postId: string, now: number): Promise<void> {
  const post = await ex.selectFrom('posts').selectAll().where('id', '=', postId).executeTakeFirst();
  if (!post) throw invalid('post_id', `${CREATE_FAILED}: post not found`);
  const origin = await channelsRepo.byId(ex, post.channel_id);
  const canRead = actor.isAdmin || origin?.type === 'O' || (await channelsRepo.isMember(ex, post.channel_id, actor.userId));
  if (!canRead) throw forbidden(CREATE_FAILED);
  const quoted = post.message.split('\n').map((line) => `> ${line}`).join('\n');
  await postAsBot(ex, channelId, `[Original Post](/_redirect/pl/${post.id})\n${quoted}`, now);
}
