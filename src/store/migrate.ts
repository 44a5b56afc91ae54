import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { transaction, type Db } from './db.ts';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
// Any constant works; every Muster process takes the same advisory lock before migrating.
const MIGRATION_LOCK_KEY = 7_242_024;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export class SchemaTooNewError extends Error {}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 3)),
      name: file.replace(/\.sql$/, ''),
      sql: fs.readFileSync(path.join(dir, file), 'utf8'),
    }));
}

/** The schema version this code migrates to: its highest migration. */
export function currentSchemaVersion(migrations = loadMigrations()): number {
  return Math.max(0, ...migrations.map((m) => m.version));
}

/** The newest migration applied to the database. */
export async function appliedSchemaVersion(db: Db): Promise<number> {
  const row = await db.selectFrom('schema_migrations').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
  return Number(row?.v ?? 0);
}

/**
 * Applies pending migrations in one transaction under an advisory lock, so two processes starting at
 * once apply each migration exactly once. Refuses a database whose schema is newer than this code.
 */
export async function migrate(db: Db, migrations = loadMigrations(), now = Date.now()): Promise<string[]> {
  const known = currentSchemaVersion(migrations);
  return transaction(db, async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(tx);
    await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)`.execute(tx);
    const rows = await tx.selectFrom('schema_migrations').select('version').execute();
    const applied = new Set(rows.map((r) => r.version));
    const newest = Math.max(0, ...applied);
    if (newest > known) {
      throw new SchemaTooNewError(
        `the database schema is at version ${newest} but this Muster knows only up to ${known}: upgrade Muster`,
      );
    }
    const done: string[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await sql.raw(migration.sql).execute(tx);
      await tx
        .insertInto('schema_migrations')
        .values({ version: migration.version, name: migration.name, applied_at: now })
        .execute();
      done.push(migration.name);
    }
    return done;
  });
}
