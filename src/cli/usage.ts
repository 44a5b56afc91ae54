export const USAGE = `usage: muster <command> [flags]

commands:
  serve                                  start the server
  migrate                                apply pending database migrations and exit
  user create --username U --email E [--password P] [--admin]
                                         create a user (without --password: token access only)
  team create --name N --display-name D [--private]
                                         create a team (open unless --private: invite only)
  team add-member --team <name|id> --user <username|id>
                                         add a user to a team
  token create --user <username|id> [--description D]
                                         issue an API token (printed once)
  token revoke <token-id>                revoke an API token
  token list --user <username|id>        list a user's tokens (never the secrets)
  webhooks list                          list outgoing webhooks (enabled or disabled, and why)
  webhooks deliveries <webhook-id> [--limit N] | --incident <id>
                                         every attempt of recent deliveries
  webhooks redeliver <delivery-id>       send a delivery again (same webhook-id)
  webhooks enable <webhook-id>           re-enable a disabled webhook
  webhooks rotate-secret [--grace-seconds S]
                                         new Playbooks signing secret; the old one keeps signing for S s
  help                                   show this help

Every command but serve and help accepts --json for machine-readable output.
Commands other than serve open the database directly: with the embedded database (MUSTER_DATA_DIR) they
cannot run while a server uses the same data directory; with DATABASE_URL they can.

environment: PORT, HOST, MUSTER_DATA_DIR, DATABASE_URL, MUSTER_SITE_URL, MUSTER_ADMIN_TOKEN,
  MUSTER_ADMIN_PASSWORD, MUSTER_LOG_LEVEL, MUSTER_TIMER_POLL_MS, MUSTER_JOB_CONCURRENCY, MUSTER_JOB_LEASE_MS,
  MUSTER_WEBHOOK_TIMEOUT_MS, MUSTER_WEBHOOK_DISABLE_AFTER_HOURS, MUSTER_OUTBOUND_ALLOWLIST, MUSTER_SECRET_KEY,
  MUSTER_SECRET_KEY_FILE, MUSTER_SECRET_KEY_PREVIOUS
`;
