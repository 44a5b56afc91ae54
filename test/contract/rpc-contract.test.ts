import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { RPC, startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';
import { node1302, node1331, type ClientSchemas } from './node-client-schemas.ts';

const ajv = new Ajv({ strict: false, allErrors: true });
const CLIENTS = [node1302, node1331];

/** Every response of a method must satisfy the zod schema of every client version that has the method. */
function assertContract(method: string, body: unknown): void {
  for (const client of CLIENTS) {
    const schema = client.responses[method];
    if (!schema) continue;
    const validate = ajv.compile(schema);
    assert.ok(validate(body), `${method} response fails incident-node ${client.version}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 400)}`);
  }
  assert.equal((body as { error?: string }).error, '', `${method}: success must carry "error": "" (node 0.1.3 requires it)`);
}

const covered = new Set<string>();

for (const kind of testDatabases()) {
  describe(`${kind}: RPC responses satisfy incident-node 1.30.2 and 1.33.1`, () => {
    let h: Harness;
    let other: TestUser;
    let incidentID: string;
    const call = async (method: string, body: unknown) => {
      const res = await h.post(`${RPC}/${method}`, body);
      assert.equal(res.status, 200, `${method}: ${res.text}`);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      assertContract(method, res.body);
      covered.add(method);
      return res.body;
    };

    before(async () => {
      h = await startHarness(kind);
      other = await h.user('contractor');
    });
    after(async () => {
      await h.close();
    });

    test('IncidentsService', async () => {
      // Go sends every field, zero values and nulls included.
      const created = await call('IncidentsService.CreateIncident', {
        title: 'Checkout errors',
        severity: 'major',
        labels: [{ label: 'payments', description: '', colorHex: '' }],
        roomPrefix: 'inc',
        isDrill: false,
        status: 'active',
        attachCaption: '',
        attachURL: '',
        initialStatusUpdate: '',
        alertGroupID: null,
      });
      incidentID = created.incident.incidentID;
      assert.equal(created.incident.severityID, 'major', 'both severity and severityID are sent (node 1.33.0 requires severityID)');
      await call('IncidentsService.GetIncident', { incidentID });
      await call('IncidentsService.UpdateTitle', { incidentID, title: 'Checkout errors in EU' });
      await call('IncidentsService.UpdateSeverity', { incidentID, severity: 'critical' });
      await call('IncidentsService.UpdateIncidentIsDrill', { incidentID, isDrill: true });
      await call('IncidentsService.UpdateIncidentIsDrill', { incidentID, isDrill: false });
      await call('IncidentsService.AddLabel', { incidentID, label: { label: 'eu', description: 'Europe', colorHex: '#00ff00' } });
      await call('IncidentsService.RemoveLabel', { incidentID, label: 'eu' });
      await call('IncidentsService.AssignRole', { incidentID, userID: `grafana-incident:${h.admin.id}`, role: 'commander' });
      const investigator = await call('IncidentsService.AssignRole', { incidentID, userID: `grafana-incident:${other.id}`, role: 'investigator' });
      assert.equal(investigator.didChange, true);
      assert.ok(investigator.incident.roles.some((r: any) => r.role === 'investigator'));
      await call('IncidentsService.GetIncidentMembership', { incidentID });
      await call('IncidentsService.UnassignRole', { incidentID, userID: `grafana-incident:${other.id}`, role: 'investigator' });
      await call('IncidentsService.UpdateIncidentEventTime', { incidentID, eventTime: '2026-01-01T10:00:00Z', activityItemKind: 'incidentStart' });
      await call('IncidentsService.GetIncidentVersion', { incidentID });
      await call('IncidentsService.GetHomescreenVersion', {});
    });

    test('TasksService', async () => {
      const added = await call('TasksService.AddTask', { incidentID, text: 'Roll back the deploy', assignToUserID: '' });
      const taskID = added.task.taskID;
      await call('TasksService.UpdateTaskStatus', { incidentID, taskID, status: 'progress' });
      await call('TasksService.UpdateTaskText', { incidentID, taskID, text: 'Roll back deploy 42' });
      await call('TasksService.UpdateTaskUser', { incidentID, taskID, userID: `grafana-incident:${other.id}` });
      await call('TasksService.UpdateTaskUser', { incidentID, taskID, userID: '' });
      await call('TasksService.DeleteTask', { incidentID, taskID });
    });

    test('ActivityService', async () => {
      const added = await call('ActivityService.AddActivity', { incidentID, activityKind: 'userNote', body: 'Error rate back to normal', eventTime: '' });
      const activityItemID = added.activityItem.activityItemID;
      await call('ActivityService.UpdateActivityBody', { incidentID, activityItemID, body: 'Error rate is back to normal' });
      await call('ActivityService.UpdateActivityEventTime', { incidentID, activityItemID, eventTime: '2026-01-01T11:00:00Z' });
      const page = await call('ActivityService.QueryActivity', { query: { incidentID, limit: 0, orderDirection: '' }, cursor: { nextValue: '', hasMore: false } });
      assert.ok(page.activityItems.length > 0);
      await call('ActivityService.RemoveActivity', { incidentID, activityItemID });
    });

    test('queries, status, roles', async () => {
      const go = await call('IncidentsService.QueryIncidents', {
        query: { limit: 0, includeStatuses: null, excludeStatuses: null, incidentLabels: null, dateFrom: '', dateTo: '', onlyDrills: false, orderDirection: '', severity: '', queryString: '' },
        cursor: { nextValue: '', hasMore: false },
      });
      assert.ok(go.incidents.some((i: any) => i.incidentID === incidentID));
      await call('IncidentsService.QueryIncidentPreviews', {
        query: { limit: 10, orderDirection: 'DESC', orderField: 'createdTime', queryString: 'isdrill:false status:active' },
        cursor: { nextValue: '', hasMore: false },
        includeCustomFieldValues: true,
        includeMembershipPreview: true,
      });
      const resolved = await call('IncidentsService.UpdateStatus', { incidentID, status: 'resolved' });
      assert.notEqual(resolved.incident.closedTime, '');
      const roles = await call('RolesService.GetRoles', {});
      assert.ok(roles.roles.some((r: any) => r.name === 'commander'));
      const role = await call('RolesService.CreateRole', { role: { name: `scribe-${kind}`, description: 'Keeps notes', important: false, mandatory: false } });
      const roleID = role.role.roleID;
      await call('RolesService.UpdateRole', { role: { ...role.role, description: 'Writes the timeline' } });
      await call('RolesService.ArchiveRole', { roleID });
      await call('RolesService.UnarchiveRole', { roleID });
      await call('RolesService.DeleteRole', { roleID });
    });
  });
}

test('every documented method of incident-node 1.30.2 and 1.33.1 was exercised', () => {
  const all = new Set(CLIENTS.flatMap((c: ClientSchemas) => Object.keys(c.responses)));
  const missing = [...all].filter((m) => !covered.has(m));
  assert.deepEqual(missing, []);
});
