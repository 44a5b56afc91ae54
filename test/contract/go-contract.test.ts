import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { RPC, startHarness, testDatabases, type Harness } from '../helpers/harness.ts';
import { GO_SERVICES, REFUSED } from './go-services-schemas.ts';

// Every one of the 39 incident-go methods beyond the documented set, called the way Go calls them, and
// every response checked against the shape written from the note (go-services-schemas.ts).
const ajv = new Ajv({ strict: false, allErrors: true });
const covered = new Set<string>();

for (const kind of testDatabases()) {
  describe(`${kind}: the incident-go services answer in the shapes of the Go client`, () => {
    let h: Harness;
    const call = async (method: string, body: unknown): Promise<any> => {
      const res = await h.post<any>(`${RPC}/${method}`, body);
      assert.equal(res.status, 200, `${method}: ${res.text}`);
      const validate = ajv.compile(GO_SERVICES[method]!);
      assert.ok(validate(res.body as object), `${method}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(res.body).slice(0, 400)}`);
      assert.equal(res.body.error, '');
      covered.add(method);
      return res.body;
    };
    const refused = async (method: string, body: unknown) => {
      const res = await h.post<any>(`${RPC}/${method}`, body);
      assert.ok(res.status >= 400 && res.status < 500, `${method}: ${res.text}`);
      assert.match(res.body.error, REFUSED[method]!);
      covered.add(method);
    };

    before(async () => {
      h = await startHarness(kind);
    });
    after(async () => {
      await h.close();
    });

    test('labels, channels, relevance, users, key updates, statuses', async () => {
      const incidentID = (await h.rpcOk('IncidentsService.CreateIncident', { title: 'Go surface', initialStatusUpdate: 'first' })).incident.incidentID;
      const [label] = (await call('IncidentsService.AssignLabel', { incidentID, key: 'service', value: 'api' })).labels;
      await call('IncidentsService.UnassignLabelByUUID', { incidentID, keyUUID: label.keyUUID, valueUUID: label.valueUUID });
      await call('IncidentsService.AssignLabelByUUID', { incidentID, keyUUID: label.keyUUID, valueUUID: label.valueUUID });
      await call('IncidentsService.UnassignLabel', { incidentID, key: 'service', value: 'api' });
      await call('IncidentsService.GetLabels', { incidentID });
      await call('IncidentsService.GetIncidentChannels', { incidentID });
      const note = (await h.rpcOk('ActivityService.AddActivity', { incidentID, activityKind: 'userNote', body: 'n', eventTime: '' })).activityItem;
      await call('ActivityService.UpdateActivityRelevance', { incidentID, activityItemID: note.activityItemID, relevance: 'archive' });
      const me = (await call('UsersService.QueryUsers', { query: { limit: 0 }, cursor: { nextValue: '', hasMore: false } })).users[0];
      await call('UsersService.GetUser', { userID: me.userID });

      const ku = { incidentID, title: null, content: 'x', contentType: '', statusID: '', severityID: '', scope: '', color: null };
      const created = (await call('KeyUpdatesService.CreateKeyUpdate', ku)).keyUpdate;
      await call('KeyUpdatesService.UpdateKeyUpdate', { ...ku, id: created.id, title: 'T', content: 'y' });
      await call('KeyUpdatesService.GetKeyUpdate', { incidentID, id: created.id, contentType: 'text/markdown+msteams' });
      await call('KeyUpdatesService.GetInitialKeyUpdate', { incidentID, contentType: '' });
      await call('KeyUpdatesService.GetLastKeyUpdate', { incidentID, contentType: 'text/plain' });
      await call('KeyUpdatesService.QueryKeyUpdates', { query: { incidentID, limit: 10, orderDirection: 'DESC', orderField: 'createdTime', scope: '', contentType: '' }, cursor: { nextValue: '', hasMore: false } });
      await call('KeyUpdatesService.DeleteKeyUpdate', { incidentID, id: created.id });

      const status = (await call('StatusService.CreateOrgStatus', { incidentType: 'internal', name: 'Mitigated', description: '', category: 'active', color: '#ffffff', icon: 'info-circle' })).status;
      await call('StatusService.UpdateOrgStatus', { statusID: status.statusID, incidentType: 'internal', name: 'Mitigated!', description: 'd', category: 'active', color: '', icon: '' });
      await call('StatusService.GetStatusByID', { statusID: status.statusID });
      await call('StatusService.QueryOrgStatuses', { incidentType: '' });
    });

    test('fields and integrations', async () => {
      const incidentID = (await h.rpcOk('IncidentsService.CreateIncident', { title: 'Go fields' })).incident.incidentID;
      await call('FieldsService.AddLabelKey', { key: 'team', description: '', colorHex: '' });
      await call('FieldsService.AddLabelValue', { key: 'team', value: 'sre', description: '', colorHex: '#00aa00' });
      const empty = { uuid: '', name: 'Impact', slug: '', color: '', icon: '', description: '', type: 'multi-select', required: false, immutable: false, domainName: 'incident', selectoptions: null, source: '', externalID: '', archived: false, version: 0 };
      const f = (await call('FieldsService.AddField', { field: empty })).field;
      const optionUUID = (await call('FieldsService.AddFieldSelectOption', { fieldUUID: f.uuid, fieldSelectOption: { uuid: '', value: 'users', label: '', color: '', icon: '', description: '', source: '', externalID: '' } })).fieldSelectOptionUUID;
      await call('FieldsService.UpdateFieldSelectOption', { fieldUUID: f.uuid, selectOptionUUID: optionUUID, value: 'customers', label: 'Customers', color: '', icon: '', description: '' });
      const current = (await call('FieldsService.GetField', { fieldUUID: f.uuid, includeArchived: false })).field;
      await call('FieldsService.UpdateField', { fieldUUID: f.uuid, name: 'Impact', slug: 'impact', color: '', icon: '', description: 'who', required: false, immutable: false, domainName: 'incident', selectoptions: current.selectoptions, version: current.version });
      await call('FieldsService.RecordFieldValue', { fieldUUID: f.uuid, value: '["customers"]', targetKind: 'incident', targetID: incidentID });
      await call('FieldsService.GetFieldValues', { targetKind: 'incident', targetID: incidentID, domainName: '' });
      await call('FieldsService.GetFields', { domainName: '' });
      await call('FieldsService.ArchiveField', { fieldUUID: f.uuid });
      await call('FieldsService.UnarchiveField', { fieldUUID: f.uuid });
      await call('FieldsService.RecordFieldValue', { fieldUUID: f.uuid, value: '', targetKind: 'incident', targetID: incidentID });
      await call('FieldsService.DeleteFieldSelectOption', { fieldUUID: f.uuid, selectOptionUUID: optionUUID });
      await call('FieldsService.DeleteField', { fieldUUID: f.uuid });

      const enabled = await call('IntegrationService.EnableHook', { integrationID: 'muster-webhooks', hookID: 'outgoing-webhook', eventName: 'incidentClosed', hookConfig: { fields: [{ key: 'url', description: '', value: 'http://127.0.0.1:9/go', type: 'string', secret: false, checked: false, hidden: false }] }, incidentFilter: '', sensitive: false });
      await call('IntegrationService.GetEnabledHooks', { eventName: '' });
      await h.rpcOk('IncidentsService.UpdateStatus', { incidentID, status: 'resolved' });
      const runs = (await call('IntegrationService.GetHookRuns', { incidentID })).hookRuns;
      assert.equal(runs.length, 1);
      await call('IntegrationService.DisableHook', { integrationID: 'muster-webhooks', enabledHookID: enabled.enabledHookID });
      await refused('IntegrationService.CreateIncidentSlackChannel', { incidentID, channelName: 'go', postUpdates: false, inviteUsers: false });
    });
  });
}

test('every one of the 39 incident-go methods was exercised', () => {
  assert.equal(Object.keys(GO_SERVICES).length, 39);
  assert.deepEqual(Object.keys(GO_SERVICES).filter((m) => !covered.has(m)), []);
});
