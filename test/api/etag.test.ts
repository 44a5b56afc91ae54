// Optimistic concurrency: strong ETags from a version on runs, playbooks and RPC incidents; a stale If-Match
// is refused with 412 and changes nothing; no If-Match is accepted as before.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, testDatabases, type Harness } from '../helpers/harness.ts';

const RPC = '/api/plugins/grafana-incident-app/resources/api/v1';
const API = '/plugins/playbooks/api/v0';
const STRONG = /^"\d+"$/;

for (const kind of testDatabases()) {
  describe(`${kind}: ETag and If-Match`, () => {
    let h: Harness;

    before(async () => {
      h = await startHarness(kind);
    });
    after(async () => {
      await h.close();
    });

    async function newRun(name: string): Promise<string> {
      const res = await h.post(`${API}/runs`, { name, owner_user_id: h.admin.id, team_id: h.teamId });
      assert.equal(res.status, 201, res.text);
      return res.body.id;
    }
    async function runTag(id: string): Promise<{ etag: string; run: any }> {
      const res = await h.get(`${API}/runs/${id}`);
      assert.equal(res.status, 200, res.text);
      const etag = res.headers.get('etag');
      assert.match(etag ?? '', STRONG);
      return { etag: etag!, run: res.body };
    }
    const ifMatch = (etag: string) => ({ 'if-match': etag });
    async function rpc(method: string, body: unknown, headers: Record<string, string> = {}) {
      return h.request('POST', `${RPC}/${method}`, { body, headers });
    }

    test('a run has a strong ETag, stable across reads, new after a write', async () => {
      const id = await newRun('ETag run');
      const first = await runTag(id);
      assert.equal((await runTag(id)).etag, first.etag);
      const res = await h.post(`${API}/runs/${id}/status`, { message: 'investigating', reminder: 0 });
      assert.equal(res.status, 200, res.text);
      assert.notEqual((await runTag(id)).etag, first.etag);
    });

    test('PATCH /runs/{id}: stale If-Match → 412 and nothing changed; current → 200; absent → 200', async () => {
      const id = await newRun('Before');
      const stale = (await runTag(id)).etag;
      assert.equal((await h.post(`${API}/runs/${id}/status`, { message: 'moves the version', reminder: 0 })).status, 200);
      const current = await runTag(id);

      const refused = await h.request('PATCH', `${API}/runs/${id}`, { body: { name: 'After' }, headers: ifMatch(stale) });
      assert.equal(refused.status, 412, refused.text);
      const unchanged = await runTag(id);
      assert.equal(unchanged.run.name, 'Before');
      assert.equal(unchanged.etag, current.etag);
      assert.equal(unchanged.run.timeline_events.length, current.run.timeline_events.length);

      const weak = await h.request('PATCH', `${API}/runs/${id}`, { body: { name: 'After' }, headers: ifMatch(`W/${current.etag}`) });
      assert.equal(weak.status, 412, 'a weak tag never matches If-Match');

      const accepted = await h.request('PATCH', `${API}/runs/${id}`, { body: { name: 'After' }, headers: ifMatch(`"999999", ${current.etag}`) });
      assert.equal(accepted.status, 200, accepted.text);
      const later = await runTag(id);
      assert.equal(later.run.name, 'After');
      assert.notEqual(later.etag, current.etag);

      const plain = await h.patch(`${API}/runs/${id}`, { name: 'No precondition' });
      assert.equal(plain.status, 200, plain.text);
      const star = await h.request('PATCH', `${API}/runs/${id}`, { body: { name: 'Any version' }, headers: ifMatch('*') });
      assert.equal(star.status, 200, star.text);
    });

    test('status updates (the grouped write path) honour If-Match too', async () => {
      const id = await newRun('Grouped');
      const stale = (await runTag(id)).etag;
      await h.post(`${API}/runs/${id}/status`, { message: 'one', reminder: 0 });
      const earlier = await runTag(id);
      const [refused, plain] = await Promise.all([
        h.request('POST', `${API}/runs/${id}/status`, { body: { message: 'stale', reminder: 0 }, headers: ifMatch(stale) }),
        h.post(`${API}/runs/${id}/status`, { message: 'no precondition', reminder: 0 }),
      ]);
      assert.equal(refused.status, 412, refused.text);
      assert.equal(plain.status, 200, plain.text);
      const later = await runTag(id);
      const messages = later.run.status_posts?.map((p: any) => p.message) ?? [];
      assert.equal(later.run.timeline_events.length, earlier.run.timeline_events.length + 1);
      assert.ok(!JSON.stringify(later.run).includes('"stale"'), `the refused update must not be stored: ${JSON.stringify(messages)}`);
    });

    test('RPC: GetIncident sends the run\'s ETag; a stale If-Match on UpdateTitle → 412, title unchanged', async () => {
      const id = await newRun('RPC title');
      const got = await rpc('IncidentsService.GetIncident', { incidentID: id });
      assert.equal(got.status, 200, got.text);
      const etag = got.headers.get('etag')!;
      assert.equal(etag, (await runTag(id)).etag);

      assert.equal((await rpc('IncidentsService.UpdateTitle', { incidentID: id, title: 'moved' })).status, 200);
      const refused = await rpc('IncidentsService.UpdateTitle', { incidentID: id, title: 'stale write' }, ifMatch(etag));
      assert.equal(refused.status, 412, refused.text);
      assert.equal(typeof refused.body.error, 'string');
      const now = await rpc('IncidentsService.GetIncident', { incidentID: id });
      assert.equal(now.body.incident.title, 'moved');
      const current = now.headers.get('etag')!;
      assert.notEqual(current, etag);
      const ok = await rpc('IncidentsService.UpdateTitle', { incidentID: id, title: 'fresh write' }, ifMatch(current));
      assert.equal(ok.status, 200, ok.text);
    });

    test('editing an activity item changes the ETag although the timeline seq does not move', async () => {
      const id = await newRun('Activity');
      const added = await rpc('ActivityService.AddActivity', { incidentID: id, activityKind: 'userNote', body: 'first' });
      assert.equal(added.status, 200, added.text);
      const earlier = await runTag(id);
      const itemID = added.body.activityItem.activityItemID;
      const staleNote = await rpc('ActivityService.AddActivity', { incidentID: id, activityKind: 'userNote', body: 'x' }, ifMatch('"1"'));
      assert.equal(staleNote.status, 412, staleNote.text);
      const edited = await rpc('ActivityService.UpdateActivityBody', { incidentID: id, activityItemID: itemID, body: 'edited' });
      assert.equal(edited.status, 200, edited.text);
      const later = await runTag(id);
      assert.equal(later.run.timeline_events.length, earlier.run.timeline_events.length);
      assert.notEqual(later.etag, earlier.etag);
    });

    test('following a run changes its ETag (follower_ids is part of the run); a stale If-Match refuses it', async () => {
      const id = await newRun('Followed');
      const earlier = await runTag(id);
      assert.equal((await h.put(`${API}/runs/${id}/followers`)).status, 200);
      const later = await runTag(id);
      assert.ok(later.run.follower_ids.includes(h.admin.id));
      assert.notEqual(later.etag, earlier.etag);
      const refused = await h.request('DELETE', `${API}/runs/${id}/followers`, { headers: ifMatch(earlier.etag) });
      assert.equal(refused.status, 412, refused.text);
      assert.ok((await runTag(id)).run.follower_ids.includes(h.admin.id));
    });

    test('playbooks: ETag from a version bumped on every update; stale If-Match → 412, unchanged', async () => {
      const created = await h.post(`${API}/playbooks`, { title: 'Versioned', team_id: h.teamId, checklists: [] });
      assert.equal(created.status, 201, created.text);
      const id = created.body.id;
      const read = async () => {
        const res = await h.get(`${API}/playbooks/${id}`);
        assert.equal(res.status, 200, res.text);
        assert.match(res.headers.get('etag') ?? '', STRONG);
        return { etag: res.headers.get('etag')!, playbook: res.body };
      };
      const first = await read();
      assert.equal((await read()).etag, first.etag);
      const body = (title: string) => ({ ...first.playbook, title });

      const updated = await h.put(`${API}/playbooks/${id}`, body('Second'));
      assert.equal(updated.status, 200, updated.text);
      const second = await read();
      assert.notEqual(second.etag, first.etag);

      const refused = await h.request('PUT', `${API}/playbooks/${id}`, { body: body('Stale'), headers: ifMatch(first.etag) });
      assert.equal(refused.status, 412, refused.text);
      const unchanged = await read();
      assert.equal(unchanged.playbook.title, 'Second');
      assert.equal(unchanged.etag, second.etag);
      const archive = await h.request('DELETE', `${API}/playbooks/${id}`, { headers: ifMatch(first.etag) });
      assert.equal(archive.status, 412, archive.text);
      assert.equal((await read()).playbook.delete_at, 0);

      const ok = await h.request('PUT', `${API}/playbooks/${id}`, { body: body('Third'), headers: ifMatch(second.etag) });
      assert.equal(ok.status, 200, ok.text);
      assert.equal((await read()).playbook.title, 'Third');
    });
  });
}
