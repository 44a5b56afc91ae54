import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newId } from '../../src/lib/ids.ts';
import { incidentsRepo } from '../../src/store/incidents.repo.ts';
import { API, startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';


for (const kind of testDatabases()) {
  describe(`${kind}: run lookups and the run dialog`, () => {
    let h: Harness;
    let alice: TestUser;
    let outsider: TestUser;
    let otherTeam: string;
    // Two runs in the default team (owners: admin, alice) and one in another team.
    let adminRun: any;
    let aliceRun: any;
    let foreignRun: any;

    before(async () => {
      h = await startHarness(kind, { fakeClock: true });
      alice = await h.user('alice');
      otherTeam = await h.team('elsewhere');
      outsider = await h.user('outsider', { team: otherTeam });
      adminRun = (await h.post(`${API}/runs`, { name: 'Admin run', owner_user_id: h.admin.id, team_id: h.teamId })).body;
      h.clock!.advance(1000);
      aliceRun = (await h.post(`${API}/runs`, { name: 'Alice run', owner_user_id: alice.id, team_id: h.teamId })).body;
      foreignRun = (await h.post(`${API}/runs`, { name: 'Foreign run', owner_user_id: outsider.id, team_id: otherTeam }, outsider.token)).body;
      assert.ok(adminRun.id && aliceRun.id && foreignRun.id);
      // A second checklist with two items on the admin's run, for autocomplete.
      const now = h.clock!.now();
      const [first] = await incidentsRepo.checklists(h.ctx.db, adminRun.id);
      const secondId = newId();
      await incidentsRepo.insertChecklist(h.ctx.db, { id: secondId, incident_id: adminRun.id, position: 1, title: 'Recovery' });
      const items: Array<[string, string]> = [
        [first!.id, 'Page the DBA'],
        [secondId, 'Restore backup'],
        [secondId, 'Verify data'],
      ];
      const positions = new Map<string, number>();
      for (const [checklistId, title] of items) {
        const position = positions.get(checklistId) ?? 0;
        positions.set(checklistId, position + 1);
        await incidentsRepo.insertItem(h.ctx.db, {
          id: newId(),
          checklist_id: checklistId,
          incident_id: adminRun.id,
          position,
          title,
          create_at: now,
          update_at: now,
        });
      }
    });
    after(async () => {
      await h.close();
    });

    test('GET /runs/owners lists the distinct owners of visible runs, never null', async () => {
      const res = await h.get(`${API}/runs/owners?team_id=${h.teamId}`, alice.token);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers.get('content-type'), 'application/json');
      assert.deepEqual(
        res.body,
        [
          { user_id: h.admin.id, username: h.admin.username, first_name: '', last_name: '', nickname: '' },
          { user_id: alice.id, username: 'alice', first_name: '', last_name: '', nickname: '' },
        ].sort((a, b) => a.username.localeCompare(b.username)),
      );
      const all = await h.get(`${API}/runs/owners`);
      assert.deepEqual(all.body.map((o: any) => o.user_id).sort(), [h.admin.id, alice.id, outsider.id].sort());
      const mine = await h.get(`${API}/runs/owners`, outsider.token);
      assert.deepEqual(mine.body.map((o: any) => o.user_id), [outsider.id]);
      const none = await h.get(`${API}/runs/owners?team_id=${h.teamId}`, outsider.token);
      assert.equal(none.status, 200);
      assert.deepEqual(none.body, []);
      assert.equal((await h.get(`${API}/runs/owners?team_id=short`)).status, 400);
      assert.equal((await h.get(`${API}/runs/owners`, null)).status, 401);
    });

    test('GET /runs/channels returns the bare channel ids with the GET /runs filters', async () => {
      const res = await h.get(`${API}/runs/channels?team_id=${h.teamId}`);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, [adminRun.channel_id, aliceRun.channel_id]);
      const statusAll = await h.get(`${API}/runs/channels?team_id=${h.teamId}&status=all`);
      assert.deepEqual(statusAll.body, [adminRun.channel_id, aliceRun.channel_id]);
      const finished = await h.get(`${API}/runs/channels?team_id=${h.teamId}&statuses=Finished`);
      assert.deepEqual(finished.body, []);
      const finishedSingular = await h.get(`${API}/runs/channels?team_id=${h.teamId}&status=Finished`);
      assert.deepEqual(finishedSingular.body, []);
      const paged = await h.get(`${API}/runs/channels?team_id=${h.teamId}&per_page=1&page=1&direction=asc`);
      assert.deepEqual(paged.body, [aliceRun.channel_id]);
      const owned = await h.get(`${API}/runs/channels?owner_user_id=me`, alice.token);
      assert.deepEqual(owned.body, [aliceRun.channel_id]);
      const badSort = await h.get(`${API}/runs/channels?sort=nonsense`);
      assert.equal(badSort.status, 400);
      assert.match(badSort.body.error, /sort/);
      const badStatus = await h.get(`${API}/runs/channels?status=Sleeping`);
      assert.equal(badStatus.status, 400);
      assert.match(badStatus.body.error, /status/);
      assert.equal((await h.get(`${API}/runs/channels`, null)).status, 401);
    });

    test('GET /runs/checklist-autocomplete lists checklists; -item lists items', async () => {
      const lists = await h.get(`${API}/runs/checklist-autocomplete?channel_id=${adminRun.channel_id}`, alice.token);
      assert.equal(lists.status, 200, lists.text);
      assert.deepEqual(lists.body, [
        { item: '0', hint: '"Checklist"', helptext: '' },
        { item: '1', hint: '"Recovery"', helptext: '' },
      ]);
      const spec = await h.get(`${API}/runs/checklist-autocomplete?channel_ID=${adminRun.channel_id}`);
      assert.deepEqual(spec.body, lists.body);
      const items = await h.get(`${API}/runs/checklist-autocomplete-item?channel_id=${adminRun.channel_id}`);
      assert.equal(items.status, 200);
      assert.deepEqual(items.body, [
        { item: '0 0', hint: 'Page the DBA', helptext: '' },
        { item: '1 0', hint: 'Restore backup', helptext: '' },
        { item: '1 1', hint: 'Verify data', helptext: '' },
      ]);
      const empty = await h.get(`${API}/runs/checklist-autocomplete-item?channel_id=${aliceRun.channel_id}`);
      assert.deepEqual(empty.body, []);

      for (const path of ['checklist-autocomplete', 'checklist-autocomplete-item']) {
        const missing = await h.get(`${API}/runs/${path}`);
        assert.equal(missing.status, 400);
        assert.match(missing.body.error, /channel_id/);
        const malformed = await h.get(`${API}/runs/${path}?channel_id=short`);
        assert.equal(malformed.status, 400);
        assert.match(malformed.body.error, /channel_id/);
        const noRun = await h.get(`${API}/runs/${path}?channel_id=${'b'.repeat(26)}`);
        assert.equal(noRun.status, 404);
        const forbidden = await h.get(`${API}/runs/${path}?channel_id=${adminRun.channel_id}`, outsider.token);
        assert.equal(forbidden.status, 403);
        assert.equal((await h.get(`${API}/runs/${path}?channel_id=${adminRun.channel_id}`, null)).status, 401);
      }
    });

    test('GET /runs/channel/{channel_id} returns the run, and hides it from those who cannot see it', async () => {
      const res = await h.get(`${API}/runs/channel/${aliceRun.channel_id}`, alice.token);
      assert.equal(res.status, 200, res.text);
      const direct = await h.get(`${API}/runs/${aliceRun.id}`, alice.token);
      assert.deepEqual(res.body, direct.body);
      const hidden = await h.get(`${API}/runs/channel/${aliceRun.channel_id}`, outsider.token);
      assert.equal(hidden.status, 404);
      assert.equal(hidden.body.error, 'Not found');
      const noRun = await h.get(`${API}/runs/channel/${'c'.repeat(26)}`);
      assert.equal(noRun.status, 404);
      assert.equal(noRun.body.error, 'Not found');
      assert.equal((await h.get(`${API}/runs/channel/short`)).status, 400);
      assert.equal((await h.get(`${API}/runs/channel/${aliceRun.channel_id}`, null)).status, 401);
    });

    test('static paths are not taken for run ids', async () => {
      for (const path of ['owners', 'channels', 'checklist-autocomplete-item?channel_id=' + adminRun.channel_id]) {
        const res = await h.get(`${API}/runs/${path}`);
        assert.equal(res.status, 200, `${path}: ${res.text}`);
        assert.ok(Array.isArray(res.body), path);
      }
      // The other prefixes serve the same routes.
      assert.equal((await h.get(`/api/v0/runs/owners`)).status, 200);
      assert.equal((await h.get(`/plugins/com.mattermost.plugin-incident-management/api/v0/runs/channels`)).status, 200);
    });

    test('POST /runs/dialog starts a run owned by the caller: 201, no body, Location', async () => {
      const res = await h.post(
        `${API}/runs/dialog`,
        {
          type: 'dialog_submission',
          callback_id: '',
          user_id: alice.id,
          team_id: h.teamId,
          channel_id: adminRun.channel_id,
          state: JSON.stringify({ post_id: '', client_id: 'abc' }),
          cancelled: false,
          submission: { playbookID: '', playbookRunName: '  Dialog run  ', playbookRunDescription: 'from the dialog' },
        },
        alice.token,
      );
      assert.equal(res.status, 201, res.text);
      assert.equal(res.text, '');
      const location = res.headers.get('location');
      assert.match(location ?? '', /^\/api\/v0\/runs\/[a-z0-9]{26}$/);
      const run = await h.get(location!, alice.token);
      assert.equal(run.status, 200);
      assert.equal(run.body.name, 'Dialog run');
      assert.equal(run.body.summary, 'from the dialog');
      assert.equal(run.body.owner_user_id, alice.id);
      assert.equal(run.body.reporter_user_id, alice.id);
      assert.equal(run.body.team_id, h.teamId);
      assert.notEqual(run.body.channel_id, adminRun.channel_id, 'the dialog channel is where it was opened, not the run channel');
    });

    test('POST /runs/dialog errors: a bad name is a dialog error; the rest are 400/401/404', async () => {
      const countBefore = (await h.get(`${API}/runs?team_id=${h.teamId}`)).body.total_count;
      const base = { user_id: alice.id, team_id: h.teamId, state: '', submission: { playbookID: '', playbookRunName: 'x' } };
      const blank = await h.post(`${API}/runs/dialog`, { ...base, submission: { playbookRunName: '   ' } }, alice.token);
      assert.equal(blank.status, 200);
      assert.match(blank.body.errors.playbookRunName, /name/);
      const tooLong = await h.post(`${API}/runs/dialog`, { ...base, submission: { playbookRunName: 'n'.repeat(300) } }, alice.token);
      assert.equal(tooLong.status, 200);
      assert.ok(tooLong.body.errors.playbookRunName);
      const cases: Array<[unknown, number, RegExp]> = [
        [{ ...base, user_id: h.admin.id }, 400, /user_id/],
        [{ ...base, state: '{not json' }, 400, /state/],
        [{ ...base, state: '"just a string"' }, 400, /state/],
        [{ ...base, state: JSON.stringify({ post_id: 'nope' }) }, 400, /post_id/],
        [{ ...base, submission: undefined }, 400, /submission/],
        [{ ...base, submission: { playbookID: 'short', playbookRunName: 'x' } }, 400, /playbookID/],
        [{ ...base, team_id: '' }, 400, /team_id/],
        [{ ...base, user_id: 5 }, 400, /user_id/],
        [{ ...base, submission: { playbookID: 'd'.repeat(26), playbookRunName: 'x' } }, 404, /playbook/],
      ];
      for (const [body, status, pattern] of cases) {
        const res = await h.post(`${API}/runs/dialog`, body, alice.token);
        assert.equal(res.status, status, `${JSON.stringify(body)}: ${res.text}`);
        assert.match(res.body.error, pattern);
      }
      assert.equal((await h.post(`${API}/runs/dialog`, base, null)).status, 401);
      const outsiderRes = await h.post(`${API}/runs/dialog`, { ...base, user_id: outsider.id }, outsider.token);
      assert.equal(outsiderRes.status, 403);
      const countAfter = (await h.get(`${API}/runs?team_id=${h.teamId}`)).body.total_count;
      assert.equal(countAfter, countBefore);
    });
  });
}
