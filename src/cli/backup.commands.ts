import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Config } from '../config.ts';
import { SYSTEM_ACTOR } from '../domain/context.ts';
import { conflict, invalid } from '../domain/errors.ts';
import { parseCommand, requiredPositional } from './args.ts';
import type { Prepared } from './identity.commands.ts';

const run = promisify(execFile);
const say = (line: string) => process.stderr.write(`muster: ${line}\n`);

/**
 * `muster backup FILE`. PostgreSQL: `pg_dump -Fc` when a pg_dump of the server's major version is installed,
 * else the JSON export. Embedded: a tarball of the data directory, taken directly when no server holds it;
 * a running server is backed up through `GET /api/muster/v1/backup` (the directory is locked while it runs).
 */
export function prepareBackupCommand(args: string[]): Prepared {
  const { positionals } = parseCommand('backup', args, {}, 1);
  const file = requiredPositional('backup', positionals, 'file');
  return async (loadConfig) => {
    const config = loadConfig();
    if (config.databaseUrl) await backupPostgres(config.databaseUrl, file);
    else await backupEmbedded(config, file);
    return 0;
  };
}

/** `muster restore FILE`: a backup or an export, into an empty data directory or database. */
export function prepareRestoreCommand(args: string[]): Prepared {
  const { positionals } = parseCommand('restore', args, {}, 1);
  const file = requiredPositional('restore', positionals, 'file');
  return async (loadConfig) => {
    const config = loadConfig();
    const head = readHead(file);
    if (head.startsWith('PGDMP')) await restorePostgres(config, file);
    else if (head.charCodeAt(0) === 0x1f && head.charCodeAt(1) === 0x8b) await restoreEmbedded(config, file);
    else if (head.trimStart().startsWith('{')) await restoreExport(config, file);
    else throw invalid('file', `${file} is neither a Muster backup (pg_dump custom format or .tar.gz) nor an export (JSON)`);
    return 0;
  };
}

function readHead(file: string): string {
  try {
    const fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(8);
    fs.readSync(fd, buf, 0, 8, 0);
    fs.closeSync(fd);
    return buf.toString('latin1');
  } catch (err) {
    throw invalid('file', `cannot read ${file}: ${(err as Error).message}`);
  }
}

/** A pg_dump binary of the server's major version: PATH first, then Debian's per-version directory. */
async function pgTool(tool: 'pg_dump' | 'pg_restore', major: number): Promise<string | undefined> {
  for (const candidate of [tool, `/usr/lib/postgresql/${major}/bin/${tool}`]) {
    const version = await run(candidate, ['--version']).then((r) => r.stdout, () => '');
    if (new RegExp(`\\(PostgreSQL\\) ${major}\\b`).test(version)) return candidate;
  }
  return undefined;
}

async function serverMajor(url: string): Promise<number> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version_num: string }>('SHOW server_version_num');
    return Math.floor(Number(rows[0]!.server_version_num) / 10000);
  } finally {
    await client.end();
  }
}

async function backupPostgres(url: string, file: string): Promise<void> {
  const major = await serverMajor(url);
  const pgDump = await pgTool('pg_dump', major);
  if (pgDump) {
    await run(pgDump, ['-Fc', '--no-owner', '--dbname', url, '--file', file]);
    say(`backed up with ${pgDump} (custom format) to ${file}; restore with "muster restore ${file}" into an empty database`);
    return;
  }
  say(`no pg_dump ${major} here: writing the JSON export instead (no passwords, tokens or webhook secrets)`);
  await writeExport({ databaseUrl: url, dataDir: '' }, file);
}

async function backupEmbedded(config: Config, file: string): Promise<void> {
  const { openDatabase, DataDirLockedError } = await import('../store/db.ts');
  const pgdata = path.join(config.dataDir, 'pgdata');
  if (!fs.existsSync(pgdata) || fs.readdirSync(pgdata).length === 0) throw invalid('MUSTER_DATA_DIR', `${config.dataDir} holds no database to back up`);
  const database = await openDatabase({ dataDir: config.dataDir }).catch((err: unknown) => {
    if (err instanceof DataDirLockedError) {
      throw conflict(`${err.message}. Back a running server up through it: curl -fsS -H "Authorization: Bearer $TOKEN" ${config.siteUrl.replace(/\/$/, '')}/api/muster/v1/backup -o ${file}`);
    }
    throw err;
  });
  try {
    const tarball = await database.dumpDataDir!();
    fs.writeFileSync(file, Buffer.from(await tarball.arrayBuffer()), { mode: 0o600 });
    say(`backed up ${config.dataDir} to ${file} (${tarball.size} bytes); restore with "muster restore ${file}" into an empty data directory`);
  } finally {
    await database.close();
  }
}

async function writeExport(where: { databaseUrl: string; dataDir: string }, file: string): Promise<void> {
  const [{ openDatabase }, { exportSnapshot }] = await Promise.all([import('../store/db.ts'), import('../domain/portable.ts')]);
  const database = await openDatabase(where);
  try {
    fs.writeFileSync(file, `${JSON.stringify(await exportSnapshot(database.db, SYSTEM_ACTOR, new Date()))}\n`, { mode: 0o600 });
  } finally {
    await database.close();
  }
}

async function restorePostgres(config: Config, file: string): Promise<void> {
  if (!config.databaseUrl) throw invalid('DATABASE_URL', `${file} is a PostgreSQL backup: set DATABASE_URL to the empty database to restore it into`);
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: config.databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ taken: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS taken").finally(() => client.end());
  if (rows[0]!.taken) throw conflict('the database named by DATABASE_URL already holds a Muster schema: restore only into an empty database');
  const pgRestore = await pgTool('pg_restore', await serverMajor(config.databaseUrl));
  if (!pgRestore) throw invalid('file', 'pg_restore of the server\'s major version is not installed here (Debian: apt-get install postgresql-client)');
  await run(pgRestore, ['--no-owner', '--exit-on-error', '--single-transaction', '--dbname', config.databaseUrl, file]);
  say(`restored ${file} into the database of DATABASE_URL; start it with the secret and audit keys kept apart from the backup (MUSTER_SECRET_KEY or MUSTER_SECRET_KEY_FILE, MUSTER_AUDIT_KEY or MUSTER_AUDIT_KEY_FILE)`);
}

async function restoreEmbedded(config: Config, file: string): Promise<void> {
  if (config.databaseUrl) throw invalid('DATABASE_URL', `${file} is an embedded backup: unset DATABASE_URL and set MUSTER_DATA_DIR to the empty directory to restore into (or import an export into PostgreSQL)`);
  const [{ lockDataDir }, { restorePglite }] = await Promise.all([import('../store/data-dir-lock.ts'), import('../store/db.ts')]);
  fs.mkdirSync(config.dataDir, { recursive: true });
  const release = await lockDataDir(config.dataDir);
  try {
    const pgdata = path.join(config.dataDir, 'pgdata');
    if (fs.existsSync(pgdata) && fs.readdirSync(pgdata).length > 0) throw conflict(`${config.dataDir} already holds a database: restore only into an empty data directory`);
    await restorePglite(pgdata, new Blob([fs.readFileSync(file)]));
  } finally {
    release();
  }
  say(`restored ${file} into ${config.dataDir}; start it with the secret and audit keys kept apart from the backup (secret.key and audit-signing.key in the data directory, or MUSTER_SECRET_KEY_FILE / MUSTER_AUDIT_KEY_FILE)`);
}

async function restoreExport(config: Config, file: string): Promise<void> {
  const { importExportFile } = await import('./portable.commands.ts');
  const counts = await importExportFile(config, file);
  say(`imported the export ${file}: ${counts.users ?? 0} users, ${counts.incidents ?? 0} incidents (passwords and tokens were not exported: reset them)`);
}
