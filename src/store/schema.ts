import type { ColumnType, Generated } from 'kysely';

/** jsonb columns: read as parsed JSON, written as a JSON string (see `json()` in db.ts). */
type Json<T> = ColumnType<T, string, string>;
type WithDefault<T> = ColumnType<T, T | undefined, T>;

export interface UsersTable {
  id: string;
  username: string;
  email: string;
  first_name: WithDefault<string>;
  last_name: WithDefault<string>;
  nickname: WithDefault<string>;
  password_hash: WithDefault<string>;
  is_admin: WithDefault<boolean>;
  is_bot: WithDefault<boolean>;
  create_at: number;
  update_at: number;
  delete_at: WithDefault<number>;
}

export interface TeamsTable {
  id: string;
  name: string;
  display_name: string;
  type: WithDefault<'O' | 'I'>;
  create_at: number;
  update_at: number;
  delete_at: WithDefault<number>;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  is_admin: WithDefault<boolean>;
  create_at: number;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  token_hash: string;
  description: WithDefault<string>;
  create_at: number;
  last_used_at: WithDefault<number>;
  revoked_at: WithDefault<number>;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  token_hash: string;
  kind: WithDefault<string>;
  create_at: number;
  last_activity_at: number;
  expires_at: number;
  revoked_at: WithDefault<number>;
  user_agent: WithDefault<string>;
}

export interface RateLimitsTable {
  key: string;
  count: number;
  reset_at: number;
}

export interface ChannelsTable {
  id: string;
  team_id: string;
  name: string;
  display_name: string;
  type: 'O' | 'P' | 'D';
  header: WithDefault<string>;
  purpose: WithDefault<string>;
  creator_id: WithDefault<string>;
  create_at: number;
  update_at: number;
  delete_at: WithDefault<number>;
}

export interface ChannelMembersTable {
  channel_id: string;
  user_id: string;
  is_admin: WithDefault<boolean>;
  joined_at: number;
}

export interface ChannelMemberHistoryTable {
  channel_id: string;
  user_id: string;
  join_time: number;
  leave_time: number | null;
}

export interface PostsTable {
  id: string;
  channel_id: string;
  user_id: string;
  root_id: WithDefault<string>;
  incident_id: string | null;
  message: string;
  type: WithDefault<string>;
  props: Json<Record<string, unknown>>;
  create_at: number;
  update_at: number;
  delete_at: WithDefault<number>;
}

/** A checklist as stored in a playbook (a template: no state). */
export interface ChecklistTemplate {
  title: string;
  items: Array<{ title: string; description: string; command: string; assignee_id?: string; due_date?: number }>;
}

export interface PlaybooksTable {
  id: string;
  team_id: string;
  title: string;
  description: WithDefault<string>;
  public: WithDefault<boolean>;
  create_public_playbook_run: WithDefault<boolean>;
  checklists: Json<ChecklistTemplate[]>;
  settings: Json<Record<string, unknown>>;
  created_by: string;
  create_at: number;
  update_at: number;
  delete_at: WithDefault<number>;
  /** Bumped by a trigger on every UPDATE (migration 009): the playbook's ETag. */
  version: Generated<number>;
}

export interface PlaybookMembersTable {
  playbook_id: string;
  user_id: string;
  roles: Json<string[]>;
}

export interface PlaybookAutofollowsTable {
  playbook_id: string;
  user_id: string;
}

export interface IncidentsTable {
  id: string;
  /** How many follow the incident (kept by the follower writes; migration 021). */
  follower_count: WithDefault<number>;
  number: Generated<number>;
  team_id: string;
  channel_id: string;
  playbook_id: WithDefault<string>;
  post_id: WithDefault<string>;
  name: string;
  summary: WithDefault<string>;
  summary_modified_at: WithDefault<number>;
  owner_user_id: string;
  reporter_user_id: string;
  status: WithDefault<'active' | 'resolved'>;
  severity: WithDefault<string>;
  is_drill: WithDefault<boolean>;
  active_stage: WithDefault<number>;
  create_at: number;
  modified_at: number;
  end_at: WithDefault<number>;
  delete_at: WithDefault<number>;
  last_status_update_at: WithDefault<number>;
  reminder_seconds: WithDefault<number>;
  reminder_post_id: WithDefault<string>;
  settings: Json<Record<string, unknown>>;
  version: WithDefault<number>;
  last_event_seq: WithDefault<number>;
  incident_start: WithDefault<number>;
  incident_end: WithDefault<number>;
  origin: WithDefault<'playbooks' | 'rpc' | 'intake'>;
}

export interface IncidentLabelsTable {
  incident_id: string;
  label: string;
  description: WithDefault<string>;
  color_hex: WithDefault<string>;
  create_at: number;
  /** The label key's name (a `labels`-domain custom field); `tags` for plain labels. */
  key: WithDefault<string>;
}

export interface IncidentFollowersTable {
  incident_id: string;
  user_id: string;
}

export interface ChecklistsTable {
  id: string;
  incident_id: string;
  position: number;
  title: string;
}

export type ItemState = '' | 'in_progress' | 'closed' | 'skipped';

export interface ChecklistItemsTable {
  id: string;
  checklist_id: string;
  incident_id: string;
  position: number;
  title: string;
  description: WithDefault<string>;
  state: WithDefault<ItemState>;
  state_modified: WithDefault<number>;
  assignee_id: WithDefault<string>;
  assignee_modified: WithDefault<number>;
  command: WithDefault<string>;
  command_last_run: WithDefault<number>;
  due_date: WithDefault<number>;
  skipped_at: WithDefault<number>;
  system_key: WithDefault<string>;
  author_user_id: WithDefault<string>;
  create_at: number;
  update_at: number;
}

export interface TimelineEventsTable {
  id: string;
  incident_id: string;
  seq: number;
  event_type: string;
  event_at: number;
  create_at: number;
  delete_at: WithDefault<number>;
  summary: WithDefault<string>;
  details: WithDefault<string>;
  post_id: WithDefault<string>;
  subject_user_id: WithDefault<string>;
  creator_user_id: WithDefault<string>;
  tags: ColumnType<string[], string | undefined, string>;
  url: WithDefault<string>;
  attachments: ColumnType<unknown[], string | undefined, string>;
  relevance: WithDefault<string>;
}

/** Durable jobs (reminders, webhook deliveries); `attempt` is the claim count and fencing token. */
export interface JobsTable {
  id: string;
  kind: string;
  key: string;
  payload: Json<Record<string, unknown>>;
  due_at: number;
  locked_until: WithDefault<number>;
  attempt: WithDefault<number>;
  failures: WithDefault<number>;
  last_error: WithDefault<string>;
  create_at: number;
}

export interface WebhookDeliveriesTable {
  id: string;
  source: string;
  event: string;
  url: string;
  incident_id: string | null;
  payload: Json<unknown>;
  headers: Json<Record<string, string>>;
  status: WithDefault<'pending' | 'delivered' | 'failed'>;
  attempts: WithDefault<number>;
  next_attempt_at: number;
  last_status_code: WithDefault<number>;
  last_error: WithDefault<string>;
  create_at: number;
  subscription_id: WithDefault<string>;
  last_attempt_at: WithDefault<number>;
  done_at: WithDefault<number>;
}

export interface WebhookDeliveryAttemptsTable {
  id: string;
  delivery_id: string;
  attempt: number;
  at: number;
  duration_ms: number;
  status_code: WithDefault<number>;
  error_class: WithDefault<string>;
  error: WithDefault<string>;
  response_body: WithDefault<string>;
}

export interface SigningSecretsTable {
  id: string;
  secret: string;
  create_at: number;
  retire_at: WithDefault<number>;
}

export interface SlashCommandsTable {
  id: string;
  team_id: WithDefault<string>;
  trigger: string;
  url: string;
  method: WithDefault<'POST' | 'GET'>;
  token: string;
  description: WithDefault<string>;
  creator_id: string;
  create_at: number;
}

export interface RolesTable {
  id: Generated<number>;
  name: string;
  description: WithDefault<string>;
  important: WithDefault<boolean>;
  mandatory: WithDefault<boolean>;
  max_people: WithDefault<number>;
  archived: WithDefault<boolean>;
  created_at: number;
  updated_at: number;
}

export interface IncidentRoleAssignmentsTable {
  incident_id: string;
  role_id: number;
  user_id: string;
  create_at: number;
}

export interface SeveritiesTable {
  id: string;
  label: string;
  level: number;
  description: WithDefault<string>;
  color: WithDefault<string>;
  archived: WithDefault<boolean>;
}

export interface WebhookSubscriptionsTable {
  id: string;
  source: string;
  url: string;
  secret: string;
  events: ColumnType<string[], string | undefined, string>;
  enabled: WithDefault<boolean>;
  create_at: number;
  creator_user_id: WithDefault<string>;
  disabled_reason: WithDefault<string>;
  failing_since: WithDefault<number>;
  /** The Grafana hook event it was enabled for (IntegrationService.EnableHook); '' when made through WebhooksService. */
  hook_event: WithDefault<string>;
  sensitive: WithDefault<boolean>;
}

export interface SettingsTable {
  key: string;
  value: Json<unknown>;
  update_at: number;
}

export interface CustomFieldsTable {
  id: string;
  name: string;
  slug: string;
  type: 'string' | 'single-select' | 'multi-select' | 'bool' | 'number' | 'date';
  domain_name: 'labels' | 'incident';
  color: WithDefault<string>;
  icon: WithDefault<string>;
  description: WithDefault<string>;
  required: WithDefault<boolean>;
  immutable: WithDefault<boolean>;
  source: WithDefault<string>;
  external_id: WithDefault<string>;
  archived: WithDefault<boolean>;
  version: WithDefault<number>;
  create_at: number;
  update_at: number;
}

export interface CustomFieldOptionsTable {
  id: string;
  field_id: string;
  value: string;
  label: WithDefault<string>;
  color: WithDefault<string>;
  icon: WithDefault<string>;
  description: WithDefault<string>;
  source: WithDefault<string>;
  external_id: WithDefault<string>;
  position: number;
  create_at: number;
}

export interface IncidentFieldValuesTable {
  incident_id: string;
  field_id: string;
  /** JSON-encoded, as the RPC sends it. */
  value: string;
  update_at: number;
}

export interface OrgStatusesTable {
  id: string;
  incident_type: 'internal' | 'private';
  name: string;
  description: WithDefault<string>;
  category: 'active' | 'resolved';
  color: WithDefault<string>;
  icon: WithDefault<string>;
  slug: string;
  position: number;
  archived_at: WithDefault<number>;
  immutable: WithDefault<boolean>;
  create_at: number;
  update_at: number;
}

export interface KeyUpdatesTable {
  post_id: string;
  incident_id: string;
  title: string | null;
  content_type: WithDefault<string>;
  source: WithDefault<string>;
  scope: WithDefault<'internal' | 'public' | 'private'>;
  color: string | null;
  status_id: WithDefault<string>;
  severity_id: WithDefault<string>;
  modified_by: WithDefault<string>;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: number;
}

/** Append-only, hash-chained (migration 009): the trigger sets seq, prev_hash and hash. */
export interface AuditLogTable {
  seq: Generated<number>;
  at: number;
  /** Canonical JSON of the entry: the exact text hashed. */
  entry: string;
  prev_hash: Generated<string>;
  hash: Generated<string>;
}

export interface AuditCheckpointsTable {
  seq: number;
  hash: string;
  at: number;
  key_id: string;
  signature: string;
}

export interface IntegrationsTable {
  id: string;
  kind: 'alertmanager' | 'generic';
  name: string;
  team_id: string;
  playbook_id: Generated<string>;
  auto_resolve: Generated<boolean>;
  secret_hash: string;
  creator_user_id: string;
  create_at: number;
  revoked_at: Generated<number>;
}

export interface AlertGroupsTable {
  id: string;
  integration_id: string;
  dedup_key: string;
  incident_id: string;
  open: Generated<boolean>;
  create_at: number;
  update_at: number;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  incident_id: Generated<string>;
  create_at: number;
}

export interface DB {
  users: UsersTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  rate_limits: RateLimitsTable;
  channels: ChannelsTable;
  channel_members: ChannelMembersTable;
  channel_member_history: ChannelMemberHistoryTable;
  posts: PostsTable;
  playbooks: PlaybooksTable;
  playbook_members: PlaybookMembersTable;
  playbook_autofollows: PlaybookAutofollowsTable;
  incidents: IncidentsTable;
  incident_labels: IncidentLabelsTable;
  incident_followers: IncidentFollowersTable;
  checklists: ChecklistsTable;
  checklist_items: ChecklistItemsTable;
  timeline_events: TimelineEventsTable;
  jobs: JobsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_delivery_attempts: WebhookDeliveryAttemptsTable;
  signing_secrets: SigningSecretsTable;
  slash_commands: SlashCommandsTable;
  settings: SettingsTable;
  roles: RolesTable;
  incident_role_assignments: IncidentRoleAssignmentsTable;
  severities: SeveritiesTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  custom_fields: CustomFieldsTable;
  custom_field_options: CustomFieldOptionsTable;
  incident_field_values: IncidentFieldValuesTable;
  org_statuses: OrgStatusesTable;
  key_updates: KeyUpdatesTable;
  schema_migrations: SchemaMigrationsTable;
  audit_log: AuditLogTable;
  audit_checkpoints: AuditCheckpointsTable;
  integrations: IntegrationsTable;
  alert_groups: AlertGroupsTable;
  idempotency_keys: IdempotencyKeysTable;
}
