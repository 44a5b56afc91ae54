import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { API, startHarness, testDatabases, type Harness } from '../helpers/harness.ts';


for (const kind of testDatabases()) {
  describe(`${kind}: runs`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(kind);
    });
    after(async () => {
      await h.close();
    });

    test('POST /runs creates a run with a channel, a checklist and a timeline event', async () => {
      const res = await h.post(`${API}/runs`, { name: 'Database down', owner_user_id: h.admin.id, team_id: h.teamId, description: 'primary lost' });
      assert.equal(res.status, 201);
      assert.equal(res.headers.get('content-type'), 'application/json');
      assert.equal(res.headers.get('location'), `/api/v0/runs/${res.body.id}`);
      assert.match(res.body.id, /^[a-z0-9]{26}$/);
      assert.equal(res.body.name, 'Database down');
      assert.equal(res.body.description, 'primary lost');
      assert.equal(res.body.current_status, 'InProgress');
      assert.equal(res.body.owner_user_id, h.admin.id);
      assert.equal(res.body.reporter_user_id, h.admin.id);
      assert.deepEqual(res.body.checklists.map((c: any) => c.title), ['Checklist']);
      assert.deepEqual(res.body.timeline_events.map((e: any) => e.event_type), ['incident_created']);
      assert.deepEqual(res.body.participant_ids, [h.admin.id]);
      assert.deepEqual(res.body.status_posts, []);
      const got = await h.get(`${API}/runs/${res.body.id}`);
      assert.equal(got.status, 200);
      assert.deepEqual(got.body, res.body);
    });

    test('GET /runs filters by repeated statuses and pages', async () => {
      const list = await h.get(`${API}/runs?team_id=${h.teamId}&statuses=InProgress&statuses=Finished&per_page=1&page=0`);
      assert.equal(list.status, 200);
      assert.equal(list.body.items.length, 1);
      assert.equal(typeof list.body.total_count, 'number');
      assert.equal(list.body.page_count, list.body.total_count);
    });

    test('bad input is a 400 naming the field, and nothing is written', async () => {
      const countBefore = (await h.get(`${API}/runs?team_id=${h.teamId}`)).body.total_count;
      const cases: Array<[unknown, RegExp]> = [
        [{ name: 'x', owner_user_id: h.admin.id, team_id: 'short' }, /team_id/],
        [{ name: 5, owner_user_id: h.admin.id, team_id: h.teamId }, /name/],
        [{ owner_user_id: h.admin.id, team_id: h.teamId }, /name/],
        [{ name: '   ', owner_user_id: h.admin.id, team_id: h.teamId }, /name/],
        ['{"name":', /JSON/],
      ];
      for (const [body, pattern] of cases) {
        const res = await h.post(`${API}/runs`, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.match(res.body.error, pattern);
        assert.equal(typeof res.body.details, 'string');
      }
      const afterCount = (await h.get(`${API}/runs?team_id=${h.teamId}`)).body.total_count;
      assert.equal(afterCount, countBefore);
    });

    test('an oversize body (over 1 MiB) is refused with a JSON 413, and nothing is written', async () => {
      const countBefore = (await h.get(`${API}/runs?team_id=${h.teamId}`)).body.total_count;
      const huge = { name: 'big', owner_user_id: h.admin.id, team_id: h.teamId, description: 'x'.repeat(1024 * 1024 + 10) };
      const res = await h.post(`${API}/runs`, huge);
      assert.equal(res.status, 413);
      assert.match(res.body.error, /1 MiB/);
      assert.equal(res.body.details, 'field: body');
      assert.equal((await h.get(`${API}/runs?team_id=${h.teamId}`)).body.total_count, countBefore);
    });

    test('no token or a bad token is a JSON 401', async () => {
      const none = await h.get(`${API}/runs`, null);
      assert.equal(none.status, 401);
      assert.ok(none.body.error && none.body.details);
      const bad = await h.get(`${API}/runs`, 'not-a-token');
      assert.equal(bad.status, 401);
    });

    test('an unknown run is a JSON 404', async () => {
      const res = await h.get(`${API}/runs/${'a'.repeat(26)}`);
      assert.equal(res.status, 404);
      assert.equal(res.body.error, 'Not found');
    });
  });
}
