import type { ChecklistWithItems, IncidentDetail, ItemRow, TimelineEventRow } from '../../domain/incidents/types.ts';
import { runSettings } from '../../domain/incidents/types.ts';
import { labelText } from '../../domain/fields/labels.ts';

/** Playbooks wire status of a domain status. */
export function currentStatus(status: 'active' | 'resolved'): 'InProgress' | 'Finished' {
  return status === 'active' ? 'InProgress' : 'Finished';
}

export function presentItem(item: ItemRow) {
  return {
    id: item.id,
    title: item.title,
    state: item.state,
    state_modified: item.state_modified,
    assignee_id: item.assignee_id,
    assignee_modified: item.assignee_modified,
    command: item.command,
    command_last_run: item.command_last_run,
    description: item.description,
    due_date: item.due_date,
    // Playbooks calls the time an item was last skipped `delete_at`.
    delete_at: item.skipped_at,
  };
}

export function presentChecklist(list: ChecklistWithItems) {
  return { id: list.id, title: list.title, items: list.items.map(presentItem) };
}

/** Domain event types in the Playbooks vocabulary (a note added through the RPC API is Playbooks' `event_from_post`). */
const PLAYBOOKS_EVENT_TYPE: Record<string, string> = { user_note: 'event_from_post' };

export function presentTimelineEvent(event: TimelineEventRow) {
  return {
    id: event.id,
    playbook_run_id: event.incident_id,
    create_at: event.create_at,
    delete_at: event.delete_at,
    event_at: event.event_at,
    event_type: PLAYBOOKS_EVENT_TYPE[event.event_type] ?? event.event_type,
    summary: event.summary,
    details: event.details,
    post_id: event.post_id,
    subject_user_id: event.subject_user_id,
    creator_user_id: event.creator_user_id,
  };
}

/**
 * A run in the Playbooks JSON form. Carries both the 2021 and 2022 field names (`description`/`summary`,
 * `webhook_on_*_url`/`_urls`, `is_active`/`current_status`) so clients of either era work, plus
 * Muster's `severity`, `labels`, `is_drill`, `number` and `custom_fields`. Never a null array.
 */
export function presentRun(detail: IncidentDetail) {
  const run = detail.incident;
  const settings = runSettings(run);
  const activeStage = detail.checklists.length === 0 ? -1 : Math.min(Math.max(run.active_stage, 0), detail.checklists.length - 1);
  return {
    id: run.id,
    number: run.number,
    name: run.name,
    description: run.summary,
    summary: run.summary,
    summary_modified_at: run.summary_modified_at,
    is_active: run.status === 'active',
    current_status: currentStatus(run.status),
    owner_user_id: run.owner_user_id,
    commander_user_id: run.owner_user_id,
    reporter_user_id: run.reporter_user_id,
    team_id: run.team_id,
    channel_id: run.channel_id,
    create_at: run.create_at,
    update_at: run.modified_at,
    end_at: run.end_at,
    delete_at: run.delete_at,
    active_stage: activeStage,
    active_stage_title: activeStage >= 0 ? detail.checklists[activeStage]!.title : '',
    post_id: run.post_id,
    playbook_id: run.playbook_id,
    checklists: detail.checklists.map(presentChecklist),
    status_posts: detail.statusPosts.map((p) => ({ id: p.id, create_at: p.create_at, delete_at: p.delete_at })),
    last_status_update_at: run.last_status_update_at,
    reminder_post_id: run.reminder_post_id,
    // A Go time.Duration: nanoseconds.
    previous_reminder: run.reminder_seconds * 1e9,
    timeline_events: detail.timeline.map(presentTimelineEvent),
    ...presentRunSettings(settings),
    participant_ids: detail.participantIds,
    follower_ids: detail.followerIds,
    category_name: settings.category_name,
    metrics_data: [],
    severity: run.severity,
    labels: detail.labels.map((l) => labelText(l.key, l.label)),
    is_drill: run.is_drill,
    // Muster's: the organisation's custom fields recorded on the run (Grafana FieldsService), select options by text.
    custom_fields: detail.fieldValues.map((v) => ({ id: v.field_id, slug: v.slug, name: v.name, type: v.type, value: v.readable })),
  };
}

/** The run's automation settings, copied from its playbook at creation (both eras' field names). */
function presentRunSettings(settings: ReturnType<typeof runSettings>) {
  return {
    reminder_message_template: settings.reminder_message_template,
    reminder_timer_default_seconds: settings.reminder_timer_default_seconds,
    status_update_enabled: settings.status_update_enabled,
    invited_user_ids: settings.invited_user_ids,
    invited_group_ids: settings.invited_group_ids,
    default_owner_id: settings.default_owner_id,
    broadcast_channel_ids: settings.broadcast_channel_ids,
    status_update_broadcast_channels_enabled: settings.broadcast_enabled,
    broadcast_webhook_urls: settings.broadcast_webhook_urls,
    status_update_broadcast_webhooks_enabled: settings.status_update_broadcast_webhooks_enabled,
    webhook_on_creation_url: settings.webhook_on_creation_urls[0] ?? '',
    webhook_on_creation_urls: settings.webhook_on_creation_urls,
    webhook_on_status_update_url: settings.webhook_on_status_update_urls[0] ?? '',
    webhook_on_status_update_urls: settings.webhook_on_status_update_urls,
    retrospective: settings.retrospective,
    retrospective_enabled: settings.retrospective_enabled,
    retrospective_published_at: settings.retrospective_published_at,
    retrospective_was_canceled: settings.retrospective_was_canceled,
    retrospective_reminder_interval_seconds: settings.retrospective_reminder_interval_seconds,
    message_on_join: settings.message_on_join,
    export_channel_on_finished_enabled: settings.export_channel_on_finished_enabled,
  };
}

export type RunJson = ReturnType<typeof presentRun>;
