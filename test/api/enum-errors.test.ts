import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { API, startHarness, testDatabases, type Harness } from '../helpers/harness.ts';

// Issue 14: every enum error in both facades names the allowed values (no "must be equal to constant").
for (const kind of testDatabases()) {
  describe(`${kind}: enum errors name the allowed values`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(kind);
    });
    after(async () => {
      await h.close();
    });

    test('RPC: incident status, event kind, order field and direction, the seed example "closed"', async () => {
      const id = (await h.rpcOk('IncidentsService.CreateIncident', { title: 'Enums' })).incident.incidentID;
      await h.rpcFails('IncidentsService.UpdateStatus', { incidentID: id, status: 'closed' }, 400, /invalid field status: must be one of "active", "resolved"$/);
      await h.rpcFails('IncidentsService.QueryIncidents', { query: { excludeStatuses: ['closed'] } }, 400, /query\.excludeStatuses\.0: must be one of "active", "resolved"$/);
      await h.rpcFails('IncidentsService.QueryIncidents', { query: { orderDirection: 'up' } }, 400, /query\.orderDirection: must be one of "ASC", "DESC", ""$/);
      await h.rpcFails('IncidentsService.QueryIncidentPreviews', { query: { orderField: 'nope' } }, 400, /query\.orderField: must be one of "incidentID", /);
      await h.rpcFails('IncidentsService.UpdateIncidentEventTime', { incidentID: id, eventTime: '', activityItemKind: 'x' }, 400, /activityItemKind: must be one of "incidentStart", "incidentEnd", ""$/);
    });

    test('RPC: a union (string or null) names both alternatives; an error inside a list names the element', async () => {
      const id = (await h.rpcOk('IncidentsService.CreateIncident', { title: 'Unions' })).incident.incidentID;
      await h.rpcFails('KeyUpdatesService.CreateKeyUpdate', { incidentID: id, content: 'x', title: 7 }, 400, /invalid field title: must be a string or a null$/);
      await h.rpcFails('IncidentsService.QueryIncidents', { query: { includeStatuses: ['active', 'open'] } }, 400, /query\.includeStatuses\.1: must be one of "active", "resolved"$/);
    });

    test('Playbooks: run status filter', async () => {
      const res = await h.get(`${API}/runs?statuses=Open`);
      assert.equal(res.status, 400, res.text);
      assert.match(res.body.error, /statuses\.0: must be one of "InProgress", "Finished"$/);
    });

    test('Playbooks and Muster: unions of a literal and an id, or of literals, name what to send', async () => {
      const byTeam = await h.get(`${API}/runs?team_id=abc`);
      assert.equal(byTeam.status, 400, byTeam.text);
      assert.equal(byTeam.body.error, 'invalid query parameter team_id: must be "" or a 26-character id');
      const run = await h.post(`${API}/runs`, { name: 'Dialog', owner_user_id: h.admin.id, team_id: h.teamId });
      assert.equal(run.status, 201, run.text);
      const dialog = await h.post(`${API}/runs/${run.body.id}/update-status-dialog`, { submission: { message: 'm', finish_run: 'yes' } });
      assert.equal(dialog.status, 400, dialog.text);
      assert.match(dialog.body.error, /submission\.finish_run: must be a boolean or "true" or "false"$/);
      const byKind = await h.post('/api/muster/v1/integrations', { name: 'x', kind: 'pagerduty', team_id: h.teamId });
      assert.equal(byKind.status, 400, byKind.text);
      assert.match(byKind.body.error, /invalid field kind: must be one of "alertmanager", "generic"$/);
      for (const res of [byTeam, dialog, byKind]) assert.doesNotMatch(res.body.error, /constant/);
    });
  });
}
