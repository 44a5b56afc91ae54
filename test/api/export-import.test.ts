import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SYSTEM_ACTOR } from '../../src/domain/context.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { exportSnapshot, importInstallation, type ExportDocument } from '../../src/domain/portable.ts';
import { openDatabase, type Database } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { API, startHarness, testDatabases, type DbKind, type Harness } from '../helpers/harness.ts';
import { freshDatabase } from '../helpers/postgres.ts';

const EXPORT = '/api/muster/v1/export';

/** A migrated, never started installation of `kind`: what `muster import` loads into. */
async function emptyInstallation(kind: DbKind): Promise<{ database: Database; cleanup: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-import-'));
  const database = await openDatabase({ dataDir, databaseUrl: kind === 'postgres' ? await freshDatabase() : undefined });
  await migrate(database.db);
  return {
    database,
    cleanup: async () => {
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Fills an installation through both APIs with a bit of everything an export carries. */
async function seed(h: Harness): Promise<string> {
  const member = await h.user('responder');
  const pb = await h.post(`${API}/playbooks`, {
    title: 'Database outage',
    team_id: h.teamId,
    checklists: [{ title: 'Triage', items: [{ title: 'Page the DBA' }, { title: 'Freeze deploys' }] }],
  });
  assert.equal(pb.status, 201, pb.text);
  const run = await h.post(`${API}/runs`, { name: 'Primary down', owner_user_id: h.admin.id, team_id: h.teamId, playbook_id: pb.body.id });
  assert.equal(run.status, 201, run.text);
  const id = run.body.id as string;
  assert.equal((await h.post(`${API}/runs/${id}/status`, { message: 'Failing over', reminder: 600 })).status, 200);
  assert.equal((await h.put(`${API}/runs/${id}/checklists/0/item/0/state`, { new_state: 'closed' })).status, 200);
  assert.equal((await h.put(`${API}/runs/${id}/followers`, undefined, member.token)).status, 200);
  await h.rpcOk('IncidentsService.AddLabel', { incidentID: id, label: { key: 'service', label: 'payments', colorHex: '#ff0000' } });
  await h.rpcOk('ActivityService.AddActivity', { incidentID: id, activityKind: 'userNote', body: 'Replica promoted' });
  const integration = await h.post('/api/muster/v1/integrations', { kind: 'generic', name: 'Uptime', team_id: h.teamId });
  assert.equal(integration.status, 201, integration.text);
  assert.equal((await h.post(new URL(integration.body.url).pathname, { title: 'Login page 500s', dedup_key: 'login' }, null)).status < 300, true);
  return id;
}

const withoutTime = (doc: ExportDocument) => ({ ...doc, exported_at: '' });

for (const kind of testDatabases()) {
  const other: DbKind = testDatabases().length > 1 ? (kind === 'pglite' ? 'postgres' : 'pglite') : kind;
  describe(`${kind}: export and import (into ${other})`, () => {
    let h: Harness;
    let runId: string;
    let exported: ExportDocument;

    before(async () => {
      h = await startHarness(kind);
      runId = await seed(h);
    });
    after(() => h.close());

    test('an admin exports one JSON document without secrets; others may not', async () => {
      const res = await h.get(EXPORT);
      assert.equal(res.status, 200, res.text);
      assert.match(String(res.headers.get('content-disposition')), /attachment; filename="muster-export-/);
      exported = res.body as ExportDocument;
      assert.equal(exported.format, 'muster-export');
      assert.ok(exported.tables.incidents!.some((i) => i.id === runId));
      assert.ok(exported.tables.users!.every((u) => u.password_hash === ''), 'no password hashes');
      assert.ok(exported.tables.integrations!.every((i) => i.secret_hash === ''));
      assert.equal(exported.tables.api_tokens, undefined, 'no tokens');
      const text = JSON.stringify(exported);
      assert.ok(!text.includes('admin-token-for-tests'), 'the admin token is nowhere in the document');
      assert.equal((await h.get(EXPORT, (await h.user()).token)).status, 403);
    });

    test(`import into an empty ${other} installation and export again gives the same document`, async () => {
      const target = await emptyInstallation(other);
      try {
        const counts = await importInstallation(target.database.db, exported);
        assert.equal(counts.incidents, exported.tables.incidents!.length);
        const again = await exportSnapshot(target.database.db, SYSTEM_ACTOR, new Date());
        assert.deepEqual(withoutTime(again), withoutTime(exported));
        await assert.rejects(importInstallation(target.database.db, exported), (err: unknown) => err instanceof DomainError && err.code === 'conflict');
      } finally {
        await target.cleanup();
      }
    });

    test('a document that is not an export, or does not fit, is refused naming the problem and writes nothing', async () => {
      const target = await emptyInstallation(kind);
      try {
        const refuse = async (doc: unknown, field: RegExp) =>
          assert.rejects(importInstallation(target.database.db, doc), (err: unknown) => err instanceof DomainError && err.code === 'invalid' && field.test(err.field ?? ''));
        await refuse({ hello: 'world' }, /^format$/);
        await refuse({ ...exported, schema: 1 }, /^schema$/);
        await refuse({ ...exported, tables: { ...exported.tables, api_tokens: [] } }, /^tables\.api_tokens$/);
        const users = exported.tables.users!.map((u, i) => (i === 0 ? { ...u, shoe_size: 44 } : u));
        await refuse({ ...exported, tables: { ...exported.tables, users } }, /^tables\.users\.0\.shoe_size$/);
        const broken = { ...exported, tables: { ...exported.tables, incidents: [...exported.tables.incidents!, { id: 'x' }] } };
        await assert.rejects(importInstallation(target.database.db, broken));
        const left = await target.database.db.selectFrom('users').select('id').execute();
        assert.deepEqual(left, [], 'a failed import leaves nothing behind');
      } finally {
        await target.cleanup();
      }
    });
  });
}
