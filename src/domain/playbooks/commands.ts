import { mayCreatePlaybooks } from '../settings.ts';
import { newId } from '../../lib/ids.ts';
import { channelsRepo } from '../../store/channels.repo.ts';
import { json, transaction, type Executor, type Tx } from '../../store/db.ts';
import { playbooksRepo, type PlaybookRow } from '../../store/playbooks.repo.ts';
import type { ChecklistTemplate } from '../../store/schema.ts';
import { usersRepo } from '../../store/users.repo.ts';
import { teamsRepo } from '../../store/teams.repo.ts';
import { canViewPlaybook } from '../access.ts';
import type { Actor, DomainContext } from '../context.ts';
import { forbidden, invalid, notFound } from '../errors.ts';
import { loadMembers } from './queries.ts';
import { outgoingUrlProblem } from '../../lib/urls.ts';
import {
  DEFAULT_PLAYBOOK_SETTINGS,
  PLAYBOOK_ADMIN,
  PLAYBOOK_MEMBER,
  type ChecklistInput,
  type PlaybookMember,
  type PlaybookProps,
  type PlaybookSettings,
} from './types.ts';
import { requireVersion } from '../preconditions.ts';

export const MAX_WEBHOOK_URLS = 64;
export const MAX_CATEGORY_NAME_LENGTH = 22;
export const MAX_TITLE_LENGTH = 1024;
const DEFAULT_REMINDER_SECONDS = 86400;
const ROLES = new Set<string>([PLAYBOOK_MEMBER, PLAYBOOK_ADMIN]);

/** Creates a playbook; the creator becomes a member with both roles. Returns the new id. */
export async function createPlaybook(ctx: DomainContext, actor: Actor, props: PlaybookProps): Promise<string> {
  const teamId = props.team_id ?? '';
  if (!teamId) throw invalid('team_id', 'team_id is required');
  return transaction(ctx.db, async (tx) => {
    if (!actor.isAdmin && !(await teamsRepo.isMember(tx, teamId, actor.userId))) {
      throw forbidden("You don't have permission to create playbooks in this team.");
    }
    if (!(await mayCreatePlaybooks(tx, actor))) throw forbidden('only the users listed in the playbook creators setting can create playbooks');
    if (!(await teamsRepo.byId(tx, teamId))) throw invalid('team_id', `team ${teamId} not found`);
    const fields = normalize(props);
    const members = resolveMembers(props, []) ?? [];
    if (actor.userId) upsertMember(members, actor.userId, [PLAYBOOK_MEMBER, PLAYBOOK_ADMIN]);
    await checkReferences(tx, teamId, props, fields.settings, members);

    const id = newId();
    const now = ctx.clock.now();
    await playbooksRepo.insert(tx, {
      id,
      team_id: teamId,
      title: fields.title,
      description: fields.description,
      public: resolvePublic(props, true),
      create_public_playbook_run: fields.createPublicRun,
      checklists: json(fields.checklists),
      settings: json(fields.settings),
      created_by: actor.userId,
      create_at: now,
      update_at: now,
    });
    await replaceMembers(tx, id, members);
    return id;
  });
}

/**
 * Replaces a playbook's content with `props` (a full replace, like the real PUT). Members are kept when the
 * body names none. Changing anyone's roles needs the right to manage roles.
 */
export async function updatePlaybook(ctx: DomainContext, actor: Actor, id: string, props: PlaybookProps): Promise<void> {
  await transaction(ctx.db, async (tx) => {
    const playbook = await lockEditable(tx, actor, id);
    if (playbook.delete_at !== 0) throw invalid('id', 'Playbook cannot be modified');
    if (props.team_id && props.team_id !== playbook.team_id) throw invalid('team_id', 'team_id cannot be changed');
    const fields = normalize(props);
    const current = await loadMembers(tx, id);
    const members = resolveMembers(props, current);
    if (members && rolesChanged(current, members) && !(await canManageRoles(tx, actor, playbook, current))) {
      throw forbidden("You don't have permission to change the roles of this playbook's members.");
    }
    await checkReferences(tx, playbook.team_id, props, fields.settings, members ?? []);

    await playbooksRepo.update(tx, id, {
      title: fields.title,
      description: fields.description,
      public: resolvePublic(props, playbook.public),
      create_public_playbook_run: fields.createPublicRun,
      checklists: json(fields.checklists),
      settings: json(fields.settings),
      update_at: ctx.clock.now(),
    });
    if (members) await replaceMembers(tx, id, members);
  });
}

/** Archives a playbook (soft delete): its runs keep working, new runs are refused. */
export async function archivePlaybook(ctx: DomainContext, actor: Actor, id: string): Promise<void> {
  await transaction(ctx.db, async (tx) => {
    const playbook = await lockEditable(tx, actor, id);
    if (playbook.delete_at !== 0) return;
    const now = ctx.clock.now();
    await playbooksRepo.update(tx, id, { delete_at: now, update_at: now });
  });
}

export async function restorePlaybook(ctx: DomainContext, actor: Actor, id: string): Promise<void> {
  await transaction(ctx.db, async (tx) => {
    const playbook = await lockEditable(tx, actor, id);
    if (playbook.delete_at === 0) return;
    await playbooksRepo.update(tx, id, { delete_at: 0, update_at: ctx.clock.now() });
  });
}

/** Adds or removes an auto-follower: the user themself or a system admin, for a user who can see the playbook. */
export async function setAutofollow(ctx: DomainContext, actor: Actor, playbookId: string, userId: string, follow: boolean): Promise<void> {
  if (!actor.isAdmin && actor.userId !== userId) throw forbidden("You can only change your own auto-follow setting.");
  await transaction(ctx.db, async (tx) => {
    const playbook = await playbooksRepo.lock(tx, playbookId);
    if (!playbook) throw notFound();
    const user = await usersRepo.byId(tx, userId);
    if (!user || user.delete_at !== 0) throw notFound('user not found');
    if (!(await canViewPlaybook(tx, { userId, isAdmin: user.is_admin }, playbook))) {
      throw forbidden("The user doesn't have permission to view this playbook.");
    }
    requireVersion('playbook', playbook.id, playbook.version);
    if (follow) {
      await tx
        .insertInto('playbook_autofollows')
        .values({ playbook_id: playbookId, user_id: userId })
        .onConflict((oc) => oc.doNothing())
        .execute();
    } else {
      await tx.deleteFrom('playbook_autofollows').where('playbook_id', '=', playbookId).where('user_id', '=', userId).execute();
    }
  });
}

/** Editing needs what viewing needs: every team member acts as a member of a public playbook (notes §4). */
async function lockEditable(tx: Tx, actor: Actor, id: string): Promise<PlaybookRow> {
  const playbook = await playbooksRepo.lock(tx, id);
  if (!playbook) throw notFound();
  if (!(await canViewPlaybook(tx, actor, playbook))) throw forbidden("You don't have permission to modify this playbook.");
  requireVersion('playbook', playbook.id, playbook.version); // If-Match, against the locked row
  return playbook;
}

/** System admins, team admins and the playbook's own admins may change member roles. */
async function canManageRoles(ex: Executor, actor: Actor, playbook: PlaybookRow, members: PlaybookMember[]): Promise<boolean> {
  if (actor.isAdmin) return true;
  if (members.some((m) => m.user_id === actor.userId && m.roles.includes(PLAYBOOK_ADMIN))) return true;
  return teamsRepo.isAdmin(ex, playbook.team_id, actor.userId);
}

/** A role change: someone kept with different roles, or someone added with more than the member role. */
function rolesChanged(before: PlaybookMember[], after: PlaybookMember[]): boolean {
  const old = new Map(before.map((m) => [m.user_id, [...m.roles].sort().join(',')]));
  return after.some((m) => {
    const roles = [...m.roles].sort().join(',');
    const previous = old.get(m.user_id);
    return previous === undefined ? roles !== PLAYBOOK_MEMBER : previous !== roles;
  });
}

/** `public` wins; otherwise (2021 form) a non-empty `member_ids` means private; otherwise `fallback`. */
function resolvePublic(props: PlaybookProps, fallback: boolean): boolean {
  if (props.public !== undefined) return props.public;
  if (props.member_ids !== undefined) return props.member_ids.length === 0;
  return fallback;
}

/** The member list the body asks for, or undefined when it names none. `member_ids` keeps known roles. */
function resolveMembers(props: PlaybookProps, current: PlaybookMember[]): PlaybookMember[] | undefined {
  if (props.members === undefined && props.member_ids === undefined) return undefined;
  const members: PlaybookMember[] = [];
  for (const m of props.members ?? []) {
    for (const role of m.roles ?? []) {
      if (!ROLES.has(role)) throw invalid('members', `unknown role ${role}: use ${PLAYBOOK_MEMBER} or ${PLAYBOOK_ADMIN}`);
    }
    upsertMember(members, m.user_id, m.roles ?? []);
  }
  for (const userId of props.member_ids ?? []) {
    upsertMember(members, userId, current.find((m) => m.user_id === userId)?.roles ?? []);
  }
  return members;
}

/** Adds roles to a member (creating it); everyone holds at least the member role. */
function upsertMember(members: PlaybookMember[], userId: string, roles: string[]): void {
  let member = members.find((m) => m.user_id === userId);
  if (!member) {
    member = { user_id: userId, roles: [PLAYBOOK_MEMBER] };
    members.push(member);
  }
  for (const role of roles) if (!member.roles.includes(role)) member.roles.push(role);
}

async function replaceMembers(tx: Tx, playbookId: string, members: PlaybookMember[]): Promise<void> {
  await tx.deleteFrom('playbook_members').where('playbook_id', '=', playbookId).execute();
  for (const member of members) {
    await tx.insertInto('playbook_members').values({ playbook_id: playbookId, user_id: member.user_id, roles: json(member.roles) }).execute();
  }
}

/** Ids the body points at must exist: members and the default owner as users, broadcast channels in the team. */
async function checkReferences(
  tx: Tx,
  teamId: string,
  props: PlaybookProps,
  settings: PlaybookSettings,
  members: PlaybookMember[],
): Promise<void> {
  for (const member of members) {
    const user = await usersRepo.byId(tx, member.user_id);
    if (!user || user.delete_at !== 0) {
      const field = props.member_ids?.includes(member.user_id) ? 'member_ids' : 'members';
      throw invalid(field, `${field}: unknown user ${member.user_id}`);
    }
  }
  if (settings.default_owner_id && !(await usersRepo.byId(tx, settings.default_owner_id))) {
    throw invalid('default_owner_id', `default_owner_id: unknown user ${settings.default_owner_id}`);
  }
  for (const channelId of settings.broadcast_channel_ids) {
    const channel = await channelsRepo.byId(tx, channelId);
    if (!channel || channel.delete_at !== 0 || channel.team_id !== teamId) {
      const field = channelId === props.announcement_channel_id && !props.broadcast_channel_ids?.includes(channelId)
        ? 'announcement_channel_id'
        : 'broadcast_channel_ids';
      throw invalid(field, `${field}: channel ${channelId} is not an active channel of the playbook's team`);
    }
  }
}

interface NormalizedFields {
  title: string;
  description: string;
  createPublicRun: boolean;
  checklists: ChecklistTemplate[];
  settings: PlaybookSettings;
}

/** Validates the body and folds its two eras into one shape. Pure: no database. */
function normalize(props: PlaybookProps): NormalizedFields {
  const title = (props.title ?? '').trim();
  if (!title) throw invalid('title', 'title must not be blank');
  if (title.length > MAX_TITLE_LENGTH) throw invalid('title', `title must be at most ${MAX_TITLE_LENGTH} characters`);
  return {
    title,
    description: props.description ?? '',
    createPublicRun: props.create_public_playbook_run ?? true,
    checklists: (props.checklists ?? []).map(toTemplate),
    settings: toSettings(props),
  };
}

function toTemplate(list: ChecklistInput): ChecklistTemplate {
  return {
    title: list.title,
    items: (list.items ?? []).map((item) => ({
      title: item.title,
      description: item.description ?? '',
      command: item.command ?? '',
      assignee_id: item.assignee_id ?? '',
      due_date: item.due_date ?? 0,
    })),
  };
}

function toSettings(props: PlaybookProps): PlaybookSettings {
  const reminder = props.reminder_timer_default_seconds;
  if (reminder !== undefined && reminder < 0) {
    throw invalid('reminder_timer_default_seconds', 'reminder_timer_default_seconds must not be negative');
  }
  const retroInterval = props.retrospective_reminder_interval_seconds ?? 0;
  if (retroInterval < 0) {
    throw invalid('retrospective_reminder_interval_seconds', 'retrospective_reminder_interval_seconds must not be negative');
  }
  const categoryName = (props.category_name ?? '').trim();
  if (categoryName.length > MAX_CATEGORY_NAME_LENGTH) {
    throw invalid('category_name', `category_name must be at most ${MAX_CATEGORY_NAME_LENGTH} characters`);
  }
  // The 2021 announcement channel became one more broadcast channel (notes §0, 2021-08-27).
  const broadcastIds = unique([...(props.broadcast_channel_ids ?? []), props.announcement_channel_id ?? '']);
  return {
    ...DEFAULT_PLAYBOOK_SETTINGS,
    reminder_message_template: props.reminder_message_template ?? '',
    reminder_timer_default_seconds: reminder || DEFAULT_REMINDER_SECONDS,
    status_update_enabled: props.status_update_enabled ?? true,
    invited_user_ids: unique(props.invited_user_ids ?? []),
    invited_group_ids: unique(props.invited_group_ids ?? []),
    invite_users_enabled: props.invite_users_enabled ?? false,
    default_owner_id: props.default_owner_id ?? '',
    default_owner_enabled: props.default_owner_enabled ?? false,
    broadcast_channel_ids: broadcastIds,
    // Bodies of the spec's era have no toggle: listing channels meant broadcasting to them.
    broadcast_enabled: props.broadcast_enabled ?? props.announcement_channel_enabled ?? broadcastIds.length > 0,
    broadcast_webhook_urls: webhookUrls('broadcast_webhook', props.broadcast_webhook_urls, undefined),
    webhook_on_creation_urls: webhookUrls('webhook_on_creation', props.webhook_on_creation_urls, props.webhook_on_creation_url),
    webhook_on_creation_enabled: props.webhook_on_creation_enabled ?? false,
    webhook_on_status_update_urls: webhookUrls(
      'webhook_on_status_update',
      props.webhook_on_status_update_urls,
      props.webhook_on_status_update_url,
    ),
    webhook_on_status_update_enabled: props.webhook_on_status_update_enabled ?? false,
    message_on_join: props.message_on_join ?? '',
    message_on_join_enabled: props.message_on_join_enabled ?? false,
    retrospective_enabled: props.retrospective_enabled ?? false,
    retrospective_reminder_interval_seconds: retroInterval,
    retrospective_template: props.retrospective_template ?? '',
    export_channel_on_finished_enabled: props.export_channel_on_finished_enabled ?? false,
    signal_any_keywords: unique((props.signal_any_keywords ?? []).map((k) => k.trim())),
    signal_any_keywords_enabled: props.signal_any_keywords_enabled ?? false,
    category_name: categoryName,
    categorize_channel_enabled: props.categorize_channel_enabled ?? false,
    run_summary_template: props.run_summary_template ?? '',
    channel_name_template: props.channel_name_template ?? '',
  };
}

/**
 * The URL list wins when given (even empty), so a client that edits the list and echoes the stale single
 * `_url` field does not resurrect an old URL. Blank entries are dropped.
 */
function webhookUrls(prefix: string, urls: string[] | undefined, single: string | undefined): string[] {
  const field = urls !== undefined ? `${prefix}_urls` : `${prefix}_url`;
  const list = unique((urls ?? [single ?? '']).map((u) => u.trim()));
  if (list.length > MAX_WEBHOOK_URLS) throw invalid(field, `${field}: at most ${MAX_WEBHOOK_URLS} webhook URLs`);
  for (const url of list) {
    const problem = outgoingUrlProblem(url);
    if (problem) throw invalid(field, `${field}: ${JSON.stringify(url)} ${problem}`);
  }
  return list;
}

/** Distinct non-blank values, in first-seen order. */
function unique(values: string[]): string[] {
  return [...new Set(values.filter((v) => v !== ''))];
}
