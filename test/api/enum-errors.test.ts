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

    test('Playbooks: run status filter', async () => {
      const res = await h.get(`${API}/runs?statuses=Open`);
      assert.equal(res.status, 400, res.text);
      assert.match(res.body.error, /statuses\.0: must be one of "InProgress", "Finished"$/);
    });
  });
}
