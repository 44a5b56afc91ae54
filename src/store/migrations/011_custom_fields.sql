-- incident-go FieldsService and the key:value labels of IncidentsService (issue 14).

-- The organisation's custom field definitions. domain 'labels' = label keys (values are the options),
-- domain 'incident' = custom fields recorded per incident.
CREATE TABLE custom_fields (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  slug        text NOT NULL,
  type        text NOT NULL CHECK (type IN ('string', 'single-select', 'multi-select', 'bool', 'number', 'date')),
  domain_name text NOT NULL CHECK (domain_name IN ('labels', 'incident')),
  color       text NOT NULL DEFAULT '',
  icon        text NOT NULL DEFAULT '',
  description text NOT NULL DEFAULT '',
  required    boolean NOT NULL DEFAULT false,
  immutable   boolean NOT NULL DEFAULT false,
  source      text NOT NULL DEFAULT 'incident',
  external_id text NOT NULL DEFAULT '',
  archived    boolean NOT NULL DEFAULT false,
  version     integer NOT NULL DEFAULT 1,
  create_at   bigint NOT NULL,
  update_at   bigint NOT NULL
);
CREATE UNIQUE INDEX custom_fields_slug ON custom_fields(domain_name, slug);
-- Label keys are addressed by name (AssignLabel, AddLabelValue).
CREATE UNIQUE INDEX custom_fields_label_key ON custom_fields(lower(name)) WHERE domain_name = 'labels';

CREATE TABLE custom_field_options (
  id          text PRIMARY KEY,
  field_id    text NOT NULL REFERENCES custom_fields(id) ON DELETE CASCADE,
  value       text NOT NULL,
  label       text NOT NULL DEFAULT '',
  color       text NOT NULL DEFAULT '',
  icon        text NOT NULL DEFAULT '',
  description text NOT NULL DEFAULT '',
  source      text NOT NULL DEFAULT 'incident',
  external_id text NOT NULL DEFAULT '',
  position    integer NOT NULL,
  create_at   bigint NOT NULL
);
CREATE UNIQUE INDEX custom_field_options_value ON custom_field_options(field_id, lower(value));

-- Values of 'incident' fields on one incident, JSON-encoded as the wire sends them ('"eu-west"', '3', 'true').
CREATE TABLE incident_field_values (
  incident_id text NOT NULL REFERENCES incidents(id),
  field_id    text NOT NULL REFERENCES custom_fields(id),
  value       text NOT NULL,
  update_at   bigint NOT NULL,
  PRIMARY KEY (incident_id, field_id)
);
CREATE INDEX incident_field_values_field ON incident_field_values(field_id);

-- An incident's labels are key:value pairs; the plain labels of AddLabel and of Playbooks live under `tags`.
ALTER TABLE incident_labels ADD COLUMN key text NOT NULL DEFAULT 'tags';
ALTER TABLE incident_labels DROP CONSTRAINT incident_labels_pkey;
ALTER TABLE incident_labels ADD PRIMARY KEY (incident_id, key, label);

-- The built-in `tags` key, and every label already in use as one of its values.
INSERT INTO custom_fields (id, name, slug, type, domain_name, description, immutable, create_at, update_at)
  VALUES ('tags', 'tags', 'tags', 'multi-select', 'labels', 'Plain labels (AddLabel, Playbooks run labels)', true, 0, 0);
INSERT INTO custom_field_options (id, field_id, value, label, color, position, create_at)
  SELECT 'tags-' || md5(lower(label)), 'tags', min(label), min(label), max(color_hex),
         (row_number() OVER (ORDER BY min(create_at), lower(label)))::integer, min(create_at)
  FROM incident_labels GROUP BY lower(label);
