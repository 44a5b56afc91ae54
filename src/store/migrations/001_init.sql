-- Muster schema, version 1. Times are epoch milliseconds (bigint); ids are 26-char base32 text.

CREATE TABLE users (
  id            text PRIMARY KEY,
  username      text NOT NULL UNIQUE,
  email         text NOT NULL UNIQUE,
  first_name    text NOT NULL DEFAULT '',
  last_name     text NOT NULL DEFAULT '',
  nickname      text NOT NULL DEFAULT '',
  password_hash text NOT NULL DEFAULT '',
  is_admin      boolean NOT NULL DEFAULT false,
  is_bot        boolean NOT NULL DEFAULT false,
  create_at     bigint NOT NULL,
  update_at     bigint NOT NULL,
  delete_at     bigint NOT NULL DEFAULT 0
);

CREATE TABLE teams (
  id           text PRIMARY KEY,
  name         text NOT NULL UNIQUE,
  display_name text NOT NULL,
  type         text NOT NULL DEFAULT 'O' CHECK (type IN ('O', 'I')),
  create_at    bigint NOT NULL,
  update_at    bigint NOT NULL,
  delete_at    bigint NOT NULL DEFAULT 0
);

CREATE TABLE team_members (
  team_id   text NOT NULL REFERENCES teams(id),
  user_id   text NOT NULL REFERENCES users(id),
  is_admin  boolean NOT NULL DEFAULT false,
  create_at bigint NOT NULL,
  PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members(user_id);

CREATE TABLE api_tokens (
  id           text PRIMARY KEY,
  user_id      text NOT NULL REFERENCES users(id),
  token_hash   text NOT NULL UNIQUE,
  description  text NOT NULL DEFAULT '',
  create_at    bigint NOT NULL,
  last_used_at bigint NOT NULL DEFAULT 0,
  revoked_at   bigint NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE channels (
  id           text PRIMARY KEY,
  team_id      text NOT NULL REFERENCES teams(id),
  name         text NOT NULL,
  display_name text NOT NULL,
  type         text NOT NULL CHECK (type IN ('O', 'P')),
  header       text NOT NULL DEFAULT '',
  purpose      text NOT NULL DEFAULT '',
  creator_id   text NOT NULL DEFAULT '',
  create_at    bigint NOT NULL,
  update_at    bigint NOT NULL,
  delete_at    bigint NOT NULL DEFAULT 0,
  UNIQUE (team_id, name)
);

CREATE TABLE channel_members (
  channel_id text NOT NULL REFERENCES channels(id),
  user_id    text NOT NULL REFERENCES users(id),
  is_admin   boolean NOT NULL DEFAULT false,
  joined_at  bigint NOT NULL,
  PRIMARY KEY (channel_id, user_id)
);
CREATE INDEX channel_members_user ON channel_members(user_id);

-- Everyone who was ever in a channel: metadata's num_participants counts these.
CREATE TABLE channel_member_history (
  channel_id text NOT NULL REFERENCES channels(id),
  user_id    text NOT NULL REFERENCES users(id),
  join_time  bigint NOT NULL,
  leave_time bigint,
  PRIMARY KEY (channel_id, user_id, join_time)
);

CREATE TABLE posts (
  id          text PRIMARY KEY,
  channel_id  text NOT NULL REFERENCES channels(id),
  user_id     text NOT NULL,
  root_id     text NOT NULL DEFAULT '',
  incident_id text,
  message     text NOT NULL,
  type        text NOT NULL DEFAULT '',
  props       jsonb NOT NULL DEFAULT '{}',
  create_at   bigint NOT NULL,
  update_at   bigint NOT NULL,
  delete_at   bigint NOT NULL DEFAULT 0
);
CREATE INDEX posts_channel ON posts(channel_id, create_at);
CREATE INDEX posts_incident ON posts(incident_id, type) WHERE incident_id IS NOT NULL;

CREATE TABLE playbooks (
  id                          text PRIMARY KEY,
  team_id                     text NOT NULL REFERENCES teams(id),
  title                       text NOT NULL,
  description                 text NOT NULL DEFAULT '',
  public                      boolean NOT NULL DEFAULT true,
  create_public_playbook_run  boolean NOT NULL DEFAULT true,
  checklists                  jsonb NOT NULL DEFAULT '[]',
  settings                    jsonb NOT NULL DEFAULT '{}',
  created_by                  text NOT NULL,
  create_at                   bigint NOT NULL,
  update_at                   bigint NOT NULL,
  delete_at                   bigint NOT NULL DEFAULT 0
);
CREATE INDEX playbooks_team ON playbooks(team_id);

CREATE TABLE playbook_members (
  playbook_id text NOT NULL REFERENCES playbooks(id),
  user_id     text NOT NULL REFERENCES users(id),
  roles       jsonb NOT NULL DEFAULT '["playbook_member"]',
  PRIMARY KEY (playbook_id, user_id)
);

CREATE TABLE playbook_autofollows (
  playbook_id text NOT NULL REFERENCES playbooks(id),
  user_id     text NOT NULL REFERENCES users(id),
  PRIMARY KEY (playbook_id, user_id)
);

-- An incident is a Playbooks run and a Grafana incident at once.
CREATE TABLE incidents (
  id                    text PRIMARY KEY,
  number                bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  team_id               text NOT NULL REFERENCES teams(id),
  channel_id            text NOT NULL REFERENCES channels(id),
  playbook_id           text NOT NULL DEFAULT '',
  post_id               text NOT NULL DEFAULT '',
  name                  text NOT NULL,
  summary               text NOT NULL DEFAULT '',
  summary_modified_at   bigint NOT NULL DEFAULT 0,
  owner_user_id         text NOT NULL REFERENCES users(id),
  reporter_user_id      text NOT NULL REFERENCES users(id),
  status                text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'resolved')),
  severity              text NOT NULL DEFAULT '',
  is_drill              boolean NOT NULL DEFAULT false,
  active_stage          integer NOT NULL DEFAULT 0,
  create_at             bigint NOT NULL,
  modified_at           bigint NOT NULL,
  end_at                bigint NOT NULL DEFAULT 0,
  delete_at             bigint NOT NULL DEFAULT 0,
  last_status_update_at bigint NOT NULL DEFAULT 0,
  reminder_seconds      bigint NOT NULL DEFAULT 0,
  reminder_post_id      text NOT NULL DEFAULT '',
  settings              jsonb NOT NULL DEFAULT '{}',
  version               integer NOT NULL DEFAULT 1,
  last_event_seq        integer NOT NULL DEFAULT 0
);
CREATE INDEX incidents_team_create ON incidents(team_id, create_at);
CREATE INDEX incidents_channel ON incidents(channel_id);
CREATE INDEX incidents_playbook ON incidents(playbook_id);
CREATE INDEX incidents_owner ON incidents(owner_user_id);

CREATE TABLE incident_labels (
  incident_id text NOT NULL REFERENCES incidents(id),
  label       text NOT NULL,
  description text NOT NULL DEFAULT '',
  color_hex   text NOT NULL DEFAULT '',
  create_at   bigint NOT NULL,
  PRIMARY KEY (incident_id, label)
);

CREATE TABLE incident_followers (
  incident_id text NOT NULL REFERENCES incidents(id),
  user_id     text NOT NULL REFERENCES users(id),
  PRIMARY KEY (incident_id, user_id)
);

CREATE TABLE checklists (
  id          text PRIMARY KEY,
  incident_id text NOT NULL REFERENCES incidents(id),
  position    integer NOT NULL,
  title       text NOT NULL
);
CREATE INDEX checklists_incident ON checklists(incident_id, position);

CREATE TABLE checklist_items (
  id                text PRIMARY KEY,
  checklist_id      text NOT NULL REFERENCES checklists(id),
  incident_id       text NOT NULL REFERENCES incidents(id),
  position          integer NOT NULL,
  title             text NOT NULL,
  description       text NOT NULL DEFAULT '',
  state             text NOT NULL DEFAULT '' CHECK (state IN ('', 'in_progress', 'closed', 'skipped')),
  state_modified    bigint NOT NULL DEFAULT 0,
  assignee_id       text NOT NULL DEFAULT '',
  assignee_modified bigint NOT NULL DEFAULT 0,
  command           text NOT NULL DEFAULT '',
  command_last_run  bigint NOT NULL DEFAULT 0,
  due_date          bigint NOT NULL DEFAULT 0,
  skipped_at        bigint NOT NULL DEFAULT 0,
  system_key        text NOT NULL DEFAULT '',
  author_user_id    text NOT NULL DEFAULT '',
  create_at         bigint NOT NULL,
  update_at         bigint NOT NULL
);
CREATE INDEX checklist_items_checklist ON checklist_items(checklist_id, position);
CREATE INDEX checklist_items_incident ON checklist_items(incident_id);

-- Append-only history. seq is gapless per incident (incidents.last_event_seq is its counter).
CREATE TABLE timeline_events (
  id              text PRIMARY KEY,
  incident_id     text NOT NULL REFERENCES incidents(id),
  seq             integer NOT NULL,
  event_type      text NOT NULL,
  event_at        bigint NOT NULL,
  create_at       bigint NOT NULL,
  delete_at       bigint NOT NULL DEFAULT 0,
  summary         text NOT NULL DEFAULT '',
  details         text NOT NULL DEFAULT '',
  post_id         text NOT NULL DEFAULT '',
  subject_user_id text NOT NULL DEFAULT '',
  creator_user_id text NOT NULL DEFAULT '',
  UNIQUE (incident_id, seq)
);
CREATE INDEX timeline_events_incident ON timeline_events(incident_id, event_at);

-- Durable one-shot timers (status reminders, webhook retries). Claimed with FOR UPDATE SKIP LOCKED.
CREATE TABLE timers (
  id           text PRIMARY KEY,
  kind         text NOT NULL,
  key          text NOT NULL UNIQUE,
  payload      jsonb NOT NULL DEFAULT '{}',
  due_at       bigint NOT NULL,
  locked_until bigint NOT NULL DEFAULT 0,
  attempts     integer NOT NULL DEFAULT 0,
  create_at    bigint NOT NULL
);
CREATE INDEX timers_due ON timers(due_at);

-- Outgoing webhooks to deliver (the outbox). Written in the same transaction as the change.
CREATE TABLE webhook_deliveries (
  id               text PRIMARY KEY,
  source           text NOT NULL,
  event            text NOT NULL,
  url              text NOT NULL,
  incident_id      text,
  payload          jsonb NOT NULL,
  headers          jsonb NOT NULL DEFAULT '{}',
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  bigint NOT NULL,
  last_status_code integer NOT NULL DEFAULT 0,
  last_error       text NOT NULL DEFAULT '',
  create_at        bigint NOT NULL
);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries(next_attempt_at) WHERE status = 'pending';

-- Admin-defined HTTP slash commands (Mattermost custom slash command semantics).
CREATE TABLE slash_commands (
  id          text PRIMARY KEY,
  team_id     text NOT NULL DEFAULT '',
  trigger     text NOT NULL,
  url         text NOT NULL,
  method      text NOT NULL DEFAULT 'POST' CHECK (method IN ('POST', 'GET')),
  token       text NOT NULL,
  description text NOT NULL DEFAULT '',
  creator_id  text NOT NULL,
  create_at   bigint NOT NULL,
  UNIQUE (team_id, trigger)
);
