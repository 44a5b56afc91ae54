import { countActions, PLAYBOOK_ADMIN, PLAYBOOK_MEMBER, type PlaybookDetail, type PlaybookMember } from '../../domain/playbooks/types.ts';
import type { ChecklistTemplate } from '../../domain/store-types.ts';

type TemplateItem = ChecklistTemplate['items'][number];

/** A template item in the run item's shape, with no id and no progress. */
function presentTemplateItem(item: TemplateItem) {
  return {
    title: item.title,
    description: item.description ?? '',
    command: item.command ?? '',
    state: '',
    state_modified: 0,
    assignee_id: item.assignee_id ?? '',
    assignee_modified: 0,
    command_last_run: 0,
    due_date: item.due_date ?? 0,
  };
}

function presentTemplate(list: ChecklistTemplate) {
  return { title: list.title, items: list.items.map(presentTemplateItem) };
}

const SCHEME_ROLES: Record<string, string> = { [PLAYBOOK_MEMBER]: 'member', [PLAYBOOK_ADMIN]: 'admin' };

function presentMember(member: PlaybookMember) {
  return {
    user_id: member.user_id,
    roles: member.roles,
    scheme_roles: member.roles.map((role) => SCHEME_ROLES[role] ?? role),
  };
}

/**
 * A playbook in the Playbooks JSON form, with both the 2021 (`member_ids`, single webhook URLs) and the 2022
 * (`public`, `members`, URL lists) fields. Never a null array.
 */
export function presentPlaybook(detail: PlaybookDetail) {
  const { playbook, settings } = detail;
  const checklists = playbook.checklists;
  return {
    id: playbook.id,
    title: playbook.title,
    description: playbook.description,
    team_id: playbook.team_id,
    create_public_playbook_run: playbook.create_public_playbook_run,
    public: playbook.public,
    create_at: playbook.create_at,
    update_at: playbook.update_at,
    delete_at: playbook.delete_at,
    num_stages: checklists.length,
    num_steps: checklists.reduce((sum, list) => sum + list.items.length, 0),
    num_runs: detail.numRuns,
    active_runs: detail.activeRuns,
    num_actions: countActions(settings),
    last_run_at: detail.lastRunAt,
    checklists: checklists.map(presentTemplate),
    member_ids: detail.members.map((m) => m.user_id),
    members: detail.members.map(presentMember),
    broadcast_channel_ids: settings.broadcast_channel_ids,
    broadcast_enabled: settings.broadcast_enabled,
    broadcast_webhook_urls: settings.broadcast_webhook_urls,
    invited_user_ids: settings.invited_user_ids,
    invited_group_ids: settings.invited_group_ids,
    invite_users_enabled: settings.invite_users_enabled,
    default_owner_id: settings.default_owner_id,
    default_owner_enabled: settings.default_owner_enabled,
    webhook_on_creation_url: settings.webhook_on_creation_urls[0] ?? '',
    webhook_on_creation_urls: settings.webhook_on_creation_urls,
    webhook_on_creation_enabled: settings.webhook_on_creation_enabled,
    webhook_on_status_update_url: settings.webhook_on_status_update_urls[0] ?? '',
    webhook_on_status_update_urls: settings.webhook_on_status_update_urls,
    webhook_on_status_update_enabled: settings.webhook_on_status_update_enabled,
    reminder_message_template: settings.reminder_message_template,
    reminder_timer_default_seconds: settings.reminder_timer_default_seconds,
    status_update_enabled: settings.status_update_enabled,
    message_on_join: settings.message_on_join,
    message_on_join_enabled: settings.message_on_join_enabled,
    retrospective_reminder_interval_seconds: settings.retrospective_reminder_interval_seconds,
    retrospective_template: settings.retrospective_template,
    retrospective_enabled: settings.retrospective_enabled,
    signal_any_keywords: settings.signal_any_keywords,
    signal_any_keywords_enabled: settings.signal_any_keywords_enabled,
    category_name: settings.category_name,
    categorize_channel_enabled: settings.categorize_channel_enabled,
    export_channel_on_finished_enabled: settings.export_channel_on_finished_enabled,
    run_summary_template: settings.run_summary_template,
    channel_name_template: settings.channel_name_template,
    metrics: [],
  };
}

export type PlaybookJson = ReturnType<typeof presentPlaybook>;
