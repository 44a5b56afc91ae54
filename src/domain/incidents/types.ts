import type { IncidentFieldValue } from '../fields/values.ts';
import type { Selectable } from 'kysely';
import type { IncidentLabelsTable, TimelineEventsTable } from '../../store/schema.ts';
import type { ChecklistWithItems, IncidentRow } from '../../store/incidents.repo.ts';

// The row shapes the incident repository reads are the store's; the domain names them from here.
export type { ChecklistRow, ChecklistWithItems, IncidentRow, ItemRow } from '../../store/incidents.repo.ts';

export const MAX_NAME_LENGTH = 256;
export type TimelineEventRow = Selectable<TimelineEventsTable>;
export type LabelRow = Selectable<IncidentLabelsTable>;

/** Per-incident settings copied from the playbook at creation (kept in incidents.settings). */
export interface RunSettings {
  reminder_message_template: string;
  reminder_timer_default_seconds: number;
  status_update_enabled: boolean;
  invited_user_ids: string[];
  invited_group_ids: string[];
  default_owner_id: string;
  broadcast_channel_ids: string[];
  broadcast_enabled: boolean;
  broadcast_webhook_urls: string[];
  webhook_on_creation_urls: string[];
  webhook_on_status_update_urls: string[];
  status_update_broadcast_webhooks_enabled: boolean;
  message_on_join: string;
  retrospective: string;
  retrospective_enabled: boolean;
  retrospective_published_at: number;
  retrospective_was_canceled: boolean;
  retrospective_reminder_interval_seconds: number;
  export_channel_on_finished_enabled: boolean;
  category_name: string;
}

export const DEFAULT_RUN_SETTINGS: RunSettings = {
  reminder_message_template: '',
  reminder_timer_default_seconds: 0,
  status_update_enabled: true,
  invited_user_ids: [],
  invited_group_ids: [],
  default_owner_id: '',
  broadcast_channel_ids: [],
  broadcast_enabled: false,
  broadcast_webhook_urls: [],
  webhook_on_creation_urls: [],
  webhook_on_status_update_urls: [],
  status_update_broadcast_webhooks_enabled: false,
  message_on_join: '',
  retrospective: '',
  retrospective_enabled: false,
  retrospective_published_at: 0,
  retrospective_was_canceled: false,
  retrospective_reminder_interval_seconds: 0,
  export_channel_on_finished_enabled: false,
  category_name: '',
};

export function runSettings(row: IncidentRow): RunSettings {
  return { ...DEFAULT_RUN_SETTINGS, ...(row.settings as Partial<RunSettings>) };
}

export interface StatusPost {
  id: string;
  create_at: number;
  delete_at: number;
  message: string;
  user_id: string;
}

/** Everything a presenter needs to render one incident, read in one consistent snapshot. */
export interface IncidentDetail {
  incident: IncidentRow;
  checklists: ChecklistWithItems[];
  timeline: TimelineEventRow[];
  statusPosts: StatusPost[];
  participantIds: string[];
  followerIds: string[];
  labels: LabelRow[];
  /** Values of the organisation's custom fields (FieldsService), decoded for people in `readable`. */
  fieldValues: IncidentFieldValue[];
}

/** Domain vocabulary of timeline event types (the Playbooks names; the RPC facade maps them). */
export type TimelineEventType =
  | 'incident_created'
  | 'task_state_modified'
  | 'status_updated'
  | 'owner_changed'
  | 'assignee_changed'
  | 'ran_slash_command'
  | 'event_from_post'
  | 'user_joined_left'
  | 'participants_changed'
  | 'run_finished'
  | 'run_restored'
  | 'status_update_snoozed'
  | 'status_update_requested'
  | 'stage_changed'
  | 'checklist_changed'
  | 'task_added'
  | 'task_updated'
  | 'task_deleted'
  | 'user_note'
  | 'context_attached'
  | 'title_changed'
  | 'summary_changed'
  | 'severity_changed'
  | 'label_added'
  | 'label_removed'
  | 'drill_changed'
  | 'role_assigned'
  | 'role_unassigned'
  | 'event_time_changed'
  | 'status_update_edited'
  | 'status_update_deleted'
  | 'field_value_changed'
  /** A monitoring alert of the incident's alert group (alert intake). */
  | 'alert_received';
