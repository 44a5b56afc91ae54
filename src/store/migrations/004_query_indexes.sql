-- QueryIncidents pages by (created time, id in byte order): an index in that order lets a page stop early
-- instead of sorting every incident (bench/RESULTS.md, history scenario).
CREATE INDEX incidents_create_at_id_c ON incidents (create_at, (id COLLATE "C"));
