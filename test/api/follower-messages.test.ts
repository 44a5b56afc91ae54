import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { API, startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';

const V4 = '/api/v4';

for (const kind of testDatabases()) {
  describe(`${kind}: followers get direct messages`, () => {
    let h: Harness;
    let follower: TestUser;

    before(async () => {
      h = await startHarness(kind, { fakeClockAt: Date.UTC(2026, 11, 3, 9) });
      follower = await h.user('watcher');
    });
    after(() => h.close());

    /** The bot's direct messages to `user` in the default team, oldest first (through the Mattermost API). */
    async function directMessages(user: TestUser): Promise<string[]> {
      const channels = await h.get(`${V4}/users/me/teams/${h.teamId}/channels`, user.token);
      assert.equal(channels.status, 200, channels.text);
      const direct = (channels.body as Array<{ id: string; type: string }>).filter((c) => c.type === 'D');
      if (direct.length === 0) return [];
      assert.equal(direct.length, 1, 'one direct channel with the bot');
      const posts = await h.get(`${V4}/channels/${direct[0]!.id}/posts`, user.token);
      assert.equal(posts.status, 200, posts.text);
      const list = posts.body as { order: string[]; posts: Record<string, { message: string }> };
      return [...list.order].reverse().map((id) => list.posts[id]!.message); // `order` is newest first
    }

    async function followedRun(name: string): Promise<string> {
      const run = await h.post(`${API}/runs`, { name, owner_user_id: h.admin.id, team_id: h.teamId, create_public_run: true });
      assert.equal(run.status, 201, run.text);
      assert.equal((await h.put(`${API}/runs/${run.body.id}/followers`, undefined, follower.token)).status, 200);
      return run.body.id;
    }

    test('a status update, an overdue reminder and the finish are sent to each follower, not to the author', async () => {
      const runId = await followedRun('Payments down');
      const seen = (await directMessages(follower)).length;
      assert.equal((await h.post(`${API}/runs/${runId}/status`, { message: 'Rolled back v42', reminder: 60 })).status, 200);
      h.clock!.advance(61_000);
      await h.muster.jobs.tick();
      h.clock!.advance(1_000); // posts at one instant have no order
      assert.equal((await h.put(`${API}/runs/${runId}/finish`)).status, 200);
      const got = (await directMessages(follower)).slice(seen);
      assert.equal(got.length, 3, JSON.stringify(got, null, 1));
      assert.match(got[0]!, /^Status update for Payments down:\nRolled back v42\nhttp.*\/incidents\//);
      assert.match(got[1]!, /^Status update is overdue for Payments down\n/);
      assert.match(got[2]!, /^Payments down:\n@admin marked this run as finished\./);
      assert.deepEqual(await directMessages(h.admin), [], 'the admin follows nothing and gets nothing');
    });

    test('a follower who posts the update does not get a copy of their own', async () => {
      const runId = await followedRun('Self-authored');
      await h.post(`${API}/runs/${runId}/participants`, { user_ids: [follower.id] });
      const seen = (await directMessages(follower)).length;
      const res = await h.post(`${API}/runs/${runId}/status`, { message: 'Mine', reminder: 600 }, follower.token);
      assert.equal(res.status, 200, res.text);
      assert.equal((await directMessages(follower)).length, seen);
    });

    test("a playbook's auto-followers are told when a run of it starts", async () => {
      const pb = await h.post(`${API}/playbooks`, { title: 'Database playbook', team_id: h.teamId, public: true });
      assert.equal(pb.status, 201, pb.text);
      assert.equal((await h.put(`${API}/playbooks/${pb.body.id}/autofollows/${follower.id}`, undefined, follower.token)).status, 200);
      const seen = (await directMessages(follower)).length;
      h.clock!.advance(1_000);
      const run = await h.post(`${API}/runs`, { name: 'Replica lag', owner_user_id: h.admin.id, team_id: h.teamId, playbook_id: pb.body.id });
      assert.equal(run.status, 201, run.text);
      assert.deepEqual(run.body.follower_ids, [follower.id]);
      const got = (await directMessages(follower)).slice(seen);
      assert.equal(got.length, 1, JSON.stringify(got));
      assert.match(got[0]!, /^You are following a new run of Database playbook: Replica lag\nhttp/);
    });

    test("another user cannot list a user's channels", async () => {
      const res = await h.get(`${V4}/users/${follower.id}/teams/${h.teamId}/channels`, (await h.user()).token);
      assert.equal(res.status, 403, res.text);
    });
  });
}
