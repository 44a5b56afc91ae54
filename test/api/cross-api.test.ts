// One incident, two APIs: created through one, changed through the other, read back through the first.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RPC, API, startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';


for (const kind of testDatabases()) {
  describe(`${kind}: Playbooks REST and Grafana Incident RPC share one incident`, () => {
    let h: Harness;
    let bob: TestUser;

    before(async () => {
      h = await startHarness(kind, { fakeClock: true });
      bob = await h.user('bob');
    });
    after(async () => {
      await h.close();
    });

    async function rpc(method: string, body: unknown) {
      const res = await h.request('POST', `${RPC}/${method}`, { body });
      assert.equal(res.status, 200, `${method}: ${res.text}`);
      assert.equal(res.body.error, '');
      return res.body;
    }
    async function getRun(id: string) {
      const res = await h.get(`${API}/runs/${id}`);
      assert.equal(res.status, 200, res.text);
      return res.body;
    }
    async function playbooks(method: string, path: string, body?: unknown, status = 200) {
      const res = await h.request(method, `${API}${path}`, { body });
      assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
      return res.body;
    }
    async function activity(incidentID: string): Promise<any[]> {
      return (await rpc('ActivityService.QueryActivity', { query: { incidentID, limit: 100 } })).activityItems;
    }

    test('created through Playbooks, changed through RPC, read through Playbooks', async () => {
      const playbook = await playbooks('POST', '/playbooks', {
        title: 'Outage',
        team_id: h.teamId,
        checklists: [{ title: 'Triage', items: [{ title: 'Check dashboards' }, { title: 'Page on-call' }] }],
      }, 201);
      const created = await playbooks('POST', '/runs', { name: 'API latency', owner_user_id: h.admin.id, team_id: h.teamId, playbook_id: playbook.id }, 201);
      const id = created.id;
      const items = created.checklists[0].items;

      // The same incident, with the same task ids, as the RPC API sees it.
      const incident = (await rpc('IncidentsService.GetIncident', { incidentID: id })).incident;
      assert.equal(incident.incidentID, id);
      assert.equal(incident.title, 'API latency');
      assert.equal(incident.status, 'active');
      assert.deepEqual(incident.taskList.tasks.map((t: any) => [t.taskID, t.text, t.status]), [
        [items[0].id, 'Check dashboards', 'todo'],
        [items[1].id, 'Page on-call', 'todo'],
      ]);
      assert.deepEqual(incident.roles.map((r: any) => [r.role, r.user.userID]), [['commander', `grafana-incident:${h.admin.id}`]]);

      // Changes through RPC.
      const done = await rpc('TasksService.UpdateTaskStatus', { incidentID: id, taskID: items[0].id, status: 'done' });
      assert.equal(done.task.taskID, items[0].id);
      const { activityItem } = await rpc('ActivityService.AddActivity', {
        incidentID: id,
        activityKind: 'userNote',
        body: 'Latency back to normal after the cache flush',
      });
      h.clock!.advance(60_000);
      const assigned = await rpc('IncidentsService.AssignRole', { incidentID: id, userID: `grafana-incident:${bob.id}`, role: 'commander' });
      assert.equal(assigned.didChange, true);
      h.clock!.advance(60_000);
      const resolved = await rpc('IncidentsService.UpdateStatus', { incidentID: id, status: 'resolved' });
      assert.equal(resolved.incident.status, 'resolved');

      // Read back through Playbooks.
      const run = await getRun(id);
      assert.equal(run.id, id);
      assert.deepEqual(run.checklists[0].items.map((i: any) => [i.id, i.state]), [
        [items[0].id, 'closed'],
        [items[1].id, ''],
      ]);
      assert.equal(run.current_status, 'Finished');
      assert.equal(run.end_at, h.clock!.now());
      assert.equal(run.owner_user_id, bob.id);
      const events = new Map<string, any>(run.timeline_events.map((e: any) => [e.id, e]));
      const noteEvent = events.get(activityItem.activityItemID);
      assert.ok(noteEvent, 'the note is on the Playbooks timeline under the same id');
      assert.equal(noteEvent.event_type, 'event_from_post');
      assert.equal(noteEvent.summary, 'Latency back to normal after the cache flush');
      assert.equal(noteEvent.creator_user_id, h.admin.id);
      const types = run.timeline_events.map((e: any) => e.event_type);
      for (const type of ['incident_created', 'task_state_modified', 'event_from_post', 'owner_changed', 'run_finished']) {
        assert.ok(types.includes(type), `${type} in ${types.join(',')}`);
      }
      const checked = run.timeline_events.find((e: any) => e.event_type === 'task_state_modified');
      assert.deepEqual(JSON.parse(checked.details), { task_id: items[0].id, old_state: '', new_state: 'closed' });

      // And the RPC timeline is the same history in Grafana's words.
      const kinds = (await activity(id)).map((a) => [a.activityItemID, a.activityKind]);
      assert.deepEqual(kinds.map(([itemId]) => itemId), run.timeline_events.map((e: any) => e.id));
      assert.deepEqual(kinds.map(([, k]) => k), ['incidentCreated', 'taskCompleted', 'userNote', 'roleAssigned', 'incidentClosed']);
    });

    test('created through RPC, changed through Playbooks, read through RPC', async () => {
      const created = (await rpc('IncidentsService.CreateIncident', { title: 'Queue backlog', severity: 'major' })).incident;
      const id = created.incidentID;

      // The same incident as a Playbooks run.
      const run = await getRun(id);
      assert.equal(run.id, id);
      assert.equal(run.name, 'Queue backlog');
      assert.equal(run.current_status, 'InProgress');
      assert.deepEqual(run.checklists.map((c: any) => c.title), ['Tasks']);
      assert.deepEqual(run.checklists[0].items.map((i: any) => i.id), created.taskList.tasks.map((t: any) => t.taskID));

      // Changes through Playbooks: add and check an item, post a status update, change the owner, finish.
      await playbooks('POST', `/runs/${id}/checklists/0/add`, { title: 'Drain the dead-letter queue' }, 201);
      const added = (await getRun(id)).checklists[0].items;
      const item = added.at(-1);
      assert.equal(item.title, 'Drain the dead-letter queue');
      await playbooks('PUT', `/runs/${id}/checklists/0/item/${added.length - 1}/state`, { new_state: 'closed' });
      h.clock!.advance(60_000);
      await playbooks('POST', `/runs/${id}/status`, { message: 'Backlog is draining', reminder: 900 });
      await playbooks('POST', `/runs/${id}/owner`, { owner_id: bob.id });
      h.clock!.advance(60_000);
      await playbooks('PUT', `/runs/${id}/finish`);

      // Read back through RPC.
      const incident = (await rpc('IncidentsService.GetIncident', { incidentID: id })).incident;
      assert.equal(incident.incidentID, id);
      assert.equal(incident.status, 'resolved');
      assert.equal(incident.closedTime, new Date(h.clock!.now()).toISOString().replace('.000Z', 'Z'));
      assert.equal(incident.severity, 'major');
      const task = incident.taskList.tasks.find((t: any) => t.taskID === item.id);
      assert.ok(task, 'the Playbooks item is a task under the same id');
      assert.equal(task.text, 'Drain the dead-letter queue');
      assert.equal(task.status, 'done');
      assert.equal(task.immutable, false);
      const commander = incident.roles.find((r: any) => r.role === 'commander');
      assert.equal(commander.user.userID, `grafana-incident:${bob.id}`);
      assert.ok(incident.incidentMembership.assignments.some((a: any) => a.role.name === 'commander' && a.user.userID === `grafana-incident:${bob.id}`));

      const items = await activity(id);
      const run2 = await getRun(id);
      assert.deepEqual(items.map((a) => a.activityItemID), run2.timeline_events.map((e: any) => e.id));
      const kinds = items.map((a) => a.activityKind);
      for (const expected of ['incidentCreated', 'taskAdded', 'taskCompleted', 'userNote', 'roleAssigned', 'incidentClosed']) {
        assert.ok(kinds.includes(expected), `${expected} in ${kinds.join(',')}`);
      }
      const completed = items.find((a) => a.activityKind === 'taskCompleted' && a.body.includes('Drain the dead-letter queue'));
      assert.ok(completed, 'checking the item shows as taskCompleted');
      assert.equal(completed.user.userID, `grafana-incident:${h.admin.id}`);
      const update = items.find((a) => a.activityKind === 'userNote');
      assert.equal(update.immutable, true, 'a status update is a note nobody can edit');
      const closed = items.find((a) => a.activityKind === 'incidentClosed');
      assert.equal(closed.eventTime, incident.closedTime);
      // The filter speaks the same vocabulary.
      const onlyClosed = await rpc('ActivityService.QueryActivity', { query: { incidentID: id, activityKind: ['incidentClosed'] } });
      assert.deepEqual(onlyClosed.activityItems.map((a: any) => a.activityItemID), [closed.activityItemID]);
    });

    // Issue 14's acceptance: the incident-go services write the same incident the Playbooks API reads.
    test('incident-go services: key updates are status updates both ways, AssignLabel labels and field values are in the run', async () => {
      const run = await playbooks('POST', '/runs', { name: 'Go services', owner_user_id: h.admin.id, team_id: h.teamId }, 201);
      const id = run.id as string;
      const goUpdate = { incidentID: id, title: 'Mitigated', content: 'Rolled back', contentType: '', statusID: '', severityID: '', scope: '', color: null };
      const ku = (await rpc('KeyUpdatesService.CreateKeyUpdate', goUpdate)).keyUpdate;
      const afterRpc = await getRun(id);
      assert.deepEqual(afterRpc.status_posts.map((p: any) => p.id), [ku.id]);
      const listed = await playbooks('GET', `/runs/${id}/status-updates`);
      assert.equal(listed.find((p: any) => p.id === ku.id)?.message, 'Rolled back');

      h.clock!.advance(1000); // the fake clock stands still: the next update is later
      await playbooks('POST', `/runs/${id}/status`, { message: 'Recovered', reminder: 600 });
      const last = (await rpc('KeyUpdatesService.GetLastKeyUpdate', { incidentID: id, contentType: 'text/plain' })).keyUpdate;
      assert.equal(last.content, 'Recovered');
      assert.deepEqual((await getRun(id)).status_posts.map((p: any) => p.id), [ku.id, last.id]);

      await rpc('IncidentsService.AssignLabel', { incidentID: id, key: 'service', value: 'checkout' });
      assert.deepEqual((await getRun(id)).labels, ['service:checkout']);

      const field = (await rpc('FieldsService.AddField', {
        field: { uuid: '', name: `Region ${kind}`, slug: '', color: '', icon: '', description: '', type: 'string', required: false, immutable: false, domainName: 'incident', selectoptions: null, source: '', externalID: '', archived: false, version: 0 },
      })).field;
      await rpc('FieldsService.RecordFieldValue', { fieldUUID: field.uuid, value: JSON.stringify('eu-west'), targetKind: 'incident', targetID: id });
      const incident = (await rpc('IncidentsService.GetIncident', { incidentID: id })).incident;
      assert.deepEqual(incident.fieldValues, [{ fieldUUID: field.uuid, value: '"eu-west"' }]);
      const previews = await rpc('IncidentsService.QueryIncidentPreviews', { query: { queryString: 'title:"Go services"' }, includeCustomFieldValues: true });
      assert.deepEqual(previews.incidentPreviews[0].fieldValues, [{ fieldUUID: field.uuid, value: '"eu-west"' }]);
      const inRun = (await getRun(id)).custom_fields;
      assert.deepEqual(inRun.map((f: any) => [f.id, f.name, f.value]), [[field.uuid, field.name, 'eu-west']]);
      // The installation export (GET /api/muster/v1/export) carries the value, the key update and the label.
      const exported = await h.get('/api/muster/v1/export');
      assert.equal(exported.status, 200, exported.text.slice(0, 200));
      const rows = (table: string) => (exported.body.tables[table] as any[]).filter((r) => r.incident_id === id || r.post_id === ku.id);
      assert.deepEqual(rows('incident_field_values').map((r) => [r.field_id, r.value]), [[field.uuid, '"eu-west"']]);
      assert.deepEqual(rows('incident_labels').map((r) => [r.key, r.label]), [['service', 'checkout']]);
      assert.equal(rows('key_updates').length, 1);
    });
  });
}
