import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { API, startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';

for (const kind of testDatabases()) {
  describe(`${kind}: requests a viewer makes of a run`, () => {
    let h: Harness;
    let viewer: TestUser;
    let runId: string;
    let channelId: string;

    before(async () => {
      h = await startHarness(kind);
      viewer = await h.user('manager');
      const run = await h.post(`${API}/runs`, { name: 'Checkout slow', owner_user_id: h.admin.id, team_id: h.teamId, create_public_run: true });
      assert.equal(run.status, 201, run.text);
      runId = run.body.id;
      channelId = run.body.channel_id;
    });
    after(() => h.close());

    const roomMessages = async () =>
      (await h.ctx.db.selectFrom('posts').select('message').where('channel_id', '=', channelId).orderBy('create_at').orderBy('id').execute()).map((p) => p.message);
    const ownerDirectMessages = async () => {
      const channels = await h.get(`/api/v4/users/me/teams/${h.teamId}/channels`);
      const direct = (channels.body as Array<{ id: string; type: string }>).find((c) => c.type === 'D');
      if (!direct) return [];
      const posts = await h.get(`/api/v4/channels/${direct.id}/posts`);
      return Object.values(posts.body.posts as Record<string, { message: string }>).map((p) => p.message);
    };

    test('request-update: the room is told, the timeline records it, the owner gets a direct message', async () => {
      // The web app sends a text/plain body of "[object Object]" here; it is ignored.
      const res = await h.request('POST', `${API}/runs/${runId}/request-update`, { token: viewer.token, body: '[object Object]', headers: { 'content-type': 'text/plain;charset=UTF-8' } });
      assert.equal(res.status, 200, res.text);
      assert.ok((await roomMessages()).includes('@manager requested a status update from @admin.'));
      const run = await h.get(`${API}/runs/${runId}`);
      const event = run.body.timeline_events.find((e: { event_type: string }) => e.event_type === 'status_update_requested');
      assert.equal(event.summary, '@manager requested a status update');
      assert.equal(event.subject_user_id, viewer.id);
      assert.ok((await ownerDirectMessages()).some((m) => m.startsWith('@manager asks for a status update on Checkout slow\n')));
    });

    test('request-join-channel: the room and the owner are told; a member asking is refused', async () => {
      const res = await h.post(`${API}/runs/${runId}/request-join-channel`, undefined, viewer.token);
      assert.equal(res.status, 200, res.text);
      assert.ok((await roomMessages()).includes('@manager asks to join this channel.'));
      assert.ok((await ownerDirectMessages()).some((m) => m.startsWith('@manager asks to join the channel of Checkout slow')));
      const member = await h.post(`${API}/runs/${runId}/request-join-channel`);
      assert.equal(member.status, 400, member.text);
      assert.match(member.text, /already in the run channel/);
    });

    test('someone who cannot see the run may ask nothing of it', async () => {
      const outsider = await h.user('outsider', { team: false });
      assert.equal((await h.post(`${API}/runs/${runId}/request-update`, undefined, outsider.token)).status, 403);
      assert.equal((await h.post(`${API}/runs/${'a'.repeat(26)}/request-update`, undefined, viewer.token)).status, 404);
    });
  });
}
