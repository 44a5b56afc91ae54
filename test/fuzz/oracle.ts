import { sql, type Kysely } from 'kysely';
import type { DB as Database } from '../../src/store/schema.ts';

// What must hold after any request, however hostile: no 5xx, an error body in its facade's catalogue shape,
// and a rejected request leaves no trace in the database.

/**
 * Counts every row written (inserted, updated, deleted) in the test's database, transactionally: a trigger on
 * each table bumps one counter row, so a rolled-back write leaves no count and a committed one always does.
 * Token and session use (`last_used_at`, `last_activity_at`, touched by authenticated requests) is not a write
 * here, and neither is bookkeeping that records refused calls by design: the audit log (every mutating call,
 * refused ones included) and the rate-limit counters.
 */
export async function installWriteCounter(db: Kysely<Database>): Promise<void> {
  await sql`CREATE TABLE fuzz_writes (name text PRIMARY KEY, n bigint NOT NULL)`.execute(db);
  await sql`CREATE FUNCTION fuzz_count_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO fuzz_writes VALUES (TG_TABLE_NAME || '.' || lower(TG_OP), 1) ON CONFLICT (name) DO UPDATE SET n = fuzz_writes.n + 1;
      RETURN NULL;
    END $$`.execute(db);
  const tables = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
      AND table_name NOT IN ('fuzz_writes', 'audit_log', 'audit_checkpoints', 'rate_limits')`.execute(db);
  for (const { name } of tables.rows) {
    const events = name === 'api_tokens' || name === 'sessions' ? 'INSERT OR DELETE' : 'INSERT OR UPDATE OR DELETE';
    await sql.raw(`CREATE TRIGGER fuzz_count AFTER ${events} ON "${name}" FOR EACH ROW EXECUTE FUNCTION fuzz_count_write()`).execute(db);
  }
}

/** Rows written so far, per table and kind (`incidents.update=3 ...`): equal before and after a rejected request. */
export async function writeCount(db: Kysely<Database>): Promise<string> {
  const result = await sql<{ w: string | null }>`SELECT string_agg(name || '=' || n, ' ' ORDER BY name) AS w FROM fuzz_writes`.execute(db);
  return result.rows[0]!.w ?? '';
}

/** The counts that differ between two `writeCount`s. */
export function writesBetween(before: string, after: string): string {
  const was = new Map(before.split(' ').map((e) => e.split('=') as [string, string]));
  return after
    .split(' ')
    .map((e) => e.split('=') as [string, string])
    .filter(([k, n]) => was.get(k) !== n)
    .map(([k, n]) => `${k} ${was.get(k) ?? 0}→${n}`)
    .join(', ');
}

/** Incidents whose timeline is not 1..last_event_seq without a gap. */
export async function timelineGaps(db: Kysely<Database>): Promise<string[]> {
  const result = await sql<{ id: string }>`
    SELECT i.id FROM incidents i
    LEFT JOIN (SELECT incident_id, count(*) AS n, min(seq) AS lo, max(seq) AS hi FROM timeline_events GROUP BY incident_id) t
      ON t.incident_id = i.id
    WHERE coalesce(t.n, 0) <> i.last_event_seq OR coalesce(t.hi, 0) <> i.last_event_seq OR (t.n > 0 AND t.lo <> 1)`.execute(db);
  return result.rows.map((r) => r.id);
}

/** Why an error response is not in its facade's catalogue shape (undefined when it is). */
export function errorShapeProblem(facade: 'playbooks' | 'rpc', text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `error body is not JSON: ${text.slice(0, 80)}`;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return `error body is not an object: ${text.slice(0, 80)}`;
  const keys = Object.keys(body).sort().join(',');
  const want = facade === 'rpc' ? 'error' : 'details,error';
  if (keys !== want) return `error body has keys ${keys}, wants ${want}`;
  const values = Object.values(body);
  if (values.some((v) => typeof v !== 'string' || v === '')) return `error body has a non-string or empty field: ${text.slice(0, 80)}`;
  return undefined;
}
