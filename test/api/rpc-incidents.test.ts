import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';


for (const kind of testDatabases()) {
  describe(`${kind}: RPC IncidentsService`, () => {
    let h: Harness;
    let bob: TestUser;
    let outsider: TestUser;
    const ok = (method: string, body: unknown, token?: string) => h.rpcOk(`IncidentsService.${method}`, body, token);
    const fails = (method: string, body: unknown, status: number, pattern: RegExp, token?: string | null) =>
      h.rpcFails(`IncidentsService.${method}`, body, status, pattern, token);
    const declare = async (extra: Record<string, unknown> = {}) => (await ok('CreateIncident', { title: 'Search is slow', ...extra })).incident;

    before(async () => {
      h = await startHarness(kind);
      bob = await h.user('bobrpc');
      outsider = await h.user('outsiderrpc', { team: false });
    });
    after(async () => {
      await h.close();
    });

    test('CreateIncident: defaults, system tasks, no commander, a war room; the same id is a Playbooks run', async () => {
      const incident = await declare();
      assert.equal(incident.status, 'active');
      assert.equal(incident.severity, 'pending');
      assert.equal(incident.closedTime, '');
      assert.equal(incident.incidentEnd, '');
      assert.deepEqual(incident.roles, []);
      assert.deepEqual(
        incident.taskList.tasks.map((t: any) => [t.text, t.status, t.immutable, t.authorUser]),
        [
          ['Assign INVESTIGATOR role', 'todo', true, null],
          ['Assign COMMANDER role', 'todo', true, null],
          ['Specify incident severity', 'todo', true, null],
        ],
      );
      assert.equal(incident.taskList.todoCount, 3);
      assert.equal(incident.createdByUser.userID, `grafana-incident:${h.admin.id}`);
      const run = await h.get(`/plugins/playbooks/api/v0/runs/${incident.incidentID}`);
      assert.equal(run.status, 200);
      assert.equal(run.body.name, 'Search is slow');
      assert.equal(run.body.owner_user_id, '');
    });

    test('CreateIncident: severity, labels, drill, room prefix, link, first update, and a retrospective (resolved) incident', async () => {
      const incident = await declare({
        severity: 'critical',
        labels: [{ label: 'search' }, { label: 'eu' }],
        isDrill: true,
        roomPrefix: 'inc',
        attachURL: 'https://grafana.example.com/d/abc',
        attachCaption: 'Latency dashboard',
        initialStatusUpdate: 'Looking into it',
        status: 'resolved',
      });
      assert.equal(incident.severity, 'critical');
      assert.equal(incident.severityID, 'critical');
      assert.deepEqual(incident.labels.map((l: any) => l.label).sort(), ['eu', 'search']);
      assert.equal(incident.isDrill, true);
      assert.equal(incident.status, 'resolved');
      assert.notEqual(incident.closedTime, '');
      assert.equal(incident.taskList.tasks.find((t: any) => t.text === 'Specify incident severity').status, 'done');
      const run = (await h.get(`/plugins/playbooks/api/v0/runs/${incident.incidentID}`)).body;
      assert.equal(run.current_status, 'Finished');
      const channel = await h.get(`/api/v4/channels/${run.channel_id}`);
      assert.match(channel.body.name, /^inc-/);
      assert.equal(run.status_posts.length, 1);
      assert.ok(run.timeline_events.some((e: any) => e.event_type === 'event_from_post' && e.summary === 'Latency dashboard'));
    });

    test('CreateIncident: bad input is a 400 naming the field, and nothing is declared', async () => {
      const count = async () => (await h.get('/plugins/playbooks/api/v0/runs?per_page=1000')).body.total_count;
      const countBefore = await count();
      await fails('CreateIncident', {}, 400, /title/);
      await fails('CreateIncident', { title: '   ' }, 400, /title|name/);
      await fails('CreateIncident', { title: 'x', severity: 'apocalyptic' }, 400, /severity/);
      await fails('CreateIncident', { title: 'x', status: 'closed' }, 400, /status/);
      await fails('CreateIncident', { title: 'x', isDrill: 'yes' }, 400, /isDrill/);
      await fails('CreateIncident', { title: 'x', labels: 'a,b' }, 400, /labels/);
      await fails('CreateIncident', { title: 'x' }, 401, /./, null);
      await fails('CreateIncident', { title: 'x' }, 400, /team/, outsider.token);
      assert.equal(await count(), countBefore);
    });

    test('GetIncident: 404 for an unknown id, 403 for a user who cannot see it', async () => {
      const incident = await declare();
      assert.equal((await ok('GetIncident', { incidentID: incident.incidentID })).incident.incidentID, incident.incidentID);
      await fails('GetIncident', { incidentID: 'a'.repeat(26) }, 404, /not found/i);
      await fails('GetIncident', { incidentID: incident.incidentID }, 403, /permission/i, outsider.token);
      await fails('GetIncident', {}, 400, /incidentID/);
    });

    test('UpdateTitle, UpdateStatus, UpdateSeverity, UpdateIncidentIsDrill: changes, events, errors', async () => {
      const { incidentID } = await declare();
      assert.equal((await ok('UpdateTitle', { incidentID, title: 'Search is down' })).incident.title, 'Search is down');
      await fails('UpdateTitle', { incidentID, title: '  ' }, 400, /title/);
      const resolved = (await ok('UpdateStatus', { incidentID, status: 'resolved' })).incident;
      assert.equal(resolved.status, 'resolved');
      assert.notEqual(resolved.closedTime, '');
      assert.equal((await ok('UpdateStatus', { incidentID, status: 'active' })).incident.closedTime, '');
      await fails('UpdateStatus', { incidentID, status: 'closed' }, 400, /status/);
      const severe = (await ok('UpdateSeverity', { incidentID, severity: 'major' })).incident;
      assert.equal(severe.severity, 'major');
      assert.equal(severe.taskList.tasks.find((t: any) => t.text === 'Specify incident severity').status, 'done');
      await fails('UpdateSeverity', { incidentID, severity: 'apocalyptic' }, 400, /severity/);
      assert.equal((await ok('UpdateIncidentIsDrill', { incidentID, isDrill: true })).incident.isDrill, true);
      await fails('UpdateIncidentIsDrill', { incidentID, isDrill: 'true' }, 400, /isDrill/);
      await fails('UpdateTitle', { incidentID, title: 'mine now' }, 403, /permission/i, outsider.token);
      const events = (await h.get(`/plugins/playbooks/api/v0/runs/${incidentID}`)).body.timeline_events.map((e: any) => e.event_type);
      for (const type of ['title_changed', 'run_finished', 'run_restored', 'severity_changed', 'drill_changed']) assert.ok(events.includes(type), type);
    });

    test('AddLabel and RemoveLabel', async () => {
      const { incidentID } = await declare();
      const added = (await ok('AddLabel', { incidentID, label: { label: 'db', description: 'Database', colorHex: '#ff0000' } })).incident;
      assert.deepEqual(added.labels, [{ label: 'db', description: 'Database', colorHex: '#ff0000', key: 'tags' }]);
      await fails('AddLabel', { incidentID, label: { label: 'x', colorHex: 'red' } }, 400, /colorHex/);
      await fails('AddLabel', { incidentID, label: { label: ' ' } }, 400, /label/);
      assert.deepEqual((await ok('RemoveLabel', { incidentID, label: 'db' })).incident.labels, []);
      await fails('RemoveLabel', { incidentID, label: 'db' }, 404, /label/);
    });

    test('UpdateIncidentEventTime sets start and end; bad times are 400', async () => {
      const { incidentID } = await declare();
      await ok('UpdateIncidentEventTime', { incidentID, eventTime: '2026-01-01T10:00:00Z', activityItemKind: 'incidentStart' });
      await ok('UpdateIncidentEventTime', { incidentID, eventTime: '2026-01-01T12:00:00Z', eventName: 'incidentEnd' });
      const incident = (await ok('GetIncident', { incidentID })).incident;
      assert.equal(incident.incidentStart, '2026-01-01T10:00:00Z');
      assert.equal(incident.incidentEnd, '2026-01-01T12:00:00Z');
      await fails('UpdateIncidentEventTime', { incidentID, eventTime: 'yesterday', activityItemKind: 'incidentStart' }, 400, /eventTime/);
      await fails('UpdateIncidentEventTime', { incidentID, eventTime: '2026-01-02T00:00:00Z', activityItemKind: 'incidentStart' }, 400, /start after/);
      await fails('UpdateIncidentEventTime', { incidentID, eventTime: '2026-01-01T10:00:00Z' }, 400, /activityItemKind/);
      await fails('UpdateIncidentEventTime', { incidentID, eventTime: '2026-01-01T10:00:00Z', activityItemKind: 'incidentMiddle' }, 400, /activityItemKind/);
    });

    test('AssignRole / UnassignRole: didChange, commander is the Playbooks owner, membership', async () => {
      const { incidentID } = await declare();
      const first = await ok('AssignRole', { incidentID, userID: `grafana-incident:${bob.id}`, role: 'commander' });
      assert.equal(first.didChange, true);
      assert.deepEqual(first.incident.roles.map((r: any) => [r.role, r.user.userID]), [['commander', `grafana-incident:${bob.id}`]]);
      assert.equal((await ok('AssignRole', { incidentID, userID: bob.id, role: 'commander' })).didChange, false);
      assert.equal((await h.get(`/plugins/playbooks/api/v0/runs/${incidentID}`)).body.owner_user_id, bob.id);
      assert.equal((await ok('AssignRole', { incidentID, userID: h.admin.id, role: 'investigator' })).didChange, true);
      const membership = await ok('GetIncidentMembership', { incidentID });
      assert.deepEqual(
        membership.assignments.map((a: any) => [a.role.name, a.roleID, a.user.userID]),
        [
          ['commander', 1, `grafana-incident:${bob.id}`],
          ['investigator', 2, `grafana-incident:${h.admin.id}`],
        ],
      );
      assert.equal((await ok('UnassignRole', { incidentID, userID: h.admin.id, role: 'investigator' })).didChange, true);
      assert.equal((await ok('UnassignRole', { incidentID, userID: h.admin.id, role: 'investigator' })).didChange, false);
      const unassigned = await ok('UnassignRole', { incidentID, userID: bob.id, role: 'commander' });
      assert.equal(unassigned.didChange, true);
      assert.deepEqual(unassigned.incident.roles, []);
      await fails('AssignRole', { incidentID, userID: bob.id, role: 'wizard' }, 400, /role/);
      await fails('AssignRole', { incidentID, userID: 'grafana-incident:nobody', role: 'observer' }, 400, /userID/);
      await fails('AssignRole', { incidentID, userID: bob.id, role: 'observer' }, 403, /permission/i, outsider.token);
    });

    test('GetIncidentVersion and GetHomescreenVersion grow with every change', async () => {
      const { incidentID } = await declare();
      const v1 = (await ok('GetIncidentVersion', { incidentID })).version;
      const home1 = (await ok('GetHomescreenVersion', {})).version;
      await ok('UpdateTitle', { incidentID, title: 'Renamed for the version test' });
      await h.put(`/plugins/playbooks/api/v0/runs/${incidentID}/checklists/0/item/0/state`, { new_state: 'closed' });
      const v2 = (await ok('GetIncidentVersion', { incidentID })).version;
      const home2 = (await ok('GetHomescreenVersion', {})).version;
      assert.ok(v2 >= v1 + 2, `${v1} → ${v2}`);
      assert.ok(home2 >= home1 + 2, `${home1} → ${home2}`);
      await fails('GetIncidentVersion', { incidentID: 'a'.repeat(26) }, 404, /not found/i);
    });
  });
}
