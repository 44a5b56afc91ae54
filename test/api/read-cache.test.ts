// Reads served from memory (tokens, run details, view decisions) must never outlive the change that
// invalidates them: in this process, and on PostgreSQL also across processes (LISTEN/NOTIFY).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { startMuster, type Muster } from '../../src/app.ts';
import { RPC, API, startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';


for (const kind of testDatabases()) {
  describe(`${kind}: cached reads stay current`, () => {
    let h: Harness;
    let owner: TestUser;
    let runId: string;

    before(async () => {
      h = await startHarness(kind);
      owner = await h.user();
      const res = await h.post(`${API}/runs`, { name: 'Cache me', owner_user_id: owner.id, team_id: h.teamId }, owner.token);
      assert.equal(res.status, 201, res.text);
      runId = res.body.id;
    });
    after(async () => {
      await h.close();
    });

    const getRun = async (token: string) => h.get(`${API}/runs/${runId}`, token);
    const getIncident = async (token: string) => h.request('POST', `${RPC}/IncidentsService.GetIncident`, { body: { incidentID: runId }, token });

    test('a read right after a write through either API sees the write', async () => {
      for (let round = 0; round < 3; round++) {
        assert.equal((await getRun(owner.token)).status, 200);
        assert.equal((await getIncident(owner.token)).status, 200);
        const message = `status ${round}`;
        assert.equal((await h.post(`${API}/runs/${runId}/status`, { message, reminder: 600 }, owner.token)).status, 200);
        const run = (await getRun(owner.token)).body;
        assert.equal(run.status_posts.length, round + 1);
        assert.equal(run.timeline_events.filter((e: any) => e.event_type === 'status_updated').length, round + 1);

        const title = `Renamed ${round}`;
        const renamed = await h.request('POST', `${RPC}/IncidentsService.UpdateTitle`, { body: { incidentID: runId, title }, token: owner.token });
        assert.equal(renamed.status, 200, renamed.text);
        assert.equal((await getRun(owner.token)).body.name, title);
        assert.equal((await getIncident(owner.token)).body.incident.title, title);
      }
    });

    test('the same bytes are served until the run changes', async () => {
      const first = await getRun(owner.token);
      const second = await getRun(owner.token);
      assert.equal(first.text, second.text);
      assert.equal(first.headers.get('content-type'), 'application/json');
      assert.equal((await h.post(`${API}/runs/${runId}/checklists/0/add`, { title: 'Page the DBA' }, owner.token)).status, 201);
      const third = await getRun(owner.token);
      assert.notEqual(third.text, second.text);
    });

    test('losing the right to see a run takes effect at once', async () => {
      const outsider = await h.user(undefined, { team: false });
      assert.equal((await getRun(outsider.token)).status, 403);
      // Following makes the run visible to someone outside its team; unfollowing takes that back.
      await h.ctx.db.insertInto('incident_followers').values({ incident_id: runId, user_id: outsider.id }).execute();
      h.ctx.cache.feed.record({ incidents: new Map([[runId, '']]), everything: false }); // the direct SQL write above told nobody
      assert.equal((await getRun(outsider.token)).status, 200);
      assert.equal((await getIncident(outsider.token)).status, 200);
      assert.equal((await h.delete(`${API}/runs/${runId}/followers`, outsider.token)).status, 200);
      assert.equal((await getRun(outsider.token)).status, 403);
      assert.equal((await getIncident(outsider.token)).status, 403);
    });

    test('a revoked token stops working at once', async () => {
      const user = await h.user();
      const issued = await h.post(`/api/v4/users/${user.id}/tokens`, { description: 'short-lived' }, user.token);
      assert.equal(issued.status, 200, issued.text);
      assert.equal((await getRun(issued.body.token)).status, 200);
      assert.equal((await getRun(issued.body.token)).status, 200);
      assert.equal((await h.post('/api/v4/users/tokens/revoke', { token_id: issued.body.id }, user.token)).status, 200);
      assert.equal((await getRun(issued.body.token)).status, 401);
    });

    if (kind === 'postgres') {
      describe('two Muster processes on one PostgreSQL', () => {
        let other: Muster;
        before(async () => {
          other = await startMuster(h.muster.config, { runTimers: false });
        });
        after(async () => {
          await other.close();
        });
        const otherGet = (path: string, token: string) => fetch(other.url + path, { headers: { authorization: `Bearer ${token}` } });

        test('a change made through one is seen by the other once its notification arrives', async () => {
          const original = await (await otherGet(`${API}/runs/${runId}`, owner.token)).json();
          const notified = other.services.ctx.cache.feed.nextChange();
          const renamed = await h.request('POST', `${RPC}/IncidentsService.UpdateTitle`, { body: { incidentID: runId, title: `${original.name}!` }, token: owner.token });
          assert.equal(renamed.status, 200, renamed.text);
          await notified;
          const afterRead = await (await otherGet(`${API}/runs/${runId}`, owner.token)).json();
          assert.equal(afterRead.name, `${original.name}!`);
        });

        test('a token revoked through one is refused by the other', async () => {
          const user = await h.user();
          const issued = await h.post(`/api/v4/users/${user.id}/tokens`, { description: 'other process' }, user.token);
          assert.equal((await otherGet(`${API}/runs/${runId}`, issued.body.token)).status, 200);
          const notified = other.services.ctx.cache.feed.nextChange();
          assert.equal((await h.post('/api/v4/users/tokens/revoke', { token_id: issued.body.id }, user.token)).status, 200);
          await notified;
          assert.equal((await otherGet(`${API}/runs/${runId}`, issued.body.token)).status, 401);
        });

        test('while the listener is down nothing is served from memory, and it reconnects', async () => {
          const feed = other.services.ctx.cache.feed;
          await otherGet(`${API}/runs/${runId}`, owner.token); // cached
          const lost = feed.nextChange();
          await sql`select pg_terminate_backend(pid) from pg_stat_activity where query = 'LISTEN muster_changes'`.execute(h.ctx.db);
          await lost;
          assert.equal(feed.isLive, false);
          // A write the other process cannot hear about: its next read must still see it.
          const renamed = await h.request('POST', `${RPC}/IncidentsService.UpdateTitle`, { body: { incidentID: runId, title: 'Written while deaf' }, token: owner.token });
          assert.equal(renamed.status, 200, renamed.text);
          if (!feed.isLive) {
            const read = await (await otherGet(`${API}/runs/${runId}`, owner.token)).json();
            assert.equal(read.name, 'Written while deaf');
          }
          while (!feed.isLive) await feed.nextChange();
          const read = await (await otherGet(`${API}/runs/${runId}`, owner.token)).json();
          assert.equal(read.name, 'Written while deaf');
        });
      });
    }
  });
}

for (const kind of testDatabases()) {
  test(`${kind}: a cached GetIncident still shows the running duration of now`, async () => {
    const h = await startHarness(kind, { fakeClock: true });
    try {
      const created = await h.request('POST', `${RPC}/IncidentsService.CreateIncident`, { body: { title: 'Ticking', status: 'active' } });
      assert.equal(created.status, 200, created.text);
      const id = created.body.incident.incidentID;
      const duration = async () => (await h.request('POST', `${RPC}/IncidentsService.GetIncident`, { body: { incidentID: id } })).body.incident.durationSeconds;
      const first = await duration();
      assert.equal(await duration(), first);
      h.clock!.advance(5_000);
      assert.equal(await duration(), first + 5);
      h.clock!.advance(61_000);
      assert.equal(await duration(), first + 66);
    } finally {
      await h.close();
    }
  });
}
