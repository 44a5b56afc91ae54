import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../../src/store/db.ts';
import { loadMigrations, migrate, SchemaTooNewError, type Migration } from '../../src/store/migrate.ts';
import type { DbKind } from '../helpers/harness.ts';
import { testDatabases } from '../helpers/harness.ts';
import { freshDatabase } from '../helpers/postgres.ts';

const tempDirs: string[] = [];

/** A fresh, empty database of the given kind; PostgreSQL URLs are returned so a second pool can share it. */
async function freshTarget(kind: DbKind): Promise<{ dataDir: string; databaseUrl?: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-migrate-'));
  tempDirs.push(dataDir);
  return kind === 'postgres' ? { dataDir, databaseUrl: await freshDatabase() } : { dataDir };
}

async function appliedVersions(database: Database): Promise<number[]> {
  const rows = await database.db.selectFrom('schema_migrations').select('version').orderBy('version').execute();
  return rows.map((r) => r.version);
}

async function tableExists(database: Database, name: string): Promise<boolean> {
  const result = await sql<{ name: string | null }>`SELECT to_regclass(${name}) AS name`.execute(database.db);
  return result.rows[0]?.name !== null;
}

after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

for (const kind of testDatabases()) {
  describe(`${kind}: migrations`, () => {
    let database: Database;
    const migrations = loadMigrations();

    before(async () => {
      database = await openDatabase(await freshTarget(kind));
    });
    after(async () => {
      await database.close();
    });

    test('the first run applies every migration in order; the second is a no-op', async () => {
      assert.ok(migrations.length > 0);
      const first = await migrate(database.db);
      assert.deepEqual(first, migrations.map((m) => m.name));
      assert.deepEqual(await appliedVersions(database), migrations.map((m) => m.version));
      assert.ok(await tableExists(database, 'incidents'));
      const second = await migrate(database.db);
      assert.deepEqual(second, []);
      assert.deepEqual(await appliedVersions(database), migrations.map((m) => m.version));
    });

    test('run-name search has its trigram index (pg_trgm is loaded in PGlite and shipped with PostgreSQL)', async () => {
      assert.ok(await tableExists(database, 'incidents_name_trgm'));
      // An empty table is scanned whatever its indexes: forbid that to see the index serve the predicate.
      const plan = await database.db.transaction().execute(async (tx) => {
        await sql`SET LOCAL enable_seqscan = off`.execute(tx);
        return sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT id FROM incidents WHERE name ILIKE '%checkout%'`.execute(tx);
      });
      assert.match(plan.rows.map((r) => r['QUERY PLAN']).join('\n'), /incidents_name_trgm/);
    });

    test('a later migration is applied on its own, once', async () => {
      const extra: Migration = { version: 900, name: '900_test_extra', sql: 'CREATE TABLE test_extra (id text PRIMARY KEY);' };
      assert.deepEqual(await migrate(database.db, [...migrations, extra]), ['900_test_extra']);
      assert.deepEqual(await migrate(database.db, [...migrations, extra]), []);
      assert.ok(await tableExists(database, 'test_extra'));
    });

    test('a failing migration rolls back the whole run', async () => {
      const good: Migration = { version: 901, name: '901_good', sql: 'CREATE TABLE test_good (id text);' };
      const bad: Migration = { version: 902, name: '902_bad', sql: 'CREATE TABLE test_bad (id nosuchtype);' };
      const all = [...migrations, { version: 900, name: '900_test_extra', sql: '' }, good, bad];
      await assert.rejects(migrate(database.db, all));
      assert.equal(await tableExists(database, 'test_good'), false);
      assert.ok(!(await appliedVersions(database)).includes(901));
    });

    test('a database newer than the code is refused with SchemaTooNewError', async () => {
      await database.db.insertInto('schema_migrations').values({ version: 999, name: '999_future', applied_at: 1 }).execute();
      await assert.rejects(migrate(database.db), (err: unknown) => {
        assert.ok(err instanceof SchemaTooNewError);
        assert.match(err.message, /version 999/);
        assert.match(err.message, /upgrade Muster/);
        return true;
      });
    });
  });
}

if (testDatabases().includes('postgres')) {
  describe('postgres: concurrent migrations', () => {
    test('two processes migrating one fresh database at once both succeed and apply each migration once', async () => {
      const target = await freshTarget('postgres');
      const a = await openDatabase(target);
      const b = await openDatabase(target);
      try {
        const [ranA, ranB] = await Promise.all([migrate(a.db), migrate(b.db)]);
        const names = loadMigrations().map((m) => m.name);
        // One of them did the work; the other waited for the lock and found nothing to do.
        assert.deepEqual([ranA, ranB].sort((x, y) => y.length - x.length), [names, []]);
        const rows = await a.db
          .selectFrom('schema_migrations')
          .select(['version', (eb) => eb.fn.countAll<number>().as('n')])
          .groupBy('version')
          .execute();
        assert.equal(rows.length, names.length);
        assert.ok(rows.every((r) => Number(r.n) === 1));
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
}
