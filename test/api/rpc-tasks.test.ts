import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RPC, API, startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';

const UNKNOWN_ID = 'a'.repeat(26);

for (const kind of testDatabases()) {
  describe(`${kind}: RPC TasksService`, () => {
    let h: Harness;
    let outsider: TestUser;
    let alice: TestUser;

    before(async () => {
      h = await startHarness(kind, { fakeClock: true });
      outsider = await h.user(undefined, { team: await h.team() });
      alice = await h.user('alice');
    });
    after(async () => {
      await h.close();
    });

    const rpc = (method: string, body: unknown, token?: string | null) => h.request('POST', `${RPC}/${method}`, { body, token });
    const userRef = (user: { id: string }) => `grafana-incident:${user.id}`;
    const time = () => new Date(h.clock!.now()).toISOString().replace('.000Z', 'Z');

    const ok = (method: string, body: unknown, token?: string) => h.rpcOk(method, body, token);
    async function newIncident(): Promise<any> {
      return (await ok('IncidentsService.CreateIncident', { title: 'Payments failing' })).incident;
    }
    async function run(id: string): Promise<any> {
      const res = await h.get(`${API}/runs/${id}`);
      assert.equal(res.status, 200);
      return res.body;
    }
    const eventsOf = async (id: string, type: string) => (await run(id)).timeline_events.filter((e: any) => e.event_type === type);
    /** Sends a request that must fail with `status` (message matching `pattern`) and change nothing. */
    async function rejects(id: string, method: string, body: unknown, status: number, pattern?: RegExp, token?: string) {
      const snapshot = await run(id);
      await h.rpcFails(method, body, status, pattern, token);
      assert.deepEqual(await run(id), snapshot);
    }

    test('AddTask appends to the Tasks checklist, written by the caller, optionally assigned', async () => {
      const incident = await newIncident();
      const systemTasks = incident.taskList.tasks.length;
      assert.ok(systemTasks > 0);
      const added = await ok('TasksService.AddTask', { incidentID: incident.incidentID, text: '  Roll back the deploy ', assignToUserID: userRef(alice) });
      assert.equal(added.incidentID, incident.incidentID);
      assert.deepEqual(added.task, {
        taskID: added.task.taskID,
        immutable: false,
        createdTime: time(),
        modifiedTime: time(),
        text: 'Roll back the deploy',
        status: 'todo',
        authorUser: { userID: userRef(h.admin), name: h.admin.username, photoURL: '' },
        assignedUser: { userID: userRef(alice), name: 'alice', photoURL: '' },
      });
      assert.equal(added.taskList.tasks.length, systemTasks + 1);
      assert.deepEqual(added.taskList.tasks.at(-1), added.task);
      assert.equal(added.taskList.todoCount + added.taskList.doneCount, systemTasks + 1);

      // A bare user id works too; no assignee is null.
      const bare = await ok('TasksService.AddTask', { incidentID: incident.incidentID, text: 'Page the DBA', assignToUserID: alice.id });
      assert.equal(bare.task.assignedUser.userID, userRef(alice));
      const nobody = await ok('TasksService.AddTask', { incidentID: incident.incidentID, text: 'Write the summary', assignToUserID: '' });
      assert.equal(nobody.task.assignedUser, null);

      const r = await run(incident.incidentID);
      assert.deepEqual(r.checklists.map((c: any) => c.title), ['Tasks']);
      assert.deepEqual(r.checklists[0].items.slice(-3).map((i: any) => [i.id, i.title, i.assignee_id]), [
        [added.task.taskID, 'Roll back the deploy', alice.id],
        [bare.task.taskID, 'Page the DBA', alice.id],
        [nobody.task.taskID, 'Write the summary', ''],
      ]);
      const events = await eventsOf(incident.incidentID, 'task_added');
      assert.equal(events.length, 3);
      assert.equal(events[0].summary, 'added checklist item **Roll back the deploy** to **Tasks**');
    });

    test('AddTask on a Playbooks run creates the Tasks checklist after the others', async () => {
      const created = await h.post(`${API}/runs`, { name: 'Run without tasks', owner_user_id: h.admin.id, team_id: h.teamId });
      assert.equal(created.status, 201);
      const id = created.body.id;
      const first = await ok('TasksService.AddTask', { incidentID: id, text: 'one' });
      const second = await ok('TasksService.AddTask', { incidentID: id, text: 'two' });
      const r = await run(id);
      assert.deepEqual(r.checklists.map((c: any) => [c.title, c.items.map((i: any) => i.id)]), [
        ['Checklist', []],
        ['Tasks', [first.task.taskID, second.task.taskID]],
      ]);
      assert.deepEqual(r.timeline_events.map((e: any) => e.event_type), ['incident_created', 'checklist_changed', 'task_added', 'task_added']);
      assert.deepEqual(second.taskList.tasks.map((t: any) => t.text), ['one', 'two']);
    });

    test('AddTask rejects blank text and unknown users, and needs access', async () => {
      const id = (await newIncident()).incidentID;
      await rejects(id, 'TasksService.AddTask', { incidentID: id, text: '  ' }, 400, /text/);
      await rejects(id, 'TasksService.AddTask', { incidentID: id }, 400, /text/);
      await rejects(id, 'TasksService.AddTask', { incidentID: id, text: 7 }, 400, /text/);
      await rejects(id, 'TasksService.AddTask', { incidentID: id, text: 'x'.repeat(1025) }, 400, /text/);
      await rejects(id, 'TasksService.AddTask', { incidentID: id, text: 'x', assignToUserID: `grafana-incident:${UNKNOWN_ID}` }, 400, /assignToUserID/);
      await rejects(id, 'TasksService.AddTask', { incidentID: id, text: 'x', assignToUserID: 'someone-else' }, 400, /assignToUserID/);
      await rejects(id, 'TasksService.AddTask', { incidentID: id, text: 'x' }, 403, undefined, outsider.token);
      await rejects(id, 'TasksService.AddTask', { incidentID: id, text: 'x' }, 401, undefined, 'bad-token');
      assert.equal((await rpc('TasksService.AddTask', { incidentID: UNKNOWN_ID, text: 'x' })).status, 404);
    });

    test('UpdateTaskStatus moves a task through todo, progress and done with one event per change', async () => {
      const id = (await newIncident()).incidentID;
      const { task } = await ok('TasksService.AddTask', { incidentID: id, text: 'Restart workers' });
      const progress = await ok('TasksService.UpdateTaskStatus', { incidentID: id, taskID: task.taskID, status: 'progress' });
      assert.equal(progress.task.status, 'progress');
      h.clock!.advance(1000);
      const done = await ok('TasksService.UpdateTaskStatus', { incidentID: id, taskID: task.taskID, status: 'done' });
      assert.equal(done.task.status, 'done');
      assert.equal(done.task.modifiedTime, time());
      assert.equal(done.taskList.doneCount, done.taskList.tasks.filter((t: any) => t.status === 'done').length);
      assert.equal(done.taskList.todoCount, done.taskList.tasks.length - done.taskList.doneCount);
      await ok('TasksService.UpdateTaskStatus', { incidentID: id, taskID: task.taskID, status: 'done' }); // no change
      const back = await ok('TasksService.UpdateTaskStatus', { incidentID: id, taskID: task.taskID, status: 'todo' });
      assert.equal(back.task.status, 'todo');

      const events = await eventsOf(id, 'task_state_modified');
      assert.deepEqual(
        events.map((e: any) => JSON.parse(e.details)),
        [
          { task_id: task.taskID, old_state: '', new_state: 'in_progress' },
          { task_id: task.taskID, old_state: 'in_progress', new_state: 'closed' },
          { task_id: task.taskID, old_state: 'closed', new_state: '' },
        ],
      );
      assert.equal(events[1].summary, 'checked off checklist item **Restart workers**');
      const item = (await run(id)).checklists[0].items.find((i: any) => i.id === task.taskID);
      assert.equal(item.state, '');
    });

    test('system tasks are immutable: their status changes, their text and existence do not', async () => {
      const incident = await newIncident();
      const id = incident.incidentID;
      const system = incident.taskList.tasks.find((t: any) => t.immutable);
      assert.ok(system, 'an RPC incident has system tasks');
      const done = await ok('TasksService.UpdateTaskStatus', { incidentID: id, taskID: system.taskID, status: 'done' });
      assert.equal(done.task.status, 'done');
      assert.equal(done.task.immutable, true);
      await rejects(id, 'TasksService.UpdateTaskText', { incidentID: id, taskID: system.taskID, text: 'new text' }, 400, /immutable/);
      await rejects(id, 'TasksService.DeleteTask', { incidentID: id, taskID: system.taskID }, 400, /immutable/);
      const assigned = await ok('TasksService.UpdateTaskUser', { incidentID: id, taskID: system.taskID, userID: userRef(alice) });
      assert.equal(assigned.task.assignedUser.userID, userRef(alice));
    });

    test('UpdateTaskText renames a task; UpdateTaskUser assigns and clears', async () => {
      const id = (await newIncident()).incidentID;
      const { task } = await ok('TasksService.AddTask', { incidentID: id, text: 'Check the logs' });
      const renamed = await ok('TasksService.UpdateTaskText', { incidentID: id, taskID: task.taskID, text: 'Check the error logs' });
      assert.equal(renamed.task.text, 'Check the error logs');
      await ok('TasksService.UpdateTaskText', { incidentID: id, taskID: task.taskID, text: 'Check the error logs' }); // no change
      const updates = await eventsOf(id, 'task_updated');
      assert.equal(updates.length, 1);
      assert.equal(updates[0].summary, 'renamed checklist item **Check the logs** to **Check the error logs**');
      assert.deepEqual(JSON.parse(updates[0].details), { item_id: task.taskID, changed: ['title'] });

      const assigned = await ok('TasksService.UpdateTaskUser', { incidentID: id, taskID: task.taskID, userID: userRef(alice) });
      assert.equal(assigned.task.assignedUser.userID, userRef(alice));
      const bare = await ok('TasksService.UpdateTaskUser', { incidentID: id, taskID: task.taskID, userID: h.admin.id });
      assert.equal(bare.task.assignedUser.userID, userRef(h.admin));
      const cleared = await ok('TasksService.UpdateTaskUser', { incidentID: id, taskID: task.taskID, userID: '' });
      assert.equal(cleared.task.assignedUser, null);
      await ok('TasksService.UpdateTaskUser', { incidentID: id, taskID: task.taskID, userID: null }); // Go's nil: still cleared, no event
      const changes = await eventsOf(id, 'assignee_changed');
      assert.deepEqual(changes.map((e: any) => e.summary), [
        'changed assignee of checklist item **Check the error logs** from **No Assignee** to **@alice**',
        `changed assignee of checklist item **Check the error logs** from **@alice** to **@${h.admin.username}**`,
        `changed assignee of checklist item **Check the error logs** from **@${h.admin.username}** to **No Assignee**`,
      ]);

      await rejects(id, 'TasksService.UpdateTaskText', { incidentID: id, taskID: task.taskID, text: '' }, 400, /text/);
      await rejects(id, 'TasksService.UpdateTaskUser', { incidentID: id, taskID: task.taskID, userID: `grafana-incident:${UNKNOWN_ID}` }, 400, /userID/);
    });

    test('DeleteTask removes a task and closes the gap', async () => {
      const id = (await newIncident()).incidentID;
      const a = await ok('TasksService.AddTask', { incidentID: id, text: 'a' });
      const b = await ok('TasksService.AddTask', { incidentID: id, text: 'b' });
      const c = await ok('TasksService.AddTask', { incidentID: id, text: 'c' });
      const deleted = await ok('TasksService.DeleteTask', { incidentID: id, taskID: b.task.taskID });
      assert.deepEqual(Object.keys(deleted).sort(), ['error', 'incidentID', 'taskList']);
      assert.equal(deleted.incidentID, id);
      const ids = deleted.taskList.tasks.map((t: any) => t.taskID);
      assert.ok(!ids.includes(b.task.taskID));
      assert.deepEqual(ids.slice(-2), [a.task.taskID, c.task.taskID]);
      const positions = await h.ctx.db
        .selectFrom('checklist_items')
        .select('position')
        .where('incident_id', '=', id)
        .orderBy('position')
        .execute();
      assert.deepEqual(positions.map((p) => p.position), positions.map((_, i) => i));
      const events = await eventsOf(id, 'task_deleted');
      assert.deepEqual(events.map((e: any) => e.summary), ['deleted checklist item **b** from **Tasks**']);
      await rejects(id, 'TasksService.DeleteTask', { incidentID: id, taskID: b.task.taskID }, 404);
    });

    test('tasks are addressed by id within their incident: unknown or foreign ids are 404, bad input 400', async () => {
      const id = (await newIncident()).incidentID;
      const other = (await newIncident()).incidentID;
      const { task } = await ok('TasksService.AddTask', { incidentID: other, text: 'elsewhere' });
      const calls: Array<[string, Record<string, unknown>]> = [
        ['TasksService.DeleteTask', {}],
        ['TasksService.UpdateTaskStatus', { status: 'done' }],
        ['TasksService.UpdateTaskText', { text: 'x' }],
        ['TasksService.UpdateTaskUser', { userID: '' }],
      ];
      for (const [method, extra] of calls) {
        await rejects(id, method, { incidentID: id, taskID: task.taskID, ...extra }, 404);
        await rejects(id, method, { incidentID: id, taskID: 'task-123', ...extra }, 404);
        await rejects(other, method, { incidentID: other, taskID: task.taskID, ...extra }, 403, undefined, outsider.token);
        await rejects(other, method, { incidentID: other, ...extra }, 400, /taskID/);
        assert.equal((await rpc(method, { incidentID: UNKNOWN_ID, taskID: task.taskID, ...extra })).status, 404);
      }
      await rejects(other, 'TasksService.UpdateTaskStatus', { incidentID: other, taskID: task.taskID, status: 'closed' }, 400, /status.*todo/);
      await rejects(other, 'TasksService.UpdateTaskStatus', { incidentID: other, taskID: task.taskID }, 400, /status/);
    });

    test('a participant who is not an admin can work on tasks; concurrent adds lose nothing', async () => {
      const id = (await newIncident()).incidentID;
      // alice is a team member and the war room is public, so she may change the incident.
      const mine = await ok('TasksService.AddTask', { incidentID: id, text: 'alice task' }, alice.token);
      assert.equal(mine.task.authorUser.userID, userRef(alice));
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => rpc('TasksService.AddTask', { incidentID: id, text: `parallel ${i}` })));
      assert.ok(results.every((r) => r.status === 200));
      const items = (await run(id)).checklists[0].items;
      for (let i = 0; i < 8; i++) assert.ok(items.some((it: any) => it.title === `parallel ${i}`));
      const positions = await h.ctx.db.selectFrom('checklist_items').select('position').where('incident_id', '=', id).orderBy('position').execute();
      assert.deepEqual(positions.map((p) => p.position), positions.map((_, i) => i));
      assert.equal((await eventsOf(id, 'task_added')).length, 9);
    });
  });
}
