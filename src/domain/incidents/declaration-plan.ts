// The plan step of a declaration: every check and read it needs (playbook, channel, team, owner, room name),
// and the rows it will write, built without writing anything. create.ts writes the plan.
import type { Insertable } from 'kysely';
import { isValidId, newId } from '../../lib/ids.ts';
import { channelsRepo } from '../../store/channels.repo.ts';
import { json, type Executor, type Tx } from '../../store/db.ts';
import { incidentsRepo } from '../../store/incidents.repo.ts';
import { playbooksRepo, type PlaybookRow } from '../../store/playbooks.repo.ts';
import type { ChecklistItemsTable, ChecklistsTable, ChecklistTemplate } from '../../store/schema.ts';
import { canViewPlaybook } from '../access.ts';
import { slugify } from '../channels/channels.ts';
import type { Actor } from '../context.ts';
import { forbidden, invalid, invalidInput, notFound } from '../errors.ts';
import { playbookSettings } from '../playbooks/types.ts';
import type { NewEvent } from '../timeline/append.ts';
import { loadDeclarationContext, type DeclarationContext } from './declaration-context.ts';
import type { DeclarationWrite } from './declaration-write.ts';
import { resolveSeverity } from './severities.ts';
import { DEFAULT_RUN_SETTINGS, MAX_NAME_LENGTH, type RunSettings } from './types.ts';

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
  /**
   * Declared through the RPC API: no commander is required, and the Grafana system tasks are added. Opened by
   * alert intake: no commander is required either (the first responder takes it).
   */
  origin?: 'playbooks' | 'rpc' | 'intake' | undefined;
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

/** Why a declaration may not use a playbook, channel or post the actor cannot see. */
export const CREATE_FORBIDDEN = 'not allowed to declare an incident with this playbook, channel or post';

/** What planDeclaration decided: the rows to write, and what the write step needs besides. */
export interface DeclarationPlan {
  write: DeclarationWrite;
  playbook: PlaybookRow | undefined;
  runSettings: RunSettings;
  botUserId: string;
  incidentSubscriptions: boolean;
}

/** The trimmed name, or the field error. */
export function checkedName(raw: string): string {
  const name = raw.trim();
  if (!name) throw invalidInput('name', 'must not be blank');
  if (name.length > MAX_NAME_LENGTH) throw invalidInput('name', `must be at most ${MAX_NAME_LENGTH} characters`);
  return name;
}

/** The playbook asked for, checked: visible to the actor (first, so a private one is not revealed) and live. */
async function checkedPlaybook(tx: Tx, actor: Actor, playbookId: string | undefined): Promise<PlaybookRow | undefined> {
  if (!playbookId) return undefined;
  const playbook = await playbooksRepo.byId(tx, playbookId);
  if (!playbook) throw notFound('playbook not found');
  if (!(await canViewPlaybook(tx, actor, playbook))) throw forbidden(CREATE_FORBIDDEN);
  if (playbook.delete_at !== 0) throw invalidInput('playbook_id', 'the playbook is archived');
  return playbook;
}

/** An existing channel the incident takes over: live, in the team, readable by the actor, without a run. */
async function checkedChannel(tx: Tx, actor: Actor, channelId: string, teamId: string) {
  const channel = await channelsRepo.byId(tx, channelId);
  if (!channel || channel.delete_at !== 0) throw invalidInput('channel_id', 'channel not found');
  if (teamId && channel.team_id !== teamId) throw invalidInput('team_id', 'the channel is in another team');
  const member = await channelsRepo.isMember(tx, channel.id, actor.userId);
  if (!actor.isAdmin && !member && channel.type !== 'O') throw forbidden(CREATE_FORBIDDEN);
  if ((await incidentsRepo.byChannel(tx, channel.id)).length > 0) throw invalidInput('channel_id', 'the channel already has an incident');
  return channel;
}

/** The commander: the playbook's default owner when it is a team member, else the one asked for (RPC: may be none). */
function checkedOwner(context: DeclarationContext, asked: string, defaultOwnerId: string, commanderOptional: boolean) {
  let ownerId = asked;
  if (defaultOwnerId && context.teamMemberIds.has(defaultOwnerId)) ownerId = defaultOwnerId;
  if (!ownerId && !commanderOptional) throw invalidInput('owner_user_id', 'is required');
  const owner = ownerId ? context.users.get(ownerId) : undefined;
  if (ownerId && (!owner || owner.delete_at !== 0)) throw invalidInput('owner_user_id', `unknown owner ${ownerId}`);
  if (owner && !owner.is_admin && !context.teamMemberIds.has(ownerId)) throw forbidden('the owner is not a member of the team');
  return { ownerId, ownerName: owner?.username ?? '' };
}

/** The first timeline events of the declaration, in order. */
function firstEvents(props: CreateIncidentProps, actor: Actor, reporter: string, ownerId: string): NewEvent[] {
  const events: NewEvent[] = [{ type: 'incident_created', summary: `@${reporter} started the run`, subjectUserId: ownerId, creatorUserId: actor.userId }];
  if (props.status === 'resolved') events.push({ type: 'run_finished', summary: `@${reporter} declared a resolved incident`, creatorUserId: actor.userId });
  if (props.attachment) {
    const { url, caption } = props.attachment;
    events.push({ type: 'user_note', summary: caption || url, url, creatorUserId: actor.userId });
  }
  if (props.attached_context !== undefined) events.push({ type: 'context_attached', summary: props.attached_context, creatorUserId: actor.userId });
  return events;
}

/** Where the incident goes: its team (checked against playbook and channel) and an existing channel, if any. */
async function placeOf(tx: Tx, actor: Actor, props: CreateIncidentProps, playbook: PlaybookRow | undefined) {
  let teamId = props.team_id || playbook?.team_id || '';
  const channel = props.channel_id ? await checkedChannel(tx, actor, props.channel_id, teamId) : undefined;
  if (channel) teamId = channel.team_id;
  // Grafana has no teams: an incident declared over RPC goes to the caller's first team (admins: the oldest).
  if (!teamId && props.origin !== 'rpc') throw invalidInput('team_id', 'is required');
  if (playbook && playbook.team_id !== teamId) throw invalidInput('team_id', 'the playbook is in another team');
  return { teamId, existingChannelId: channel?.id ?? '' };
}

/** Every check and read of a declaration, and the rows it will write. Writes nothing. */
export async function planDeclaration(tx: Tx, actor: Actor, props: CreateIncidentProps, name: string, now: number): Promise<DeclarationPlan> {
  const playbook = await checkedPlaybook(tx, actor, props.playbook_id);
  const { teamId: askedTeam, existingChannelId } = await placeOf(tx, actor, props, playbook);
  const rpc = props.origin === 'rpc';
  const commanderOptional = rpc || props.origin === 'intake';
  const settings = playbookSettings(playbook?.settings ?? {});
  const defaultOwnerId = settings.default_owner_enabled ? settings.default_owner_id : '';
  const invitedIds = settings.invite_users_enabled ? settings.invited_user_ids.filter((id) => isValidId(id)) : [];
  const roomName = existingChannelId ? undefined : warRoomName(name, props.room_prefix);
  const context = await loadDeclarationContext(tx, {
    teamId: askedTeam,
    actor,
    memberCandidates: [actor.userId, props.owner_user_id ?? '', defaultOwnerId, ...invitedIds],
    userIds: [actor.userId, props.owner_user_id ?? '', defaultOwnerId],
    roomName,
  });
  if (!context && !askedTeam) throw invalid('team', 'you are not a member of any team, so there is nowhere to declare the incident');
  if (!context) throw notFound('team not found');
  const isTeamMember = (userId: string) => context.teamMemberIds.has(userId);
  if (!actor.isAdmin && !isTeamMember(actor.userId)) throw forbidden(CREATE_FORBIDDEN);
  const severity = props.severity ? await resolveSeverity(tx, props.severity) : undefined;
  const { ownerId, ownerName } = checkedOwner(context, props.owner_user_id || '', defaultOwnerId, commanderOptional);
  const room =
    roomName === undefined
      ? undefined
      : { name: context.roomNameTaken ? await freeRoomName(tx, context.teamId, roomName) : roomName, public: !playbook || playbook.create_public_playbook_run };
  const runSettings = runSettingsFrom(settings);
  const people = { ownerId, ownerName, invitedIds: invitedIds.filter(isTeamMember) };
  const write = declarationRows({ props, actor, name, now, playbook, context, existingChannelId, room, severity, runSettings, people });
  return { write, playbook, runSettings, botUserId: context.botUserId, incidentSubscriptions: context.incidentSubscriptions };
}

interface RowsInput {
  props: CreateIncidentProps;
  actor: Actor;
  name: string;
  now: number;
  playbook: PlaybookRow | undefined;
  context: DeclarationContext;
  existingChannelId: string;
  room: { name: string; public: boolean } | undefined;
  severity: string | undefined;
  runSettings: RunSettings;
  people: { ownerId: string; ownerName: string; invitedIds: string[] };
}

/** The rows of a checked declaration. */
function declarationRows(input: RowsInput): DeclarationWrite {
  const { props, actor, name, now, playbook, context, room, severity, runSettings } = input;
  const { ownerId, ownerName, invitedIds } = input.people;
  const rpc = props.origin === 'rpc';
  const id = newId();
  const channelId = input.existingChannelId || newId();
  const bot = context.botUserId;
  const reporter = actor.userId ? (context.users.get(actor.userId)?.username ?? actor.userId) : 'system';
  const startedBy =
    !ownerName || reporter === ownerName
      ? `This run has been started by @${reporter}.`
      : `This run has been started by @${reporter} and is commanded by @${ownerName}.`;
  const resolved = props.status === 'resolved';
  const templates: ChecklistTemplate[] = playbook ? playbook.checklists : [{ title: rpc ? 'Tasks' : 'Checklist', items: [] }];
  const { checklists, items } = checklistRows(id, templates, actor.userId, now);
  if (rpc) items.push(...systemTaskRows(checklists, items, { commander: Boolean(ownerId), severity: (severity ?? 'pending') !== 'pending' }, now));
  return {
    now,
    room: room
      ? { id: channelId, team_id: context.teamId, name: room.name, display_name: name.slice(0, 64), type: room.public ? 'O' : 'P', creator_id: actor.userId, create_at: now, update_at: now }
      : undefined,
    members: [
      ...(bot ? [{ userId: bot, isAdmin: false }] : []),
      ...(actor.userId ? [{ userId: actor.userId, isAdmin: false }] : []),
      ...(ownerId ? [{ userId: ownerId, isAdmin: true }] : []),
      ...invitedIds.map((userId) => ({ userId, isAdmin: false })),
    ],
    incident: {
      id,
      team_id: context.teamId,
      channel_id: channelId,
      playbook_id: playbook?.id ?? '',
      post_id: props.post_id ?? '',
      name,
      summary: props.summary ?? '',
      owner_user_id: ownerId,
      reporter_user_id: actor.userId || ownerId || bot, // the system (alert intake) reports as the bot
      origin: props.origin ?? 'playbooks',
      status: resolved ? 'resolved' : 'active',
      end_at: resolved ? now : 0,
      severity: severity ?? (rpc || props.origin === 'intake' ? 'pending' : ''),
      is_drill: props.is_drill ?? false,
      create_at: now,
      last_status_update_at: now,
      reminder_seconds: playbook ? runSettings.reminder_timer_default_seconds : 0,
      settings: json(runSettings),
    },
    checklists,
    items,
    labels: props.labels ?? [],
    posts: [{ id: newId(), userId: bot, message: startedBy }],
    events: firstEvents(props, actor, reporter, ownerId),
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
    broadcast_webhook_urls: settings.broadcast_webhook_urls,
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

