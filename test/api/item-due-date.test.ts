import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { API, startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';

for (const kind of testDatabases()) {
  describe(`${kind}: a checklist item's due date (PUT …/item/{i}/duedate)`, () => {
    let h: Harness;
    let outsider: TestUser;

    before(async () => {
      h = await startHarness(kind, { fakeClock: true });
      outsider = await h.user(undefined, { team: await h.team() });
    });
    after(async () => {
      await h.close();
    });

    async function runWithItem(): Promise<string> {
      const res = await h.post(`${API}/runs`, { name: 'Due dates', owner_user_id: h.admin.id, team_id: h.teamId });
      assert.equal(res.status, 201, res.text);
      assert.equal((await h.post(`${API}/runs/${res.body.id}/checklists/0/add`, { title: 'Call vendor' })).status, 201);
      return res.body.id;
    }
    const itemOf = async (id: string) => (await h.get(`${API}/runs/${id}`)).body.checklists[0].items.at(-1);

    test('sets and clears the due date with a task_updated event; the same value is a no-op', async () => {
      const id = await runWithItem();
      const n = (await h.get(`${API}/runs/${id}`)).body.checklists[0].items.length - 1;
      const path = `${API}/runs/${id}/checklists/0/item/${n}/duedate`;
      const due = h.clock!.now() + 3_600_000;
      const set = await h.put(path, { due_date: due });
      assert.equal(set.status, 200, set.text);
      assert.deepEqual(set.body, {});
      assert.equal((await itemOf(id)).due_date, due);
      assert.equal((await h.put(path, { due_date: due })).status, 200);
      assert.equal((await h.put(path, { due_date: 0 })).status, 200);
      const run = (await h.get(`${API}/runs/${id}`)).body;
      assert.equal(run.checklists[0].items[n].due_date, 0);
      const summaries = run.timeline_events.filter((e: any) => e.event_type === 'task_updated').map((e: any) => e.summary);
      assert.deepEqual(summaries, ['set the due date of checklist item **Call vendor**', 'cleared the due date of checklist item **Call vendor**']);
    });

    test('a bad body or index is a 400 naming the field; nothing is written', async () => {
      const id = await runWithItem();
      for (const body of [{}, { due_date: -1 }, { due_date: 'tomorrow' }, { due_date: 1.5 }]) {
        const res = await h.put(`${API}/runs/${id}/checklists/0/item/0/duedate`, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.match(res.text, /due_date/);
      }
      const far = await h.put(`${API}/runs/${id}/checklists/0/item/99/duedate`, { due_date: 1 });
      assert.equal(far.status, 400);
      assert.match(far.text, /item/);
      assert.equal((await itemOf(id)).due_date, 0);
    });

    test('403 for a user outside the team, 404 for an unknown run', async () => {
      const id = await runWithItem();
      const denied = await h.put(`${API}/runs/${id}/checklists/0/item/0/duedate`, { due_date: 5 }, outsider.token);
      assert.equal(denied.status, 403, denied.text);
      const unknown = await h.put(`${API}/runs/${'a'.repeat(26)}/checklists/0/item/0/duedate`, { due_date: 5 });
      assert.equal(unknown.status, 404);
      assert.equal((await itemOf(id)).due_date, 0);
    });
  });
}
