-- Alert intake: integrations (an admin-made URL that monitoring posts alerts to), the alert groups that map a
-- dedup key to its open incident, and Idempotency-Key records of the create endpoints.
CREATE TABLE integrations (
  id              text PRIMARY KEY,
  kind            text NOT NULL CHECK (kind IN ('alertmanager', 'generic')),
  name            text NOT NULL,
  team_id         text NOT NULL REFERENCES teams(id),
  playbook_id     text NOT NULL DEFAULT '',
  auto_resolve    boolean NOT NULL DEFAULT false,
  -- sha256 of the URL's secret: the secret itself is shown once, at creation.
  secret_hash     text NOT NULL UNIQUE,
  creator_user_id text NOT NULL,
  create_at       bigint NOT NULL,
  revoked_at      bigint NOT NULL DEFAULT 0
);

-- One row per incident an integration opened. At most one OPEN group per (integration, dedup key), enforced
-- by the unique index: concurrent alerts of a new group race on the INSERT, never on a check-then-insert.
CREATE TABLE alert_groups (
  id             text PRIMARY KEY,
  integration_id text NOT NULL REFERENCES integrations(id),
  dedup_key      text NOT NULL,
  -- Deferred: the group is claimed first, then the incident declared in the same transaction.
  incident_id    text NOT NULL REFERENCES incidents(id) DEFERRABLE INITIALLY DEFERRED,
  open           boolean NOT NULL DEFAULT true,
  create_at      bigint NOT NULL,
  update_at      bigint NOT NULL
);
CREATE UNIQUE INDEX alert_groups_one_open ON alert_groups (integration_id, dedup_key) WHERE open;
CREATE INDEX alert_groups_incident ON alert_groups (incident_id) WHERE open;

-- Idempotency-Key: per caller scope (a token, a session, an integration) a key names one create. A repeat
-- with the same request answers the incident it made; another request under the key is refused.
CREATE TABLE idempotency_keys (
  scope        text NOT NULL,
  key          text NOT NULL,
  request_hash text NOT NULL,
  incident_id  text NOT NULL DEFAULT '',
  create_at    bigint NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys (create_at);
