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
