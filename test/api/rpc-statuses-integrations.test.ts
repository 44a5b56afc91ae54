import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';

// StatusService and IntegrationService (issue 14, slice 4).
const STATUS_KEYS = ['archivedTime', 'category', 'color', 'createdTime', 'description', 'icon', 'immutable', 'incidentType', 'kind', 'modifiedTime', 'name', 'position', 'slug', 'statusID'];

for (const kind of testDatabases()) {
  describe(`${kind}: RPC StatusService and IntegrationService`, () => {
    let h: Harness;
    let member: TestUser;
    let outsider: TestUser;

    before(async () => {
      h = await startHarness(kind);
      member = await h.user('statusmember');
      outsider = await h.user('statusoutsider', { team: await h.team() });
    });
    after(async () => {
      await h.close();
    });

    const declare = async (title: string) => (await h.rpcOk('IncidentsService.CreateIncident', { title })).incident.incidentID as string;

    test('QueryOrgStatuses: one default configuration per incident type with the immutable Active and Resolved', async () => {
      const all = await h.rpcOk('StatusService.QueryOrgStatuses', { incidentType: '' }, member.token);
      assert.deepEqual(all.configurations.map((c: any) => [c.incidentType, c.default]), [['internal', true], ['private', true]]);
      const internal = all.configurations[0].statuses;
      assert.deepEqual(Object.keys(internal[0]).sort(), STATUS_KEYS);
      assert.deepEqual(internal.map((s: any) => [s.statusID, s.category, s.kind, s.immutable]), [['active', 'active', 'active', true], ['resolved', 'resolved', 'resolved', true]]);
      assert.equal(internal[0].archivedTime, '');
      const only = await h.rpcOk('StatusService.QueryOrgStatuses', { incidentType: 'private' });
      assert.deepEqual(only.configurations.map((c: any) => c.incidentType), ['private']);
      await h.rpcFails('StatusService.QueryOrgStatuses', { incidentType: 'public' }, 400, /incidentType: must be one of "internal", "private", ""/);
    });

    test('CreateOrgStatus / UpdateOrgStatus / GetStatusByID; a key update may snapshot the new status', async () => {
      const created = (await h.rpcOk('StatusService.CreateOrgStatus', { incidentType: '', name: 'Monitoring', description: 'Fix deployed', category: 'active', color: '#ff9830', icon: 'clock' })).status;
      assert.equal(created.incidentType, 'internal');
      assert.equal(created.slug, 'monitoring');
      assert.equal(created.position, 3);
      assert.equal(created.immutable, false);
      const updated = (await h.rpcOk('StatusService.UpdateOrgStatus', { statusID: created.statusID, incidentType: 'internal', name: 'Watching', description: '', category: 'resolved', color: '', icon: 'check-circle' })).status;
      assert.equal(updated.name, 'Watching');
      assert.equal(updated.category, 'resolved');
      assert.deepEqual((await h.rpcOk('StatusService.GetStatusByID', { statusID: created.statusID })).status, updated);

      const id = await declare('Snapshot');
      const ku = await h.rpcOk('KeyUpdatesService.CreateKeyUpdate', { incidentID: id, title: null, content: 'watching', contentType: '', statusID: created.statusID, severityID: '', scope: '', color: null });
      assert.equal(ku.keyUpdate.statusID, created.statusID);

      await h.rpcFails('StatusService.UpdateOrgStatus', { statusID: 'active', name: 'Open', category: 'active' }, 409, /immutable/);
      await h.rpcFails('StatusService.CreateOrgStatus', { name: 'watching', category: 'active' }, 409, /already exists/);
      await h.rpcFails('StatusService.CreateOrgStatus', { name: 'X', category: 'done' }, 400, /category: must be one of "active", "resolved"/);
      await h.rpcFails('StatusService.CreateOrgStatus', { name: ' ', category: 'active' }, 400, /name must not be blank/);
      await h.rpcFails('StatusService.CreateOrgStatus', { name: 'Y', category: 'active', icon: 'star' }, 400, /icon: must be one of/);
      await h.rpcFails('StatusService.CreateOrgStatus', { name: 'Z', category: 'active' }, 403, /system admin/, member.token);
      await h.rpcFails('StatusService.GetStatusByID', { statusID: 'nope' }, 404);
    });

    test('EnableHook wires the outgoing webhook; changes are recorded as hook runs; DisableHook removes it', async () => {
      const enabled = await h.rpcOk('IntegrationService.EnableHook', {
        integrationID: 'muster-webhooks',
        hookID: 'outgoing-webhook',
        eventName: 'incidentUpdated',
        hookConfig: { fields: [{ key: 'url', description: '', value: 'http://127.0.0.1:9/hook', type: 'string', secret: false, checked: false, hidden: false }] },
        incidentFilter: '',
        sensitive: true,
      });
      assert.ok(enabled.enabledHookID);
      const hooks = (await h.rpcOk('IntegrationService.GetEnabledHooks', { eventName: 'incidentUpdated' })).enabledHooks;
      const hook = hooks.find((x: any) => x.enabledHookID === enabled.enabledHookID);
      assert.deepEqual(Object.keys(hook).sort(), ['enabledHookID', 'eventName', 'hook', 'incidentFilter', 'integrationID', 'sensitive']);
      assert.equal(hook.sensitive, true);
      assert.equal(hook.hook.hookID, 'outgoing-webhook');
      assert.deepEqual((await h.rpcOk('IntegrationService.GetEnabledHooks', { eventName: 'incidentCreated' })).enabledHooks, []);
      // The same subscription is an outgoing webhook of WebhooksService.
      const webhooks = (await h.rpcOk('WebhooksService.ListOutgoingWebhooks', {})).webhooks;
      assert.ok(webhooks.some((w: any) => w.url === 'http://127.0.0.1:9/hook'));

      const id = await declare('Hooked');
      await h.rpcOk('IncidentsService.UpdateTitle', { incidentID: id, title: 'Hooked, renamed' });
      const runs = (await h.rpcOk('IntegrationService.GetHookRuns', { incidentID: id })).hookRuns;
      assert.equal(runs.length, 1);
      assert.deepEqual(Object.keys(runs[0]).sort(), ['enabledHookID', 'eventKind', 'eventName', 'hookID', 'integrationID', 'lastRun', 'lastUpdate', 'metadata', 'status', 'updateError', 'updateStatus']);
      assert.equal(runs[0].enabledHookID, enabled.enabledHookID);
      assert.equal(runs[0].eventKind, 'updatedTitle');
      assert.equal(runs[0].status, 'todo');
      assert.deepEqual(Object.keys(runs[0].metadata).sort(), ['explanation', 'title', 'url']);
      await h.rpcFails('IntegrationService.GetHookRuns', { incidentID: id }, 403, undefined, outsider.token);

      await h.rpcOk('IntegrationService.DisableHook', { integrationID: 'muster-webhooks', enabledHookID: enabled.enabledHookID });
      await h.rpcFails('IntegrationService.DisableHook', { integrationID: 'muster-webhooks', enabledHookID: enabled.enabledHookID }, 404);
    });

    test('integrations that cannot exist here answer why, never a fake success', async () => {
      const id = await declare('No Slack');
      await h.rpcFails('IntegrationService.CreateIncidentSlackChannel', { incidentID: id, channelName: 'inc-1', postUpdates: true, inviteUsers: true }, 409, /already has its channel .*no Slack integration/);
      await h.rpcFails('IntegrationService.CreateIncidentSlackChannel', { incidentID: id, channelName: 'x' }, 403, undefined, outsider.token);
      const hook = { integrationID: 'muster-webhooks', hookID: 'outgoing-webhook', eventName: 'incidentCreated', hookConfig: { fields: [{ key: 'url', value: 'http://127.0.0.1:9/x' }] }, incidentFilter: '', sensitive: false };
      await h.rpcFails('IntegrationService.EnableHook', { ...hook, integrationID: 'slack' }, 400, /integrationID .*Slack, MS Teams and other installable integrations do not exist here/);
      await h.rpcFails('IntegrationService.EnableHook', { ...hook, hookID: 'createChannel' }, 400, /hookID/);
      await h.rpcFails('IntegrationService.EnableHook', { ...hook, eventName: 'incidentDeleted' }, 400, /never deletes incidents/);
      await h.rpcFails('IntegrationService.EnableHook', { ...hook, eventName: 'incidentFilter', incidentFilter: 'isdrill:true' }, 400, /not supported/);
      await h.rpcFails('IntegrationService.EnableHook', { ...hook, eventName: 'later' }, 400, /eventName: must be one of "incidentCreated"/);
      await h.rpcFails('IntegrationService.EnableHook', { ...hook, hookConfig: { fields: [] } }, 400, /hookConfig\.fields/);
      await h.rpcFails('IntegrationService.EnableHook', hook, 403, /system admin/, member.token);
      await h.rpcFails('IntegrationService.GetEnabledHooks', { eventName: '' }, 403, undefined, member.token);
      assert.deepEqual((await h.rpcOk('IntegrationService.GetEnabledHooks', { eventName: 'incidentCreated' })).enabledHooks, [], 'nothing was enabled');
    });
  });
}
