-- incident-go KeyUpdatesService and StatusService (issue 14).

-- The organisation's incident statuses: named statuses over the two run states (category active = a run in
-- progress, resolved = finished). The four built-ins are immutable; their ids are what key updates snapshot.
CREATE TABLE org_statuses (
  id            text PRIMARY KEY,
  incident_type text NOT NULL CHECK (incident_type IN ('internal', 'private')),
  name          text NOT NULL,
  description   text NOT NULL DEFAULT '',
  category      text NOT NULL CHECK (category IN ('active', 'resolved')),
  color         text NOT NULL DEFAULT '',
  icon          text NOT NULL DEFAULT '',
  slug          text NOT NULL,
  position      integer NOT NULL,
  archived_at   bigint NOT NULL DEFAULT 0,
  immutable     boolean NOT NULL DEFAULT false,
  create_at     bigint NOT NULL,
  update_at     bigint NOT NULL
);
CREATE UNIQUE INDEX org_statuses_name ON org_statuses(incident_type, lower(name));
INSERT INTO org_statuses (id, incident_type, name, category, color, icon, slug, position, immutable, create_at, update_at) VALUES
  ('active', 'internal', 'Active', 'active', '#e02f44', 'exclamation-circle', 'active', 1, true, 0, 0),
  ('resolved', 'internal', 'Resolved', 'resolved', '#56a64b', 'check-circle', 'resolved', 2, true, 0, 0),
  ('private-active', 'private', 'Active', 'active', '#e02f44', 'exclamation-circle', 'active', 1, true, 0, 0),
  ('private-resolved', 'private', 'Resolved', 'resolved', '#56a64b', 'check-circle', 'resolved', 2, true, 0, 0);

-- A status update (a `custom_run_update` post) seen as a Grafana key update: what the RPC adds to the post.
-- Status updates posted through Playbooks have no row and read with the defaults.
CREATE TABLE key_updates (
  post_id      text PRIMARY KEY REFERENCES posts(id),
  incident_id  text NOT NULL REFERENCES incidents(id),
  title        text,
  content_type text NOT NULL DEFAULT 'text/markdown+slack',
  -- The content as sent when it is not the post's Markdown (Lexical editor JSON); '' otherwise.
  source       text NOT NULL DEFAULT '',
  scope        text NOT NULL DEFAULT 'internal' CHECK (scope IN ('internal', 'public', 'private')),
  color        text,
  status_id    text NOT NULL DEFAULT '',
  severity_id  text NOT NULL DEFAULT '',
  modified_by  text NOT NULL DEFAULT ''
);
CREATE INDEX key_updates_incident ON key_updates(incident_id);
