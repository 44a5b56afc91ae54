export const USAGE = `usage: muster <command> [flags]

commands:
  serve                                  start the server
  migrate                                apply pending database migrations and exit
  user create --username U --email E [--password P] [--admin]
                                         create a user (without --password: token access only)
  user list                              list the users (active and deactivated)
  user reset-password --user <username|id> [--password P]
                                         set a password (without --password: a generated one, printed once);
                                         ends the user's login sessions
  user deactivate --user <username|id>   no sign-in, token or session works for them any more
  team list                              list the teams
  team create --name N --display-name D [--open]
                                         create a team (invite only unless --open: anyone may join)
  team add-member --team <name|id> --user <username|id>
                                         add a user to a team
  token create --user <username|id> [--description D]
                                         issue an API token (printed once)
  token revoke <token-id>                revoke an API token
  token list --user <username|id>        list a user's tokens (never the secrets)
  audit verify                           check the audit chain and its signed checkpoints (exit 1 names the
                                         first bad seq)
  audit export [--from SEQ]              print the audit rows as JSON lines (the exact hashed entry text)
  audit checkpoint                       sign the chain's current tail now
  webhooks list                          list outgoing webhooks (enabled or disabled, and why)
  webhooks deliveries <webhook-id> [--limit N] | --incident <id>
                                         every attempt of recent deliveries
  webhooks redeliver <delivery-id>       send a delivery again (same webhook-id)
  webhooks enable <webhook-id>           re-enable a disabled webhook
  webhooks rotate-secret [--grace-seconds S]
                                         new Playbooks signing secret; the old one keeps signing for S s
  integrations create --kind alertmanager|generic --name N --team <name|id> [--playbook ID] [--auto-resolve]
                                         an alert-intake URL (printed once)
  integrations list                      list the live integrations
  integrations revoke <integration-id>   revoke one: its URL answers 404
  backup FILE                            PostgreSQL: pg_dump -Fc (the JSON export without a matching pg_dump);
                                         embedded: a .tar.gz of the data directory (a running server: use
                                         GET /api/muster/v1/backup)
  restore FILE                           a backup or an export, into an empty data directory or database
  export [--out FILE]                    the installation as one JSON document, without passwords, tokens or
                                         webhook secrets (stdout unless --out); a running server on the
                                         embedded database exports with GET /api/muster/v1/export instead
  import FILE                            load an export into an empty data directory or database (all or
                                         nothing), e.g. to move from the embedded database to PostgreSQL
  help                                   show this help

Every command but serve and help accepts --json for machine-readable output.
Commands other than serve open the database directly: with the embedded database (MUSTER_DATA_DIR) they
cannot run while a server uses the same data directory; with DATABASE_URL they can.

environment: PORT, HOST, MUSTER_DATA_DIR, DATABASE_URL, MUSTER_SITE_URL, MUSTER_ADMIN_TOKEN,
  MUSTER_ADMIN_PASSWORD, MUSTER_LOG_LEVEL, MUSTER_LOG_FORMAT, MUSTER_TIMER_POLL_MS, MUSTER_AUDIT_KEY,
  MUSTER_AUDIT_KEY_FILE, MUSTER_AUDIT_CHECKPOINT_ROWS, MUSTER_AUDIT_CHECKPOINT_MS, MUSTER_JOB_CONCURRENCY,
  MUSTER_JOB_LEASE_MS, MUSTER_WEBHOOK_TIMEOUT_MS, MUSTER_WEBHOOK_DISABLE_AFTER_HOURS,
  MUSTER_OUTBOUND_ALLOWLIST, MUSTER_SECRET_KEY, MUSTER_SECRET_KEY_FILE, MUSTER_SECRET_KEY_PREVIOUS,
  MUSTER_INTAKE_LIMIT_PER_MINUTE
`;
