import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { API, startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';

// KeyUpdatesService: key updates are the run's status updates (issue 14, slice 2).
const KEY_UPDATE_FIELDS = [
  'color',
  'content',
  'contentType',
  'createdBy',
  'createdTime',
  'id',
  'incidentID',
  'lastModifiedBy',
  'modifiedTime',
  'orgID',
  'scope',
  'severityID',
  'statusID',
  'title',
];

for (const kind of testDatabases()) {
  describe(`${kind}: RPC KeyUpdatesService`, () => {
    let h: Harness;
    let outsider: TestUser;

    before(async () => {
      h = await startHarness(kind);
      outsider = await h.user('kuoutsider', { team: await h.team() });
    });
    after(async () => {
      await h.close();
    });

    async function declare(title: string, extra: Record<string, unknown> = {}): Promise<string> {
      return (await h.rpcOk('IncidentsService.CreateIncident', { title, ...extra })).incident.incidentID;
    }

    // What Go sends: every field, zero-valued when unset.
    const goCreate = (incidentID: string, content: string, extra: Record<string, unknown> = {}) => ({
      incidentID,
      title: null,
      content,
      contentType: '',
      statusID: '',
      severityID: '',
      scope: '',
      color: null,
      ...extra,
    });

    test('CreateKeyUpdate posts a status update the Playbooks API lists, with the snapshot of the run', async () => {
      const id = await declare('Key updates', { severity: 'major' });
      const body = await h.rpcOk('KeyUpdatesService.CreateKeyUpdate', goCreate(id, 'Rollback **done**', { title: 'Mitigated', scope: 'public', color: '#00ff00' }));
      const ku = body.keyUpdate;
      assert.deepEqual(Object.keys(ku).sort(), KEY_UPDATE_FIELDS);
      assert.equal(ku.incidentID, id);
      assert.equal(ku.title, 'Mitigated');
      assert.equal(ku.content, 'Rollback **done**');
      assert.equal(ku.contentType, 'text/plain');
      assert.equal(ku.statusID, 'active');
      assert.equal(ku.severityID, 'major');
      assert.equal(ku.scope, 'public');
      assert.equal(ku.color, '#00ff00');
      assert.match(ku.createdBy.userID, /^grafana-incident:/);
      assert.deepEqual(ku.lastModifiedBy, ku.createdBy);

      const updates = await h.get(`${API}/runs/${id}/status-updates`);
      assert.equal(updates.status, 200, updates.text);
      const ids = updates.body.map((u: any) => u.id);
      assert.ok(ids.includes(ku.id), 'the key update is a Playbooks status update');
      const run = await h.get(`${API}/runs/${id}`);
      assert.ok(run.body.status_posts.some((p: any) => p.id === ku.id));
      assert.ok(run.body.last_status_update_at > 0);
    });

    test('a status update posted through Playbooks is a key update (Get, GetLast, Query)', async () => {
      const id = await declare('From Playbooks');
      const posted = await h.post(`${API}/runs/${id}/status`, { message: 'All _good_ now', reminder: 600 });
      assert.ok(posted.status < 300, posted.text);
      const last = await h.rpcOk('KeyUpdatesService.GetLastKeyUpdate', { incidentID: id, contentType: '' });
      assert.equal(last.keyUpdate.content, 'All _good_ now');
      assert.equal(last.keyUpdate.contentType, 'text/markdown+slack');
      assert.equal(last.keyUpdate.title, null);
      assert.equal(last.keyUpdate.scope, 'internal');
      assert.equal(last.keyUpdate.statusID, 'active');
      assert.equal(last.keyUpdate.severityID, 'pending');
      assert.equal(last.keyUpdateCount, 0);
      const plain = await h.rpcOk('KeyUpdatesService.GetKeyUpdate', { incidentID: id, id: last.keyUpdate.id, contentType: 'text/plain' });
      assert.equal(plain.keyUpdate.content, 'All good now');
      assert.equal(plain.keyUpdate.contentType, 'text/plain');
      const lexical = await h.rpcOk('KeyUpdatesService.GetKeyUpdate', { incidentID: id, id: last.keyUpdate.id, contentType: 'application/x-lexical-editor' });
      assert.equal(JSON.parse(lexical.keyUpdate.content).root.children[0].children[0].text, 'All _good_ now');
    });

    test('initial status update is the initial key update; GetLast counts the others; Query pages and filters', async () => {
      const id = await declare('Many', { initialStatusUpdate: 'Investigating' });
      assert.equal((await h.rpcOk('KeyUpdatesService.GetInitialKeyUpdate', { incidentID: id, contentType: '' })).keyUpdate.content, 'Investigating');
      await h.rpcOk('KeyUpdatesService.CreateKeyUpdate', goCreate(id, 'Second', { scope: 'private' }));
      await h.rpcOk('KeyUpdatesService.CreateKeyUpdate', goCreate(id, 'Third'));
      const last = await h.rpcOk('KeyUpdatesService.GetLastKeyUpdate', { incidentID: id, contentType: '' });
      assert.equal(last.keyUpdate.content, 'Third');
      assert.equal(last.keyUpdateCount, 2);

      const first = await h.rpcOk('KeyUpdatesService.QueryKeyUpdates', { query: { incidentID: id, limit: 2, orderDirection: '', orderField: '', scope: '', contentType: '' }, cursor: { nextValue: '', hasMore: false } });
      assert.deepEqual(first.query, { incidentID: id, limit: 2, orderDirection: 'DESC', orderField: 'createdTime', scope: '', contentType: '' });
      assert.equal(first.keyUpdates.length, 2);
      assert.equal(first.cursor.hasMore, true);
      const second = await h.rpcOk('KeyUpdatesService.QueryKeyUpdates', { query: first.query, cursor: first.cursor });
      assert.deepEqual(second.cursor, { nextValue: '', hasMore: false });
      const contents = [...first.keyUpdates, ...second.keyUpdates].map((k: any) => k.content);
      assert.equal(contents.length, 3);
      assert.equal(contents[2], 'Investigating');
      const privateOnly = await h.rpcOk('KeyUpdatesService.QueryKeyUpdates', { query: { incidentID: id, scope: 'private', orderDirection: 'ASC' } });
      assert.deepEqual(privateOnly.keyUpdates.map((k: any) => k.content), ['Second']);
      await h.rpcFails('KeyUpdatesService.QueryKeyUpdates', { query: { incidentID: id, orderField: 'severity' } }, 400, /orderField: must be one of "createdTime", "modifiedTime", "title", ""/);
      await h.rpcFails('KeyUpdatesService.QueryKeyUpdates', { query: { incidentID: id }, cursor: { nextValue: 'zzz' } }, 400, /cursor\.nextValue/);
    });

    test('UpdateKeyUpdate replaces content and attributes everywhere; DeleteKeyUpdate removes it from both APIs', async () => {
      const id = await declare('Edit');
      const created = (await h.rpcOk('KeyUpdatesService.CreateKeyUpdate', goCreate(id, 'first text', { title: 'T' }))).keyUpdate;
      const lexical = JSON.stringify({ root: { type: 'root', children: [{ type: 'paragraph', children: [{ type: 'text', text: 'new text' }] }] } });
      const updated = await h.rpcOk(
        'KeyUpdatesService.UpdateKeyUpdate',
        { ...goCreate(id, lexical, { contentType: 'application/x-lexical-editor', severityID: 'critical', statusID: 'resolved' }), id: created.id },
      );
      assert.equal(updated.keyUpdate.title, null, 'Go sends every field: null clears the title');
      assert.equal(updated.keyUpdate.content, lexical, 'Lexical content is answered as sent');
      assert.equal(updated.keyUpdate.severityID, 'critical');
      assert.equal(updated.keyUpdate.statusID, 'resolved');
      const updates = await h.get(`${API}/runs/${id}/status-updates`);
      assert.equal(updates.body.find((u: any) => u.id === created.id).message, 'new text');

      await h.rpcOk('KeyUpdatesService.DeleteKeyUpdate', { incidentID: id, id: created.id });
      await h.rpcFails('KeyUpdatesService.GetKeyUpdate', { incidentID: id, id: created.id, contentType: '' }, 404);
      assert.equal((await h.rpcOk('KeyUpdatesService.GetLastKeyUpdate', { incidentID: id })).keyUpdate, null);
      assert.equal((await h.rpcOk('KeyUpdatesService.GetInitialKeyUpdate', { incidentID: id })).keyUpdate, null);
      const listed = await h.get(`${API}/runs/${id}/status-updates`);
      assert.ok(listed.body.find((u: any) => u.id === created.id).delete_at > 0);
      const activity = await h.rpcOk('ActivityService.QueryActivity', { query: { incidentID: id } });
      assert.ok(!activity.activityItems.some((a: any) => a.body === 'new text'), 'the deleted update left the timeline');
      await h.rpcFails('KeyUpdatesService.DeleteKeyUpdate', { incidentID: id, id: created.id }, 404);
    });

    test('bad input names the field; access is checked', async () => {
      const id = await declare('Bad');
      await h.rpcFails('KeyUpdatesService.CreateKeyUpdate', goCreate(id, '   '), 400, /content: must not be blank/);
      await h.rpcFails('KeyUpdatesService.CreateKeyUpdate', goCreate(id, 'x', { scope: 'everyone' }), 400, /scope: must be one of "internal", "public", "private", ""/);
      await h.rpcFails('KeyUpdatesService.CreateKeyUpdate', goCreate(id, 'x', { contentType: 'text/html' }), 400, /contentType: must be one of/);
      await h.rpcFails('KeyUpdatesService.CreateKeyUpdate', goCreate(id, 'x', { statusID: 'nope' }), 400, /statusID/);
      await h.rpcFails('KeyUpdatesService.CreateKeyUpdate', goCreate(id, 'x', { severityID: 'nope' }), 400, /severityID/);
      await h.rpcFails('KeyUpdatesService.CreateKeyUpdate', goCreate(id, '{not json', { contentType: 'application/x-lexical-editor' }), 400, /content/);
      await h.rpcFails('KeyUpdatesService.CreateKeyUpdate', goCreate(id, 'x'), 403, undefined, outsider.token);
      await h.rpcFails('KeyUpdatesService.GetLastKeyUpdate', { incidentID: id }, 403, undefined, outsider.token);
      await h.rpcFails('KeyUpdatesService.QueryKeyUpdates', { query: { incidentID: id } }, 403, undefined, outsider.token);
      await h.rpcFails('KeyUpdatesService.GetKeyUpdate', { incidentID: id, id: 'missing' }, 404);
      await h.rpcFails('KeyUpdatesService.CreateKeyUpdate', goCreate('missing', 'x'), 404);
      assert.equal((await h.rpcOk('KeyUpdatesService.GetLastKeyUpdate', { incidentID: id })).keyUpdate, null, 'nothing half-written');
    });
  });
}
