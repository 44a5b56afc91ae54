import type { Selectable } from 'kysely';
import type { Executor } from './db.ts';
import type { AuditCheckpointsTable, AuditLogTable } from './schema.ts';

export type AuditRow = Selectable<AuditLogTable>;
export type CheckpointRow = Selectable<AuditCheckpointsTable>;

/** All SQL of the audit log. The chain itself (seq, prev_hash, hash) is computed by the table's trigger. */
export const auditRepo = {
  /** One multi-row INSERT (one statement, so atomic without a transaction); returns the chain's new tail. */
  async append(ex: Executor, rows: { at: number; entry: string }[]): Promise<{ seq: number; hash: string }> {
    const inserted = await ex.insertInto('audit_log').values(rows).returning(['seq', 'hash']).execute();
    return inserted.reduce((a, b) => (b.seq > a.seq ? b : a));
  },

  last: (ex: Executor) => ex.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst(),

  page: (ex: Executor, afterSeq: number, limit: number): Promise<AuditRow[]> =>
    ex.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute(),

  checkpoints: (ex: Executor): Promise<CheckpointRow[]> => ex.selectFrom('audit_checkpoints').selectAll().orderBy('seq').execute(),

  lastCheckpoint: (ex: Executor) =>
    ex.selectFrom('audit_checkpoints').select(['seq', 'at']).orderBy('seq', 'desc').limit(1).executeTakeFirst(),

  insertCheckpoint: (ex: Executor, row: CheckpointRow) =>
    ex.insertInto('audit_checkpoints').values(row).onConflict((oc) => oc.column('seq').doNothing()).execute(),
};
