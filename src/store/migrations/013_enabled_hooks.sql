-- incident-go IntegrationService (issue 14): an outgoing webhook subscription wired as an EnabledHook
-- remembers the Grafana event it was enabled for ('' = made through WebhooksService) and whether it
-- fires for private incidents.
ALTER TABLE webhook_subscriptions ADD COLUMN hook_event text NOT NULL DEFAULT '';
ALTER TABLE webhook_subscriptions ADD COLUMN sensitive boolean NOT NULL DEFAULT false;
