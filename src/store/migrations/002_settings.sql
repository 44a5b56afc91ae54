-- Server-wide settings (Playbooks `GET|PUT /settings`), one JSON value per key.
CREATE TABLE settings (
  key       text PRIMARY KEY,
  value     jsonb NOT NULL,
  update_at bigint NOT NULL
);
