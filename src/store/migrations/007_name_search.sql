-- Substring search of run names (GET /runs search_term, QueryIncidents title:) is ILIKE '%term%': without a
-- trigram index that reads every incident. Embedded PGlite always loads pg_trgm (src/store/db.ts). On
-- PostgreSQL the extension is trusted (13+) but needs the contrib files and CREATE on the database: when it
-- cannot be created, Muster still works and searches by scanning.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'pg_trgm is not available (%): run-name search will scan incidents', SQLERRM;
END $$;

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    CREATE INDEX IF NOT EXISTS incidents_name_trgm ON incidents USING gin (name gin_trgm_ops);
  END IF;
END $$;
