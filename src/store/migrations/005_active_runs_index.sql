-- Lists of in-progress runs (GET /runs?statuses=InProgress, QueryIncidents status:active) read and count only
-- the few active incidents through this index instead of scanning the whole resolved history.
CREATE INDEX incidents_active_team_create ON incidents (team_id, create_at) WHERE status = 'active';
