-- Login sessions, apart from personal access tokens: they expire (absolute `expires_at`, and idle past
-- `last_activity_at` + the configured idle time) and are listed and revoked per user. Only the SHA-256 of the
-- session token is stored, as for API tokens.
CREATE TABLE sessions (
  id               text PRIMARY KEY,
  user_id          text NOT NULL REFERENCES users(id),
  token_hash       text NOT NULL UNIQUE,
  -- 'login': POST /api/v4/users/login (Token header and MMAUTHTOKEN cookie).
  kind             text NOT NULL DEFAULT 'login',
  create_at        bigint NOT NULL,
  last_activity_at bigint NOT NULL,
  expires_at       bigint NOT NULL,
  revoked_at       bigint NOT NULL DEFAULT 0,
  user_agent       text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Before this migration every login stored a never-expiring API token described 'session'. They become
-- sessions that end 90 days (the default absolute lifetime) after they were created.
INSERT INTO sessions (id, user_id, token_hash, kind, create_at, last_activity_at, expires_at)
SELECT id, user_id, token_hash, 'login', create_at, GREATEST(create_at, last_used_at), create_at + 7776000000
FROM api_tokens WHERE description = 'session' AND revoked_at = 0;
DELETE FROM api_tokens WHERE description = 'session';

-- Shared fixed-window counters for rate limits on PostgreSQL (N instances, one budget). `count` is the number
-- of units handed out in the window ending at `reset_at` (epoch ms). PGlite (one process) counts in memory.
CREATE TABLE rate_limits (
  key      text PRIMARY KEY,
  count    bigint NOT NULL,
  reset_at bigint NOT NULL
);

-- Teams are invite-only unless created open; the team made at first start ('incidents', the oldest) too.
UPDATE teams SET type = 'I'
WHERE name = 'incidents' AND create_at = (SELECT min(create_at) FROM teams);
