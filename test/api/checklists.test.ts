import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { API, startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';

const UNKNOWN_ID = 'a'.repeat(26);

for (const kind of testDatabases()) {
  describe(`${kind}: checklists and items`, () => {
    let h: Harness;
    let outsider: TestUser;
    let member: TestUser;

    before(async () => {
      h = await startHarness(kind, { fakeClock: true });
      outsider = await h.user(undefined, { team: await h.team() });
      member = await h.user();
    });
    after(async () => {
      await h.close();
    });

    async function newRun(): Promise<string> {
      const res = await h.post(`${API}/runs`, { name: 'Checklist drill', owner_user_id: h.admin.id, team_id: h.teamId });
      assert.equal(res.status, 201);
      return res.body.id;
    }
    async function getRun(id: string) {
      const res = await h.get(`${API}/runs/${id}`);
      assert.equal(res.status, 200);
      return res.body;
    }
    async function addItems(id: string, titles: string[], checklist = 0): Promise<void> {
      for (const title of titles) {
        const res = await h.post(`${API}/runs/${id}/checklists/${checklist}/add`, { title });
        assert.equal(res.status, 201, res.text);
      }
    }
    const titles = (run: any, checklist = 0) => run.checklists[checklist].items.map((i: any) => i.title);
    const eventsOf = (run: any, type: string) => run.timeline_events.filter((e: any) => e.event_type === type);
    async function positions(id: string) {
      const rows = await h.ctx.db
        .selectFrom('checklist_items')
        .innerJoin('checklists', 'checklists.id', 'checklist_items.checklist_id')
        .select(['checklists.position as list', 'checklist_items.position as item'])
        .where('checklist_items.incident_id', '=', id)
        .orderBy('checklists.position')
        .orderBy('checklist_items.position')
        .execute();
      const byList = new Map<number, number[]>();
      for (const row of rows) byList.set(row.list, [...(byList.get(row.list) ?? []), row.item]);
      return [...byList.values()];
    }
    /** Sends a request that must fail with `status` and leave the run exactly as it was. */
    async function rejects(id: string, method: string, path: string, body: unknown, status: number, field?: RegExp, token?: string) {
      const snapshot = await getRun(id);
      const res = await h.request(method, `${API}/runs/${id}${path}`, { body, token });
      assert.equal(res.status, status, `${method} ${path} ${JSON.stringify(body)}: ${res.text}`);
      assert.equal(typeof res.body.error, 'string');
      if (field) assert.match(`${res.body.error} ${res.body.details}`, field);
      assert.deepEqual(await getRun(id), snapshot, `${method} ${path} wrote something`);
    }

    test('POST and PUT add append items (201, no body), trimmed, with a task_added event', async () => {
      const id = await newRun();
      const post = await h.post(`${API}/runs/${id}/checklists/0/add`, { title: '  Page the DBA  ', description: 'call', command: '/echo hi' });
      assert.equal(post.status, 201);
      assert.equal(post.text, '');
      const put = await h.put(`${API}/runs/${id}/checklists/0/add`, {
        title: 'Failover',
        state: 'closed',
        assignee_id: member.id,
        due_date: 5,
        // Fields a full ChecklistItem carries are accepted and ignored.
        id: '',
        state_modified: 1,
        command_last_run: 0,
        delete_at: 0,
      });
      assert.equal(put.status, 201, put.text);
      const run = await getRun(id);
      const [first, second] = run.checklists[0].items;
      assert.equal(first.title, 'Page the DBA');
      assert.equal(first.description, 'call');
      assert.equal(first.command, '/echo hi');
      assert.equal(first.state, '');
      assert.equal(first.state_modified, 0);
      assert.match(first.id, /^[a-z0-9]{26}$/);
      assert.equal(second.state, 'closed');
      assert.equal(second.state_modified, h.clock!.now());
      assert.equal(second.assignee_id, member.id);
      assert.equal(second.assignee_modified, h.clock!.now());
      assert.equal(second.due_date, 5);
      assert.notEqual(second.id, '');
      const added = eventsOf(run, 'task_added');
      assert.equal(added.length, 2);
      assert.equal(added[0].summary, 'added checklist item **Page the DBA** to **Checklist**');
      assert.equal(added[0].creator_user_id, h.admin.id);
      assert.deepEqual(await positions(id), [[0, 1]]);
    });

    test('add: bad body or index is a 400 naming the field, nothing written', async () => {
      const id = await newRun();
      await addItems(id, ['one']);
      await rejects(id, 'POST', '/checklists/0/add', { title: '   ' }, 400, /title/);
      await rejects(id, 'POST', '/checklists/0/add', {}, 400, /title/);
      await rejects(id, 'POST', '/checklists/0/add', { title: 7 }, 400, /title/);
      await rejects(id, 'POST', '/checklists/0/add', { title: 'x', state: 'done' }, 400, /state/);
      await rejects(id, 'POST', '/checklists/0/add', { title: 'x', assignee_id: 'nobody' }, 400, /assignee_id/);
      await rejects(id, 'POST', '/checklists/0/add', { title: 'x', assignee_id: UNKNOWN_ID }, 400, /assignee_id/);
      await rejects(id, 'POST', '/checklists/0/add', { title: 'x', due_date: '5' }, 400, /due_date/);
      await rejects(id, 'POST', '/checklists/1/add', { title: 'x' }, 400, /checklist/);
      await rejects(id, 'POST', '/checklists/abc/add', { title: 'x' }, 400, /checklist/);
      await rejects(id, 'POST', '/checklists/-1/add', { title: 'x' }, 400, /checklist/);
      await rejects(id, 'POST', '/checklists/0/add', '{"title":', 400, /JSON/);
    });

    test('reorder moves an item inside its checklist; out of range is a 400', async () => {
      const id = await newRun();
      await addItems(id, ['a', 'b', 'c']);
      const ids = (await getRun(id)).checklists[0].items.map((i: any) => i.id);
      const res = await h.put(`${API}/runs/${id}/checklists/0/reorder`, { item_num: 0, new_location: 2 });
      assert.equal(res.status, 200);
      assert.equal(res.text, '');
      const run = await getRun(id);
      assert.deepEqual(titles(run), ['b', 'c', 'a']);
      assert.deepEqual(run.checklists[0].items.map((i: any) => i.id), [ids[1], ids[2], ids[0]]);
      assert.deepEqual(await positions(id), [[0, 1, 2]]);
      assert.equal(eventsOf(run, 'checklist_changed').length, 1);
      await rejects(id, 'PUT', '/checklists/0/reorder', { item_num: 3, new_location: 0 }, 400, /item_num/);
      await rejects(id, 'PUT', '/checklists/0/reorder', { item_num: 0, new_location: 3 }, 400, /new_location/);
      await rejects(id, 'PUT', '/checklists/0/reorder', { item_num: -1, new_location: 0 }, 400, /item_num/);
      await rejects(id, 'PUT', '/checklists/0/reorder', { item_num: 0 }, 400, /new_location/);
      await rejects(id, 'PUT', '/checklists/4/reorder', { item_num: 0, new_location: 1 }, 400, /checklist/);
    });

    test('PUT item updates title, command and description with a task_updated event; no change is a no-op', async () => {
      const id = await newRun();
      await addItems(id, ['old']);
      const res = await h.put(`${API}/runs/${id}/checklists/0/item/0`, { title: ' new ', command: '/run', description: 'd' });
      assert.equal(res.status, 200);
      assert.equal(res.text, '');
      let run = await getRun(id);
      assert.deepEqual(
        [run.checklists[0].items[0].title, run.checklists[0].items[0].command, run.checklists[0].items[0].description],
        ['new', '/run', 'd'],
      );
      assert.deepEqual(eventsOf(run, 'task_updated').map((e: any) => e.summary), ['renamed checklist item **old** to **new**']);
      const same = await h.put(`${API}/runs/${id}/checklists/0/item/0`, { title: 'new', command: '/run' });
      assert.equal(same.status, 200);
      run = await getRun(id);
      assert.equal(eventsOf(run, 'task_updated').length, 1);
      assert.equal(run.checklists[0].items[0].description, 'd', 'an absent description is kept');
      await rejects(id, 'PUT', '/checklists/0/item/0', { title: '  ', command: '' }, 400, /title/);
      await rejects(id, 'PUT', '/checklists/0/item/0', { command: '' }, 400, /title/);
      await rejects(id, 'PUT', '/checklists/0/item/1', { title: 'x', command: '' }, 400, /item/);
      await rejects(id, 'PUT', '/checklists/1/item/0', { title: 'x', command: '' }, 400, /checklist/);
    });

    test('DELETE item removes it (204), keeps positions dense, records task_deleted', async () => {
      const id = await newRun();
      await addItems(id, ['a', 'b', 'c']);
      const res = await h.delete(`${API}/runs/${id}/checklists/0/item/1`);
      assert.equal(res.status, 204);
      const run = await getRun(id);
      assert.deepEqual(titles(run), ['a', 'c']);
      assert.deepEqual(await positions(id), [[0, 1]]);
      assert.deepEqual(eventsOf(run, 'task_deleted').map((e: any) => e.summary), ['deleted checklist item **b** from **Checklist**']);
      await rejects(id, 'DELETE', '/checklists/0/item/2', undefined, 400, /item/);
      await rejects(id, 'DELETE', '/checklists/3/item/0', undefined, 400, /checklist/);
    });

    test('item state: every transition has its summary; the same state is a no-op', async () => {
      const id = await newRun();
      await addItems(id, ['Restart']);
      const path = `${API}/runs/${id}/checklists/0/item/0/state`;
      const steps: Array<[string, string]> = [
        ['closed', 'checked off checklist item **Restart**'],
        ['', 'unchecked checklist item **Restart**'],
        ['in_progress', 'unchecked checklist item **Restart**'],
        ['skipped', 'skipped checklist item **Restart**'],
        ['', 'restored checklist item **Restart**'],
      ];
      for (const [state] of steps) {
        h.clock!.advance(1000);
        const res = await h.put(path, { new_state: state });
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, {});
        assert.equal(res.headers.get('content-type'), 'application/json');
        const item = (await getRun(id)).checklists[0].items[0];
        assert.equal(item.state, state);
        assert.equal(item.state_modified, h.clock!.now());
      }
      const same = await h.put(path, { new_state: '' });
      assert.equal(same.status, 200);
      const run = await getRun(id);
      const events = eventsOf(run, 'task_state_modified');
      assert.deepEqual(events.map((e: any) => e.summary), steps.map(([, summary]) => summary));
      assert.equal(events[0].subject_user_id, h.admin.id);
      await rejects(id, 'PUT', '/checklists/0/item/0/state', { new_state: 'done' }, 400, /new_state/);
      await rejects(id, 'PUT', '/checklists/0/item/0/state', { new_state: 1 }, 400, /new_state/);
      await rejects(id, 'PUT', '/checklists/0/item/0/state', {}, 400, /new_state/);
      await rejects(id, 'PUT', '/checklists/0/item/1/state', { new_state: 'closed' }, 400, /item/);
      await rejects(id, 'PUT', '/checklists/2/item/0/state', { new_state: 'closed' }, 400, /checklist/);
    });

    test('item assignee: set, change, unassign with summaries; same value no-op; unknown user 400', async () => {
      const id = await newRun();
      await addItems(id, ['Call vendor']);
      const path = `${API}/runs/${id}/checklists/0/item/0/assignee`;
      h.clock!.advance(1000);
      const set = await h.put(path, { assignee_id: member.id });
      assert.equal(set.status, 200);
      assert.deepEqual(set.body, {});
      let item = (await getRun(id)).checklists[0].items[0];
      assert.equal(item.assignee_id, member.id);
      assert.equal(item.assignee_modified, h.clock!.now());
      assert.equal((await h.put(path, { assignee_id: member.id })).status, 200);
      assert.equal((await h.put(path, { assignee_id: h.admin.id })).status, 200);
      assert.equal((await h.put(path, { assignee_id: '' })).status, 200);
      const run = await getRun(id);
      item = run.checklists[0].items[0];
      assert.equal(item.assignee_id, '');
      assert.deepEqual(eventsOf(run, 'assignee_changed').map((e: any) => e.summary), [
        `changed assignee of checklist item **Call vendor** from **No Assignee** to **@${member.username}**`,
        `changed assignee of checklist item **Call vendor** from **@${member.username}** to **@${h.admin.username}**`,
        `changed assignee of checklist item **Call vendor** from **@${h.admin.username}** to **No Assignee**`,
      ]);
      await rejects(id, 'PUT', '/checklists/0/item/0/assignee', { assignee_id: UNKNOWN_ID }, 400, /assignee_id/);
      await rejects(id, 'PUT', '/checklists/0/item/0/assignee', { assignee_id: 'short' }, 400, /assignee_id/);
      await rejects(id, 'PUT', '/checklists/0/item/0/assignee', {}, 400, /assignee_id/);
      await rejects(id, 'PUT', '/checklists/0/item/5/assignee', { assignee_id: member.id }, 400, /item/);
    });

    test('item skip and restore set the state and the skipped time (delete_at)', async () => {
      const id = await newRun();
      await addItems(id, ['Optional']);
      h.clock!.advance(1000);
      const skipped = await h.put(`${API}/runs/${id}/checklists/0/item/0/skip`);
      assert.equal(skipped.status, 200);
      let item = (await getRun(id)).checklists[0].items[0];
      assert.equal(item.state, 'skipped');
      assert.equal(item.delete_at, h.clock!.now());
      const skippedAt = h.clock!.now();
      h.clock!.advance(1000);
      const restored = await h.put(`${API}/runs/${id}/checklists/0/item/0/restore`);
      assert.equal(restored.status, 200);
      const run = await getRun(id);
      item = run.checklists[0].items[0];
      assert.equal(item.state, '');
      assert.equal(item.delete_at, skippedAt, 'the last-skipped time survives a restore, as in Playbooks');
      assert.deepEqual(eventsOf(run, 'task_state_modified').map((e: any) => e.summary), [
        'skipped checklist item **Optional**',
        'restored checklist item **Optional**',
      ]);
      await rejects(id, 'PUT', '/checklists/0/item/1/skip', undefined, 400, /item/);
      await rejects(id, 'PUT', '/checklists/1/item/0/restore', undefined, 400, /checklist/);
    });

    test('POST /checklists creates a checklist with items; blank titles are 400s', async () => {
      const id = await newRun();
      const res = await h.post(`${API}/runs/${id}/checklists`, {
        id: '',
        title: ' Recovery ',
        items: [{ title: 'Restore backup' }, { title: 'Verify', state: 'in_progress', assignee_id: member.id }],
      });
      assert.equal(res.status, 201, res.text);
      // The Go client sends `"items": null` for a checklist without items.
      assert.equal((await h.post(`${API}/runs/${id}/checklists`, { id: '', title: 'Empty', items: null })).status, 201);
      assert.equal((await h.post(`${API}/runs/${id}/checklists`, { title: 'Bare' })).status, 201);
      const run = await getRun(id);
      assert.deepEqual(run.checklists.map((c: any) => c.title), ['Checklist', 'Recovery', 'Empty', 'Bare']);
      assert.deepEqual(titles(run, 1), ['Restore backup', 'Verify']);
      assert.equal(run.checklists[1].items[1].state, 'in_progress');
      assert.deepEqual(run.checklists[2].items, []);
      assert.deepEqual(eventsOf(run, 'checklist_changed').map((e: any) => e.summary), [
        'added checklist **Recovery**',
        'added checklist **Empty**',
        'added checklist **Bare**',
      ]);
      const lists = await h.ctx.db.selectFrom('checklists').select('position').where('incident_id', '=', id).orderBy('position').execute();
      assert.deepEqual(lists.map((l) => l.position), [0, 1, 2, 3]);
      await rejects(id, 'POST', '/checklists', { title: '  ' }, 400, /title/);
      await rejects(id, 'POST', '/checklists', {}, 400, /title/);
      await rejects(id, 'POST', '/checklists', { title: 'x', items: [{ title: 'ok' }, { title: ' ' }] }, 400, /items\.1\.title/);
      await rejects(id, 'POST', '/checklists', { title: 'x', items: [{ title: 'ok', assignee_id: UNKNOWN_ID }] }, 400, /items\.0\.assignee_id/);
      await rejects(id, 'POST', '/checklists', { title: 'x', items: 'none' }, 400, /items/);
    });

    test('rename accepts title and the Go client\'s Title; blank, missing or out of range is a 400', async () => {
      const id = await newRun();
      const lower = await h.put(`${API}/runs/${id}/checklists/0/rename`, { title: 'Triage' });
      assert.equal(lower.status, 200);
      assert.equal((await getRun(id)).checklists[0].title, 'Triage');
      const upper = await h.put(`${API}/runs/${id}/checklists/0/rename`, { Title: 'Mitigation' });
      assert.equal(upper.status, 200);
      const run = await getRun(id);
      assert.equal(run.checklists[0].title, 'Mitigation');
      assert.deepEqual(eventsOf(run, 'checklist_changed').map((e: any) => e.summary), [
        'renamed checklist **Checklist** to **Triage**',
        'renamed checklist **Triage** to **Mitigation**',
      ]);
      await rejects(id, 'PUT', '/checklists/0/rename', { title: ' ' }, 400, /title/);
      await rejects(id, 'PUT', '/checklists/0/rename', {}, 400, /title/);
      await rejects(id, 'PUT', '/checklists/0/rename', { title: 3 }, 400, /title/);
      await rejects(id, 'PUT', '/checklists/1/rename', { title: 'x' }, 400, /checklist/);
    });

    test('DELETE checklist removes it and its items; positions stay dense', async () => {
      const id = await newRun();
      await addItems(id, ['a']);
      for (const title of ['B', 'C']) assert.equal((await h.post(`${API}/runs/${id}/checklists`, { title, items: [{ title: `${title}1` }] })).status, 201);
      const res = await h.delete(`${API}/runs/${id}/checklists/1`);
      assert.equal(res.status, 204);
      const run = await getRun(id);
      assert.deepEqual(run.checklists.map((c: any) => c.title), ['Checklist', 'C']);
      assert.deepEqual(await positions(id), [[0], [0]]);
      const lists = await h.ctx.db.selectFrom('checklists').select('position').where('incident_id', '=', id).orderBy('position').execute();
      assert.deepEqual(lists.map((l) => l.position), [0, 1]);
      const orphans = await h.ctx.db.selectFrom('checklist_items').select('id').where('incident_id', '=', id).execute();
      assert.equal(orphans.length, 2);
      assert.equal(eventsOf(run, 'checklist_changed').at(-1).summary, 'removed checklist **B**');
      await rejects(id, 'DELETE', '/checklists/2', undefined, 400, /checklist/);
    });

    test('move checklist and move-item keep ids and dense positions; bad indices are 400s', async () => {
      const id = await newRun();
      await addItems(id, ['a0', 'a1', 'a2']);
      assert.equal((await h.post(`${API}/runs/${id}/checklists`, { title: 'B', items: [{ title: 'b0' }] })).status, 201);
      assert.equal((await h.post(`${API}/runs/${id}/checklists`, { title: 'C' })).status, 201);
      const moved = await h.post(`${API}/runs/${id}/checklists/move`, { source_checklist_idx: 2, dest_checklist_idx: 0 });
      assert.equal(moved.status, 200);
      let run = await getRun(id);
      assert.deepEqual(run.checklists.map((c: any) => c.title), ['C', 'Checklist', 'B']);
      const a1 = run.checklists[1].items[1];
      // Across checklists: a1 goes to the end of B (one past its last item).
      const across = await h.post(`${API}/runs/${id}/checklists/move-item`, {
        source_checklist_idx: 1,
        source_item_idx: 1,
        dest_checklist_idx: 2,
        dest_item_idx: 1,
      });
      assert.equal(across.status, 200);
      run = await getRun(id);
      assert.deepEqual(titles(run, 1), ['a0', 'a2']);
      assert.deepEqual(titles(run, 2), ['b0', 'a1']);
      assert.deepEqual(run.checklists[2].items[1], a1, 'the moved item keeps its id and fields');
      // Within one checklist.
      const within = await h.post(`${API}/runs/${id}/checklists/move-item`, {
        source_checklist_idx: 2,
        source_item_idx: 1,
        dest_checklist_idx: 2,
        dest_item_idx: 0,
      });
      assert.equal(within.status, 200);
      run = await getRun(id);
      assert.deepEqual(titles(run, 2), ['a1', 'b0']);
      assert.deepEqual(await positions(id), [[0, 1], [0, 1]]);
      assert.deepEqual(eventsOf(run, 'checklist_changed').slice(-3).map((e: any) => e.summary), [
        'moved checklist **C** from position 3 to 1',
        'moved checklist item **a1** from **Checklist** to **B**',
        'moved checklist item **a1** within **B**',
      ]);
      const base = { source_checklist_idx: 1, source_item_idx: 0, dest_checklist_idx: 2, dest_item_idx: 0 };
      await rejects(id, 'POST', '/checklists/move', { source_checklist_idx: 3, dest_checklist_idx: 0 }, 400, /source_checklist_idx/);
      await rejects(id, 'POST', '/checklists/move', { source_checklist_idx: 0, dest_checklist_idx: 3 }, 400, /dest_checklist_idx/);
      await rejects(id, 'POST', '/checklists/move', { source_checklist_idx: 0 }, 400, /dest_checklist_idx/);
      await rejects(id, 'POST', '/checklists/move-item', { ...base, source_checklist_idx: 3 }, 400, /source_checklist_idx/);
      await rejects(id, 'POST', '/checklists/move-item', { ...base, source_item_idx: 2 }, 400, /source_item_idx/);
      await rejects(id, 'POST', '/checklists/move-item', { ...base, dest_checklist_idx: 9 }, 400, /dest_checklist_idx/);
      await rejects(id, 'POST', '/checklists/move-item', { ...base, dest_item_idx: 3 }, 400, /dest_item_idx/);
      await rejects(id, 'POST', '/checklists/move-item', { ...base, dest_checklist_idx: 1, dest_item_idx: 2 }, 400, /dest_item_idx/);
      await rejects(id, 'POST', '/checklists/move-item', { ...base, dest_item_idx: '0' }, 400, /dest_item_idx/);
    });

    test('checklist skip skips every item; restore reopens the skipped ones', async () => {
      const id = await newRun();
      await addItems(id, ['a', 'b', 'c']);
      assert.equal((await h.put(`${API}/runs/${id}/checklists/0/item/0/state`, { new_state: 'closed' })).status, 200);
      h.clock!.advance(1000);
      const skip = await h.put(`${API}/runs/${id}/checklists/0/skip`);
      assert.equal(skip.status, 200);
      let run = await getRun(id);
      assert.deepEqual(run.checklists[0].items.map((i: any) => i.state), ['skipped', 'skipped', 'skipped']);
      assert.deepEqual(run.checklists[0].items.map((i: any) => i.delete_at), [1, 2, 3].map(() => h.clock!.now()));
      assert.equal((await h.put(`${API}/runs/${id}/checklists/0/item/1/state`, { new_state: 'closed' })).status, 200);
      const restore = await h.put(`${API}/runs/${id}/checklists/0/restore`);
      assert.equal(restore.status, 200);
      run = await getRun(id);
      assert.deepEqual(run.checklists[0].items.map((i: any) => i.state), ['', 'closed', '']);
      const eventsBefore = run.timeline_events.length;
      assert.equal((await h.put(`${API}/runs/${id}/checklists/0/restore`)).status, 200);
      assert.equal((await getRun(id)).timeline_events.length, eventsBefore, 'nothing to restore: no event');
      assert.deepEqual(eventsOf(run, 'checklist_changed').map((e: any) => e.summary), ['skipped checklist **Checklist**', 'restored checklist **Checklist**']);
      await rejects(id, 'PUT', '/checklists/1/skip', undefined, 400, /checklist/);
      await rejects(id, 'PUT', '/checklists/1/restore', undefined, 400, /checklist/);
    });

    test('DELETE timeline event, with and without the trailing slash; unknown event 404', async () => {
      const id = await newRun();
      await addItems(id, ['a', 'b']);
      const [created, first, second] = (await getRun(id)).timeline_events;
      const versionOf = async () =>
        (await h.ctx.db.selectFrom('incidents').select(['version', 'last_event_seq']).where('id', '=', id).executeTakeFirstOrThrow());
      const initial = await versionOf();
      const plain = await h.delete(`${API}/runs/${id}/timeline/${first.id}`);
      assert.equal(plain.status, 204);
      const slash = await h.delete(`${API}/runs/${id}/timeline/${second.id}/`);
      assert.equal(slash.status, 204);
      const run = await getRun(id);
      assert.deepEqual(run.timeline_events.map((e: any) => e.id), [created.id]);
      const afterDelete = await versionOf();
      assert.equal(afterDelete.version, initial.version + 2, 'each deletion is a change of the run');
      assert.equal(afterDelete.last_event_seq, initial.last_event_seq, 'a deletion appends no event');
      const row = await h.ctx.db.selectFrom('timeline_events').select('delete_at').where('id', '=', first.id).executeTakeFirstOrThrow();
      assert.equal(row.delete_at, h.clock!.now());
      await rejects(id, 'DELETE', `/timeline/${first.id}`, undefined, 404, /Not found/);
      await rejects(id, 'DELETE', `/timeline/${UNKNOWN_ID}`, undefined, 404, /Not found/);
      await rejects(id, 'DELETE', '/timeline/not-an-id', undefined, 400, /event_id/);
      const other = await newRun();
      const otherEvent = (await getRun(other)).timeline_events[0];
      await rejects(id, 'DELETE', `/timeline/${otherEvent.id}`, undefined, 404, /Not found/);
    });

    test('every endpoint: 403 for a user outside the team, 404 for an unknown run, 401 without a token', async () => {
      const id = await newRun();
      await addItems(id, ['a', 'b']);
      assert.equal((await h.post(`${API}/runs/${id}/checklists`, { title: 'Second', items: [{ title: 'c' }] })).status, 201);
      const eventId = (await getRun(id)).timeline_events[1].id;
      const calls: Array<[string, string, unknown]> = [
        ['POST', '/checklists/0/add', { title: 'x' }],
        ['PUT', '/checklists/0/add', { title: 'x' }],
        ['PUT', '/checklists/0/reorder', { item_num: 0, new_location: 1 }],
        ['PUT', '/checklists/0/item/0', { title: 'x', command: '' }],
        ['DELETE', '/checklists/0/item/0', undefined],
        ['PUT', '/checklists/0/item/0/state', { new_state: 'closed' }],
        ['PUT', '/checklists/0/item/0/assignee', { assignee_id: member.id }],
        ['PUT', '/checklists/0/item/0/skip', undefined],
        ['PUT', '/checklists/0/item/0/restore', undefined],
        ['POST', '/checklists', { title: 'x' }],
        ['DELETE', '/checklists/0', undefined],
        ['PUT', '/checklists/0/rename', { title: 'x' }],
        ['POST', '/checklists/move', { source_checklist_idx: 0, dest_checklist_idx: 1 }],
        ['POST', '/checklists/move-item', { source_checklist_idx: 0, source_item_idx: 0, dest_checklist_idx: 1, dest_item_idx: 0 }],
        ['PUT', '/checklists/0/skip', undefined],
        ['PUT', '/checklists/0/restore', undefined],
        ['DELETE', `/timeline/${eventId}`, undefined],
      ];
      for (const [method, path, body] of calls) {
        await rejects(id, method, path, body, 403, undefined, outsider.token);
        const unknown = await h.request(method, `${API}/runs/${UNKNOWN_ID}${path}`, { body });
        assert.equal(unknown.status, 404, `${method} ${path}`);
        assert.equal(unknown.body.error, 'Not found');
        const anonymous = await h.request(method, `${API}/runs/${id}${path}`, { body, token: null });
        assert.equal(anonymous.status, 401, `${method} ${path}`);
      }
      // A team member may change a run whose channel is public.
      assert.equal((await h.put(`${API}/runs/${id}/checklists/0/item/0/state`, { new_state: 'closed' }, member.token)).status, 200);
    });

    test('20 parallel state changes on one run: all succeed, none lost, timeline seq gapless', async () => {
      const id = await newRun();
      await addItems(id, Array.from({ length: 20 }, (_, i) => `Task ${i}`));
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => h.put(`${API}/runs/${id}/checklists/0/item/${i}/state`, { new_state: 'closed' })),
      );
      assert.deepEqual(responses.map((r) => r.status), Array(20).fill(200));
      const run = await getRun(id);
      assert.equal(run.checklists[0].items.length, 20);
      assert.ok(run.checklists[0].items.every((i: any) => i.state === 'closed'));
      const events = await h.ctx.db
        .selectFrom('timeline_events')
        .select(['seq', 'event_type', 'summary'])
        .where('incident_id', '=', id)
        .orderBy('seq')
        .execute();
      const stateEvents = events.filter((e) => e.event_type === 'task_state_modified');
      assert.equal(stateEvents.length, 20);
      assert.deepEqual(new Set(stateEvents.map((e) => e.summary)).size, 20);
      assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => i + 1));
    });
  });
}
