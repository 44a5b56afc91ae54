import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, testDatabases, type Harness } from '../helpers/harness.ts';

for (const kind of testDatabases()) {
  describe(`${kind}: health probes`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(kind);
    });
    after(async () => {
      await h.close();
    });

    test('/healthz and /readyz answer 200 without a token when the database answers', async () => {
      const live = await h.get('/healthz', null);
      assert.equal(live.status, 200);
      assert.deepEqual(live.body, { status: 'OK' });
      const ready = await h.get('/readyz', null);
      assert.equal(ready.status, 200, ready.text);
      assert.deepEqual(ready.body, { status: 'OK' });
    });

    test('/readyz is unready, naming the versions, when another instance migrated the schema past this one', async () => {
      const db = h.muster.services.database.db;
      await db.insertInto('schema_migrations').values({ version: 999, name: '999_from_the_future', applied_at: Date.now() }).execute();
      try {
        const ready = await h.get('/readyz', null);
        assert.equal(ready.status, 503);
        assert.match(ready.body.reason, /^the database schema is at version 999, newer than this Muster \(\d+\): upgrade this instance$/);
      } finally {
        await db.deleteFrom('schema_migrations').where('version', '=', 999).execute();
      }
      assert.equal((await h.get('/readyz', null)).status, 200);
    });

    // PGlite has no listener (its feed is always live); on PostgreSQL readiness follows it.
    if (kind === 'postgres') test('/readyz says why when the change listener is not connected', async () => {
      const feed = h.muster.services.database.changes;
      feed.setLive(false); // what the listener does when its connection is lost
      try {
        const ready = await h.get('/readyz', null);
        assert.equal(ready.status, 503);
        assert.equal(ready.headers.get('retry-after'), '2');
        assert.deepEqual(ready.body, { status: 'unavailable', reason: 'the change listener is not connected to the database' });
      } finally {
        feed.setLive(true);
      }
    });
  });
}
