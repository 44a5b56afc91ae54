import { transaction, type Db, type Executor } from '../store/db.ts';
import { currentSchemaVersion } from '../store/migrate.ts';
import { PORTABLE_TABLES, portableRepo } from '../store/portable.repo.ts';
import type { Actor } from './context.ts';
import { conflict, forbidden, invalid } from './errors.ts';

export const EXPORT_FORMAT = 'muster-export';
export const EXPORT_VERSION = 1;

/** One JSON document holding an installation's data without its secrets (see PORTABLE_TABLES). */
export interface ExportDocument {
  format: typeof EXPORT_FORMAT;
  version: number;
  /** The schema (highest migration) the rows were read under: an import needs the same one. */
  schema: number;
  exported_at: string;
  tables: Record<string, Array<Record<string, unknown>>>;
}

/**
 * Reads every portable table in one snapshot (a consistent prefix of the history under concurrent writes: the
 * caller passes a transaction, or the embedded database whose one connection serialises everything).
 */
export async function exportInstallation(ex: Executor, actor: Actor, schema: number, now: Date): Promise<ExportDocument> {
  if (!actor.isAdmin) throw forbidden('only a system admin may export the installation');
  const tables: ExportDocument['tables'] = {};
  for (const { table, key, blank = [] } of PORTABLE_TABLES) {
    const rows = await portableRepo.rows(ex, table, key);
    tables[table] = blank.length === 0 ? rows : rows.map((row) => ({ ...row, ...Object.fromEntries(blank.map((c) => [c, ''])) }));
  }
  return { format: EXPORT_FORMAT, version: EXPORT_VERSION, schema, exported_at: now.toISOString(), tables };
}

/** The same, read inside one repeatable-read snapshot. */
export function exportSnapshot(db: Db, actor: Actor, now: Date): Promise<ExportDocument> {
  return portableRepo.snapshot(db, (tx) => exportInstallation(tx, actor, currentSchemaVersion(), now));
}

/**
 * Loads a document into an installation that holds no users, playbooks or incidents (migrated, not yet
 * started), in one transaction: all of it or nothing. Rows must fit the tables' columns as they are now.
 */
export async function importInstallation(db: Db, raw: unknown): Promise<Record<string, number>> {
  const doc = checkDocument(raw, currentSchemaVersion());
  return transaction(db, async (tx) => {
    if (await portableRepo.holdsData(tx)) throw conflict('this installation already holds data: import only into an empty data directory or database');
    await portableRepo.clearSeeded(tx);
    const counts: Record<string, number> = {};
    for (const { table } of PORTABLE_TABLES) {
      const rows = doc.tables[table] ?? [];
      const columns = await portableRepo.columns(tx, table);
      rows.forEach((row, i) => checkRow(table, i, row, columns));
      const jsonColumns = new Set([...columns].filter(([, c]) => c.type === 'jsonb' || c.type === 'json').map(([name]) => name));
      await portableRepo.insert(tx, table, rows, jsonColumns);
      counts[table] = rows.length;
    }
    await portableRepo.resyncIdentities(tx);
    return counts;
  });
}

function checkDocument(raw: unknown, schema: number): ExportDocument {
  const doc = raw as Partial<ExportDocument> | null;
  if (!doc || typeof doc !== 'object' || doc.format !== EXPORT_FORMAT) throw invalid('format', `not a Muster export: "format" must be "${EXPORT_FORMAT}"`);
  if (doc.version !== EXPORT_VERSION) throw invalid('version', `export version ${String(doc.version)} is not supported: this Muster reads version ${EXPORT_VERSION}`);
  if (doc.schema !== schema) {
    throw invalid('schema', `the export was made at schema ${String(doc.schema)} and this Muster is at schema ${schema}: import it with the Muster version that made it, then upgrade`);
  }
  if (!doc.tables || typeof doc.tables !== 'object') throw invalid('tables', '"tables" must be an object of row lists');
  const known = new Set(PORTABLE_TABLES.map((t) => t.table as string));
  for (const [name, rows] of Object.entries(doc.tables)) {
    if (!known.has(name)) throw invalid(`tables.${name}`, `tables.${name}: not a table an export holds`);
    if (!Array.isArray(rows)) throw invalid(`tables.${name}`, `tables.${name} must be a list of rows`);
  }
  return doc as ExportDocument;
}

function checkRow(table: string, index: number, row: unknown, columns: Map<string, unknown>): void {
  if (!row || typeof row !== 'object' || Array.isArray(row)) throw invalid(`tables.${table}.${index}`, `tables.${table}.${index} must be an object`);
  for (const column of Object.keys(row)) {
    if (!columns.has(column)) throw invalid(`tables.${table}.${index}.${column}`, `tables.${table}.${index}: unknown column "${column}"`);
  }
}
