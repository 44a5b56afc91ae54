import fs from 'node:fs';
import type { Config } from '../config.ts';
import { SYSTEM_ACTOR } from '../domain/context.ts';
import { invalid } from '../domain/errors.ts';
import { parseCommand, requiredPositional } from './args.ts';
import { emit, withDatabase, type Prepared } from './identity.commands.ts';

/** `muster export [--out FILE]`: the installation as one JSON document without secrets (stdout by default). */
export function prepareExportCommand(args: string[]): Prepared {
  const { values } = parseCommand('export', args, { out: { type: 'string' } });
  return (config) =>
    withDatabase(config(), async ({ ctx }) => {
      const { exportSnapshot } = await import('../domain/portable.ts');
      const doc = await exportSnapshot(ctx.db, SYSTEM_ACTOR, new Date());
      const text = `${JSON.stringify(doc)}\n`;
      if (!values.out) return void process.stdout.write(text);
      fs.writeFileSync(values.out, text, { mode: 0o600 });
      const rows = Object.values(doc.tables).reduce((sum, list) => sum + list.length, 0);
      process.stderr.write(`muster: exported ${rows} rows of ${Object.keys(doc.tables).length} tables to ${values.out}\n`);
    });
}

/**
 * `muster import FILE`: loads an export into an empty installation (a new data directory or database), all or
 * nothing. It does not create the first-start admin: the imported users are the users; their passwords and
 * tokens were not exported, so `user reset-password` and `token create` give the admin access again.
 */
export function prepareImportCommand(args: string[]): Prepared {
  const { values, positionals } = parseCommand('import', args, {}, 1);
  const file = requiredPositional('import', positionals, 'file');
  return async (config) => {
    const counts = await importExportFile(config(), file);
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    emit(values.json, counts, `imported ${total} rows (${counts.users ?? 0} users, ${counts.incidents ?? 0} incidents, ${counts.playbooks ?? 0} playbooks).\nNo passwords or tokens were exported: run "muster user reset-password --user <name>" and "muster token create --user <name>" before signing in.`);
    return 0;
  };
}

/** Reads and imports one export file (also what `muster restore` does with a JSON file). */
export async function importExportFile(config: Config, file: string): Promise<Record<string, number>> {
  return importInto(config, readDocument(file));
}

function readDocument(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw invalid('file', `cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw invalid('file', `${file} is not JSON: ${(err as Error).message}`);
  }
}

async function importInto(config: Config, raw: unknown): Promise<Record<string, number>> {
  const [{ openDatabase }, { migrate }, { finishFirstBoot }, { importInstallation }] = await Promise.all([
    import('../store/db.ts'),
    import('../store/migrate.ts'),
    import('../store/first-boot.ts'),
    import('../domain/portable.ts'),
  ]);
  const database = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, connectTimeoutMs: config.dbConnectTimeoutMs });
  try {
    await migrate(database.db);
    if (database.kind === 'pglite') finishFirstBoot(config.dataDir);
    return await importInstallation(database.db, raw);
  } finally {
    await database.close();
  }
}
