import type { PlaybookRow } from '../../store/playbooks.repo.ts';

/** Playbook configuration beyond its core columns (kept in playbooks.settings). */
export interface PlaybookSettings {
  reminder_message_template: string;
  reminder_timer_default_seconds: number;
  status_update_enabled: boolean;
  invited_user_ids: string[];
  invited_group_ids: string[];
  invite_users_enabled: boolean;
  default_owner_id: string;
  default_owner_enabled: boolean;
  broadcast_channel_ids: string[];
  broadcast_enabled: boolean;
  /** Muster: Slack/Mattermost-compatible incoming webhooks that get the same broadcasts as the channels. */
  broadcast_webhook_urls: string[];
  webhook_on_creation_urls: string[];
  webhook_on_creation_enabled: boolean;
  webhook_on_status_update_urls: string[];
  webhook_on_status_update_enabled: boolean;
  message_on_join: string;
  message_on_join_enabled: boolean;
  retrospective_enabled: boolean;
  retrospective_reminder_interval_seconds: number;
  retrospective_template: string;
  export_channel_on_finished_enabled: boolean;
  signal_any_keywords: string[];
  signal_any_keywords_enabled: boolean;
  categorize_channel_enabled: boolean;
  category_name: string;
  run_summary_template: string;
  channel_name_template: string;
}

export const DEFAULT_PLAYBOOK_SETTINGS: PlaybookSettings = {
  reminder_message_template: '',
  reminder_timer_default_seconds: 86400,
  status_update_enabled: true,
  invited_user_ids: [],
  invited_group_ids: [],
  invite_users_enabled: false,
  default_owner_id: '',
  default_owner_enabled: false,
  broadcast_channel_ids: [],
  broadcast_enabled: false,
  broadcast_webhook_urls: [],
  webhook_on_creation_urls: [],
  webhook_on_creation_enabled: false,
  webhook_on_status_update_urls: [],
  webhook_on_status_update_enabled: false,
  message_on_join: '',
  message_on_join_enabled: false,
  retrospective_enabled: false,
  retrospective_reminder_interval_seconds: 0,
  retrospective_template: '',
  export_channel_on_finished_enabled: false,
  signal_any_keywords: [],
  signal_any_keywords_enabled: false,
  categorize_channel_enabled: false,
  category_name: '',
  run_summary_template: '',
  channel_name_template: '',
};

export function playbookSettings(raw: unknown): PlaybookSettings {
  return { ...DEFAULT_PLAYBOOK_SETTINGS, ...(raw as Partial<PlaybookSettings>) };
}

export const PLAYBOOK_MEMBER = 'playbook_member';
export const PLAYBOOK_ADMIN = 'playbook_admin';
export type PlaybookRole = typeof PLAYBOOK_MEMBER | typeof PLAYBOOK_ADMIN;

export interface PlaybookMember {
  user_id: string;
  roles: string[];
}

/** A playbook with what its readers need besides the row: settings, members and run statistics. */
export interface PlaybookDetail {
  playbook: PlaybookRow;
  settings: PlaybookSettings;
  members: PlaybookMember[];
  numRuns: number;
  activeRuns: number;
  lastRunAt: number;
}

/** How many automations a run of this playbook performs (the Playbooks `num_actions`). */
export function countActions(settings: PlaybookSettings): number {
  const toggles = [
    settings.invite_users_enabled,
    settings.default_owner_enabled,
    settings.broadcast_enabled,
    settings.webhook_on_creation_enabled,
    settings.webhook_on_status_update_enabled,
    settings.message_on_join_enabled,
    settings.signal_any_keywords_enabled,
    settings.categorize_channel_enabled,
    settings.export_channel_on_finished_enabled,
  ];
  return toggles.filter(Boolean).length;
}

/**
 * What a create or a full replace takes: the 2021 form (`member_ids`, `announcement_channel_*`, single webhook
 * URLs) and the 2022 form (`public`, `members`, webhook URL lists) are both accepted and folded together.
 */
export interface PlaybookProps {
  title: string;
  description?: string | undefined;
  team_id?: string | undefined;
  public?: boolean | undefined;
  create_public_playbook_run?: boolean | undefined;
  checklists?: ChecklistInput[] | undefined;
  member_ids?: string[] | undefined;
  members?: Array<{ user_id: string; roles?: string[] | undefined }> | undefined;
  broadcast_channel_ids?: string[] | undefined;
  broadcast_enabled?: boolean | undefined;
  broadcast_webhook_urls?: string[] | undefined;
  announcement_channel_id?: string | undefined;
  announcement_channel_enabled?: boolean | undefined;
  invited_user_ids?: string[] | undefined;
  invited_group_ids?: string[] | undefined;
  invite_users_enabled?: boolean | undefined;
  default_owner_id?: string | undefined;
  default_owner_enabled?: boolean | undefined;
  webhook_on_creation_url?: string | undefined;
  webhook_on_creation_urls?: string[] | undefined;
  webhook_on_creation_enabled?: boolean | undefined;
  webhook_on_status_update_url?: string | undefined;
  webhook_on_status_update_urls?: string[] | undefined;
  webhook_on_status_update_enabled?: boolean | undefined;
  reminder_message_template?: string | undefined;
  reminder_timer_default_seconds?: number | undefined;
  status_update_enabled?: boolean | undefined;
  message_on_join?: string | undefined;
  message_on_join_enabled?: boolean | undefined;
  retrospective_enabled?: boolean | undefined;
  retrospective_reminder_interval_seconds?: number | undefined;
  retrospective_template?: string | undefined;
  export_channel_on_finished_enabled?: boolean | undefined;
  signal_any_keywords?: string[] | undefined;
  signal_any_keywords_enabled?: boolean | undefined;
  category_name?: string | undefined;
  categorize_channel_enabled?: boolean | undefined;
  run_summary_template?: string | undefined;
  channel_name_template?: string | undefined;
}

export interface ChecklistInput {
  title: string;
  items?:
    | Array<{
        title: string;
        description?: string | undefined;
        command?: string | undefined;
        assignee_id?: string | undefined;
        due_date?: number | undefined;
      }>
    | undefined;
}
