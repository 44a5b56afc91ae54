import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { startMuster } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { ADMIN_TOKEN, API, startHarness, testDatabases, type Harness } from '../helpers/harness.ts';
import { runCli } from '../helpers/cli.ts';
import { freshDatabase } from '../helpers/postgres.ts';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-backup-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

const cli = runCli;

/** A run taking status updates while the backup is taken: the backup must hold a consistent prefix of them. */
async function busyRun(h: Harness): Promise<{ id: string; load: Promise<unknown> }> {
  const run = await h.post(`${API}/runs`, { name: 'Backed up', owner_user_id: h.admin.id, team_id: h.teamId });
  assert.equal(run.status, 201, run.text);
  const load = Promise.all(Array.from({ length: 40 }, (_, i) => h.post(`${API}/runs/${run.body.id}/status`, { message: `update ${i}`, reminder: 600 })));
  return { id: run.body.id, load };
}

/** The keys kept apart from the backup (sealed secrets, audit checkpoints): a restore is started with them. */
function keysOf(h: Harness): Record<string, string> {
  const dir = h.muster.config.dataDir;
  return { MUSTER_SECRET_KEY_FILE: path.join(dir, 'secret.key'), MUSTER_AUDIT_KEY_FILE: path.join(dir, 'audit-signing.key') };
}

/** Starts a server on a restored installation and checks the run: every status post has its timeline event. */
async function checkRestored(env: Record<string, string>, runId: string): Promise<number> {
  const muster = await startMuster(loadConfig({ PORT: '0', HOST: '127.0.0.1', MUSTER_LOG_LEVEL: 'silent', ...env }), { runTimers: false });
  try {
    const res = await fetch(`${muster.url}${API}/runs/${runId}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(res.status, 200, 'the admin token was backed up too');
    const run = (await res.json()) as { status_posts: unknown[]; timeline_events: Array<{ event_type: string }> };
    const updates = run.timeline_events.filter((e) => e.event_type === 'status_updated').length;
    assert.equal(updates, run.status_posts.length, 'no status post without its event, and the other way round');
    return updates;
  } finally {
    await muster.close();
  }
}

describe('backup and restore', () => {
  test('embedded: a running server is backed up through GET /api/muster/v1/backup under writes, and restored into a new directory', async () => {
    const h = await startHarness('pglite');
    try {
      const { id, load } = await busyRun(h);
      const res = await fetch(`${h.url}/api/muster/v1/backup`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/gzip');
      const file = path.join(work, 'embedded.tar.gz');
      fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      await load;
      assert.equal((await h.get('/api/muster/v1/backup', (await h.user()).token)).status, 403);

      const target = { MUSTER_DATA_DIR: path.join(work, 'restored'), ...keysOf(h) };
      const restored = await cli(['restore', file], target);
      assert.equal(restored.code, 0, restored.stderr);
      const seen = await checkRestored(target, id);
      assert.ok(seen >= 0 && seen <= 40);
      const again = await cli(['restore', file], target);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /already holds a database/);
    } finally {
      await h.close();
    }
  });

  test('embedded: muster backup on a directory a server holds says how to back it up instead', async () => {
    const h = await startHarness('pglite');
    try {
      const res = await cli(['backup', path.join(work, 'x.tar.gz')], { MUSTER_DATA_DIR: h.muster.config.dataDir });
      assert.equal(res.code, 1);
      assert.match(res.stderr, /api\/muster\/v1\/backup/);
    } finally {
      await h.close();
    }
  });

  if (testDatabases().includes('postgres')) {
    test('PostgreSQL: muster backup (pg_dump -Fc) while the server writes, muster restore into an empty database', async () => {
      const h = await startHarness('postgres');
      try {
        const { id, load } = await busyRun(h);
        const file = path.join(work, 'pg.dump');
        const backup = await cli(['backup', file], { DATABASE_URL: h.muster.config.databaseUrl! });
        await load;
        assert.equal(backup.code, 0, backup.stderr);
        assert.equal(fs.readFileSync(file).subarray(0, 5).toString(), 'PGDMP');
        assert.equal((await h.get('/api/muster/v1/backup')).status, 409, 'the server points PostgreSQL users at pg_dump');
        const target = { DATABASE_URL: await freshDatabase(), MUSTER_DATA_DIR: path.join(work, 'unused'), ...keysOf(h) };
        const restored = await cli(['restore', file], target);
        assert.equal(restored.code, 0, restored.stderr);
        await checkRestored(target, id);
        const again = await cli(['restore', file], target);
        assert.equal(again.code, 1);
        assert.match(again.stderr, /already holds a Muster schema/);
      } finally {
        await h.close();
      }
    });
  }
});
