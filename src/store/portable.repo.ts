import { sql } from 'kysely';
import type { Db, Executor, Tx } from './db.ts';
import type { DB } from './schema.ts';

type TableName = keyof DB & string;

/**
 * What an export carries, table by table, in an order that satisfies every foreign key on import. `key` orders
 * the rows (a stable document: the same data exports to the same text on either database). `blank` columns are
 * secrets: exported as '' and imported as given (an imported user has no password until it is reset). Tables
 * left out hold only secrets or transient state: tokens, sessions, rate windows, signing secrets, the webhook
 * outbox and its attempts, idempotency records, the migration ledger.
 */
export const PORTABLE_TABLES: ReadonlyArray<{ table: TableName; key: string[]; blank?: string[] }> = [
  { table: 'users', key: ['id'], blank: ['password_hash'] },
  { table: 'teams', key: ['id'] },
  { table: 'team_members', key: ['team_id', 'user_id'] },
  { table: 'settings', key: ['key'] },
  { table: 'channels', key: ['id'] },
  { table: 'channel_members', key: ['channel_id', 'user_id'] },
  { table: 'channel_member_history', key: ['channel_id', 'user_id', 'join_time'] },
  { table: 'playbooks', key: ['id'] },
  { table: 'playbook_members', key: ['playbook_id', 'user_id'] },
  { table: 'playbook_autofollows', key: ['playbook_id', 'user_id'] },
  { table: 'incidents', key: ['id'] },
  { table: 'posts', key: ['id'] },
  { table: 'incident_labels', key: ['incident_id', 'key', 'label'] },
  { table: 'incident_followers', key: ['incident_id', 'user_id'] },
  { table: 'checklists', key: ['id'] },
  { table: 'checklist_items', key: ['id'] },
  { table: 'timeline_events', key: ['id'] },
  { table: 'roles', key: ['id'] },
  { table: 'incident_role_assignments', key: ['incident_id', 'role_id', 'user_id'] },
  { table: 'severities', key: ['id'] },
  { table: 'custom_fields', key: ['id'] },
  { table: 'custom_field_options', key: ['id'] },
  { table: 'incident_field_values', key: ['incident_id', 'field_id'] },
  { table: 'org_statuses', key: ['id'] },
  { table: 'key_updates', key: ['post_id'] },
  { table: 'slash_commands', key: ['id'], blank: ['token'] },
  { table: 'webhook_subscriptions', key: ['id'], blank: ['secret'] },
  { table: 'integrations', key: ['id'], blank: ['secret_hash'] },
  { table: 'alert_groups', key: ['id'] },
  { table: 'jobs', key: ['id'] },
  { table: 'audit_log', key: ['seq'] },
  { table: 'audit_checkpoints', key: ['seq'] },
];

/** Tables a fresh migration fills with defaults; an import replaces their rows with the document's. */
const SEEDED: TableName[] = ['settings', 'roles', 'severities', 'custom_field_options', 'custom_fields', 'org_statuses', 'jobs'];

const INSERT_CHUNK = 200;

export const portableRepo = {
  /** Runs reads in one repeatable-read snapshot: every table as of the same instant, writers not blocked. */
  snapshot<T>(db: Db, read: (tx: Tx) => Promise<T>): Promise<T> {
    return db.transaction().setIsolationLevel('repeatable read').execute(read);
  },

  /** Every row of a table, ordered by `key`. */
  rows(ex: Executor, table: TableName, key: string[]): Promise<Array<Record<string, unknown>>> {
    const order = sql.join(key.map((column) => sql.ref(column)));
    return sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)} ORDER BY ${order}`.execute(ex).then((r) => r.rows);
  },

  /** People or incidents already here: such an installation is not a target for an import. */
  async holdsData(ex: Executor): Promise<boolean> {
    const found = await sql<{ any: boolean }>`SELECT EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM incidents) OR EXISTS (SELECT 1 FROM playbooks) AS any`.execute(ex);
    return found.rows[0]?.any === true;
  },

  async clearSeeded(tx: Tx): Promise<void> {
    for (const table of SEEDED) await sql`DELETE FROM ${sql.table(table)}`.execute(tx);
  },

  /**
   * Inserts rows as they are, a chunk per statement; JSON columns are sent as JSON text, a column a row lacks
   * takes its default. OVERRIDING SYSTEM VALUE keeps identity values (incident numbers) as exported.
   */
  async insert(tx: Tx, table: TableName, rows: Array<Record<string, unknown>>, jsonColumns: Set<string>): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      const columns = [...new Set(chunk.flatMap((row) => Object.keys(row)))];
      const value = (row: Record<string, unknown>, column: string) => {
        if (!(column in row)) return sql`DEFAULT`;
        return jsonColumns.has(column) ? JSON.stringify(row[column]) : row[column];
      };
      const tuples = chunk.map((row) => sql`(${sql.join(columns.map((column) => value(row, column)))})`);
      // The table name comes from PORTABLE_TABLES and the columns were checked against the table's own.
      await sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) OVERRIDING SYSTEM VALUE VALUES ${sql.join(tuples)}`.execute(tx);
    }
  },

  /** After explicit values went into identity columns, the next generated ones must follow them. */
  async resyncIdentities(tx: Tx): Promise<void> {
    await sql`SELECT setval(pg_get_serial_sequence('roles', 'id'), GREATEST((SELECT max(id) FROM roles), 1))`.execute(tx);
    await sql`SELECT setval(pg_get_serial_sequence('incidents', 'number'), GREATEST((SELECT max(number) FROM incidents), 1), (SELECT count(*) > 0 FROM incidents))`.execute(tx);
  },

  /** The columns of each table now, to refuse a document whose rows do not fit. */
  async columns(ex: Executor, table: TableName): Promise<Map<string, { type: string }>> {
    const rows = await sql<{ column_name: string; data_type: string }>`
      SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${table}`.execute(ex);
    return new Map(rows.rows.map((r) => [r.column_name, { type: r.data_type }]));
  },
};
