import type { Sql } from './db.ts';

export interface HistoryShape {
  incidents: number;
  eventsPerIncident: number;
  itemsPerIncident: number;
  /** Incidents per INSERT batch (keeps PGlite's memory and each statement small). */
  batch: number;
}

export interface HistoryOwners {
  teamId: string;
  adminId: string;
  /** The regular user the reads run as: owner of every tenth incident. */
  memberId: string;
  /** incidents.settings of a run created through the API, copied into every seeded incident. */
  settingsJson: string;
}

/**
 * Seeded incidents are one minute apart, going back in time from here (2026-01-01T00:00:00Z). Rank i = 0 is the
 * newest and its id is 'i' + 25 digits of i: the newest end of the history (where pages, cursors and time
 * windows look) is the same rows with the same ids on every database, whatever the size.
 */
export const HISTORY_END_MS = Date.UTC(2026, 0, 1);
export const MINUTE = 60_000;

/** Active incidents do not grow with the history: the newest 1,000 (or 5 % of a small smoke history). */
export function activeCount(incidents: number): number {
  return Math.min(1000, Math.ceil(incidents / 20));
}

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
const idOf = (prefix: string, expr: string) => `'${prefix}' || lpad((${expr})::text, 25, '0')`;

/** Names sound like incidents and repeat, so searches find a realistic fraction. */
const SERVICES = ['Checkout', 'Payments', 'Login', 'Search', 'Database', 'Queue', 'DNS', 'CDN', 'API gateway', 'Billing'];
const SYMPTOMS = ['latency', 'outage', 'error rate', 'degraded', 'timeouts', 'saturation', 'data lag'];

/**
 * The SQL of one batch of ranks [lo, hi]: channels, incidents, one checklist with items, and the timeline, shaped
 * like rows the API writes (ids 26 chars of [a-z0-9], epoch-ms times, gapless seq 1..n, last_event_seq = n).
 * The newest `activeCount` are active, the rest resolved; every tenth incident is owned by the member.
 */
export function batchSql(shape: HistoryShape, owners: HistoryOwners, lo: number, hi: number): string {
  const e = shape.eventsPerIncident;
  const created = `(${HISTORY_END_MS}::bigint - i::bigint * ${MINUTE})`;
  const team = quote(owners.teamId);
  const admin = quote(owners.adminId);
  const member = quote(owners.memberId);
  const services = `(ARRAY[${SERVICES.map(quote).join(',')}])`;
  const symptoms = `(ARRAY[${SYMPTOMS.map(quote).join(',')}])`;
  const series = `generate_series(${lo}, ${hi}) AS i`;
  const active = `i < ${activeCount(shape.incidents)}`;
  return `
INSERT INTO channels (id, team_id, name, display_name, type, creator_id, create_at, update_at)
SELECT ${idOf('c', 'i')}, ${team}, 'incident-' || i, 'Incident ' || i, 'O', ${admin}, ${created}, ${created} FROM ${series};

INSERT INTO incidents (id, team_id, channel_id, name, summary, owner_user_id, reporter_user_id, status, severity,
  create_at, modified_at, end_at, last_status_update_at, settings, version, last_event_seq, origin)
SELECT ${idOf('i', 'i')}, ${team}, ${idOf('c', 'i')},
  ${services}[1 + i % ${SERVICES.length}] || ' ' || ${symptoms}[1 + (i / ${SERVICES.length}) % ${SYMPTOMS.length}] || ' #' || i,
  'Seeded incident ' || i,
  CASE WHEN i % 10 = 0 THEN ${member} ELSE ${admin} END, ${admin},
  CASE WHEN ${active} THEN 'active' ELSE 'resolved' END,
  (ARRAY['critical','major','minor','pending'])[1 + i % 4],
  ${created}, ${created} + ${e * MINUTE}, CASE WHEN ${active} THEN 0 ELSE ${created} + ${e * MINUTE} END, ${created},
  ${quote(owners.settingsJson)}::jsonb, ${1 + e}, ${e}, CASE WHEN i % 2 = 0 THEN 'rpc' ELSE 'playbooks' END
FROM ${series};

INSERT INTO checklists (id, incident_id, position, title) SELECT ${idOf('k', 'i')}, ${idOf('i', 'i')}, 0, 'Checklist' FROM ${series};

INSERT INTO checklist_items (id, checklist_id, incident_id, position, title, state, create_at, update_at)
SELECT ${idOf('m', `i::bigint * ${shape.itemsPerIncident} + j`)}, ${idOf('k', 'i')}, ${idOf('i', 'i')}, j, 'Step ' || (j + 1),
  CASE WHEN ${active} THEN '' ELSE 'closed' END, ${created}, ${created}
FROM ${series}, generate_series(0, ${shape.itemsPerIncident - 1}) AS j;

INSERT INTO timeline_events (id, incident_id, seq, event_type, event_at, create_at, summary, creator_user_id)
SELECT ${idOf('e', `i::bigint * ${e} + s`)}, ${idOf('i', 'i')}, s,
  CASE WHEN s = 1 THEN 'incident_created' WHEN s % 5 = 0 THEN 'status_updated' WHEN s % 7 = 0 THEN 'task_state_modified' ELSE 'user_note' END,
  ${created} + s * ${MINUTE}, ${created} + s * ${MINUTE},
  CASE WHEN s = 1 THEN '@admin started the run' ELSE 'Update ' || s || ' on incident ' || i || ': ' || ${symptoms}[1 + (i + s) % ${SYMPTOMS.length}] END,
  ${admin}
FROM ${series}, generate_series(1, ${e}) AS s;
`;
}

/** Indexes (and the PK/UNIQUE constraints behind them) of a table that nothing references, as SQL to re-create them. */
async function droppableIndexes(sql: Sql, table: string): Promise<{ drop: string[]; create: string[] }> {
  const constraints = await sql.query<{ name: string; def: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE conrelid = $1::regclass AND contype IN ('p', 'u')`,
    [table],
  );
  const referenced = await sql.query(`SELECT 1 FROM pg_constraint WHERE confrelid = $1::regclass`, [table]);
  if (referenced.length > 0) return { drop: [], create: [] };
  const indexes = await sql.query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1
        AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass)`,
    [table],
  );
  return {
    drop: [
      ...constraints.map((c) => `ALTER TABLE ${table} DROP CONSTRAINT ${c.name}`),
      ...indexes.map((i) => `DROP INDEX ${i.name}`),
    ],
    create: [...constraints.map((c) => `ALTER TABLE ${table} ADD CONSTRAINT ${c.name} ${c.def}`), ...indexes.map((i) => i.def)],
  };
}

export interface LoadTimes {
  /** Seconds for the INSERTs. */
  insertS: number;
  /** Seconds to re-create the timeline's indexes and ANALYZE. */
  indexS: number;
}

/**
 * Bulk-loads the history in batches with foreign-key triggers off (session_replication_role = replica: the rows
 * are consistent by construction). The timeline's indexes and the run-name trigram index are dropped first and
 * re-created from their own definitions afterwards (one sorted build beats millions of incremental inserts);
 * then ANALYZE.
 */
export async function loadHistory(sql: Sql, shape: HistoryShape, owners: HistoryOwners, progress: (done: number) => void): Promise<LoadTimes> {
  const started = performance.now();
  const deferred = await droppableIndexes(sql, 'timeline_events');
  // The run-name trigram index (migration 007) is built once at the end too: 1M incremental GIN inserts are slow.
  const trigram = await sql.query<{ def: string }>(`SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'incidents_name_trgm'`);
  if (trigram.length > 0) {
    deferred.drop.push('DROP INDEX incidents_name_trgm');
    deferred.create.push(trigram[0]!.def);
  }
  for (const statement of deferred.drop) await sql.exec(statement);
  await sql.exec('SET session_replication_role = replica');
  for (let lo = 0; lo < shape.incidents; lo += shape.batch) {
    const hi = Math.min(shape.incidents, lo + shape.batch) - 1;
    await sql.exec(`BEGIN; ${batchSql(shape, owners, lo, hi)} COMMIT;`);
    progress(hi + 1);
  }
  await sql.exec('SET session_replication_role = DEFAULT');
  const inserted = performance.now();
  await sql.exec("SET maintenance_work_mem = '256MB'");
  for (const statement of deferred.create) await sql.exec(statement);
  await sql.exec('ANALYZE');
  return { insertS: (inserted - started) / 1000, indexS: (performance.now() - inserted) / 1000 };
}
