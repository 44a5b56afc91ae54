-- One durable job table for everything that runs later (status reminders, webhook deliveries), replacing
-- `timers`. A claim sets `locked_until` (the lease) and bumps `attempt`, the fencing token: completing or
-- failing a job requires `attempt` to still be the claimed one, so a stalled former owner cannot overwrite.
CREATE TABLE jobs (
  id           text PRIMARY KEY,
  kind         text NOT NULL,
  key          text NOT NULL UNIQUE,
  payload      jsonb NOT NULL DEFAULT '{}',
  due_at       bigint NOT NULL,
  locked_until bigint NOT NULL DEFAULT 0,
  attempt      integer NOT NULL DEFAULT 0,
  failures     integer NOT NULL DEFAULT 0,
  last_error   text NOT NULL DEFAULT '',
  create_at    bigint NOT NULL
);
CREATE INDEX jobs_due ON jobs(due_at);
INSERT INTO jobs (id, kind, key, payload, due_at, attempt, create_at)
  SELECT id, kind, key, payload, due_at, attempts, create_at FROM timers;
DROP TABLE timers;

-- Deliveries: which subscription (Grafana) a delivery belongs to, so it is signed at send time with the
-- subscription's current secret, and when it finished.
ALTER TABLE webhook_deliveries ADD COLUMN subscription_id text NOT NULL DEFAULT '';
ALTER TABLE webhook_deliveries ADD COLUMN last_attempt_at bigint NOT NULL DEFAULT 0;
ALTER TABLE webhook_deliveries ADD COLUMN done_at bigint NOT NULL DEFAULT 0;
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries(subscription_id, create_at);
CREATE INDEX webhook_deliveries_incident ON webhook_deliveries(incident_id, create_at);
-- Grafana rows written before this migration: find their subscription (by URL), so they are signed with its secret.
UPDATE webhook_deliveries d SET subscription_id = s.id
  FROM webhook_subscriptions s
  WHERE d.source = 'incident' AND s.source = 'incident' AND s.url = d.url AND d.subscription_id = '';
-- Outbox rows written before this migration become jobs too (delivered now, at-least-once).
INSERT INTO jobs (id, kind, key, payload, due_at, create_at)
  SELECT 'j' || id, 'webhook_delivery', 'delivery:' || id, jsonb_build_object('delivery_id', id), next_attempt_at, create_at
  FROM webhook_deliveries WHERE status = 'pending';

-- Every attempt of every delivery, for the delivery log people read.
CREATE TABLE webhook_delivery_attempts (
  id            text PRIMARY KEY,
  delivery_id   text NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
  attempt       integer NOT NULL,
  at            bigint NOT NULL,
  duration_ms   integer NOT NULL,
  status_code   integer NOT NULL DEFAULT 0,
  error_class   text NOT NULL DEFAULT '',
  error         text NOT NULL DEFAULT '',
  response_body text NOT NULL DEFAULT ''
);
CREATE INDEX webhook_delivery_attempts_delivery ON webhook_delivery_attempts(delivery_id, attempt);

-- Subscriptions: who made them, and why and since when they fail.
ALTER TABLE webhook_subscriptions ADD COLUMN creator_user_id text NOT NULL DEFAULT '';
ALTER TABLE webhook_subscriptions ADD COLUMN disabled_reason text NOT NULL DEFAULT '';
ALTER TABLE webhook_subscriptions ADD COLUMN failing_since bigint NOT NULL DEFAULT 0;

-- Server-wide signing secrets of the Playbooks callbacks (Standard Webhooks). The newest unretired one signs;
-- a retired one keeps signing beside it until `retire_at` (the rotation grace period). Encrypted at rest.
CREATE TABLE signing_secrets (
  id         text PRIMARY KEY,
  secret     text NOT NULL,
  create_at  bigint NOT NULL,
  retire_at  bigint NOT NULL DEFAULT 0
);
