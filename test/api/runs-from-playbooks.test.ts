import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createWarRoom } from '../../src/domain/channels/channels.ts';
import { API, startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';


for (const kind of testDatabases()) {
  describe(`${kind}: runs from playbooks`, () => {
    let h: Harness;
    let member: TestUser;

    before(async () => {
      h = await startHarness(kind, { fakeClock: true });
      member = await h.user('runner');
    });
    after(async () => {
      await h.close();
    });

    async function playbook(body: Record<string, unknown>, token?: string): Promise<string> {
      const res = await h.post(`${API}/playbooks`, { title: 'Playbook', team_id: h.teamId, ...body }, token);
      assert.equal(res.status, 201, res.text);
      return res.body.id;
    }

    function startRun(playbookId: string, token?: string, extra: Record<string, unknown> = {}) {
      return h.post(`${API}/runs`, { name: 'Incident', owner_user_id: h.admin.id, team_id: h.teamId, playbook_id: playbookId, ...extra }, token);
    }

    async function channelType(channelId: string): Promise<string> {
      const row = await h.ctx.db.selectFrom('channels').select('type').where('id', '=', channelId).executeTakeFirstOrThrow();
      return row.type;
    }

    test('a run copies the checklists and settings of its playbook', async () => {
      const id = await playbook({
        checklists: [
          { title: 'Triage', items: [{ title: 'Look', description: 'at graphs', command: '/echo look' }, { title: 'Page', due_date: 3_600_000 }] },
          { title: 'Resolve', items: [] },
        ],
        reminder_timer_default_seconds: 600,
        reminder_message_template: 'Status: ...',
        retrospective_template: 'What happened?',
        retrospective_enabled: true,
      });
      const res = await startRun(id);
      assert.equal(res.status, 201, res.text);
      const run = res.body;
      assert.equal(run.playbook_id, id);
      assert.deepEqual(run.checklists.map((c: any) => c.title), ['Triage', 'Resolve']);
      const [look, page] = run.checklists[0].items;
      assert.deepEqual(
        { title: look.title, description: look.description, command: look.command, state: look.state },
        { title: 'Look', description: 'at graphs', command: '/echo look', state: '' },
      );
      assert.match(look.id, /^[a-z0-9]{26}$/);
      assert.equal(page.due_date, run.create_at + 3_600_000);
      assert.deepEqual(run.checklists[1].items, []);
      assert.equal(run.reminder_timer_default_seconds, 600);
      assert.equal(run.previous_reminder, 600 * 1e9);
      assert.equal(run.reminder_message_template, 'Status: ...');
      assert.equal(run.retrospective, 'What happened?');
      assert.equal(run.retrospective_enabled, true);

      const pb = (await h.get(`${API}/playbooks/${id}`)).body;
      assert.equal(pb.num_runs, 1);
      assert.equal(pb.active_runs, 1);
      assert.equal(pb.last_run_at, run.create_at);
      // The run is a copy: editing the playbook afterwards leaves it alone.
      assert.equal((await h.put(`${API}/playbooks/${id}`, { title: 'Edited', checklists: [] })).status, 200);
      const again = (await h.get(`${API}/runs/${run.id}`)).body;
      assert.deepEqual(again.checklists.map((c: any) => c.title), ['Triage', 'Resolve']);
    });

    test('create_public_playbook_run decides the privacy of the run channel', async () => {
      const privateRuns = await playbook({ create_public_playbook_run: false });
      const publicRuns = await playbook({ create_public_playbook_run: true });
      const privateRun = await startRun(privateRuns);
      const publicRun = await startRun(publicRuns);
      assert.equal(privateRun.status, 201);
      assert.equal(publicRun.status, 201);
      assert.equal(await channelType(privateRun.body.channel_id), 'P');
      assert.equal(await channelType(publicRun.body.channel_id), 'O');
    });

    test('an archived playbook cannot start runs (400); restored, it can again', async () => {
      const id = await playbook({ title: 'Retired' });
      assert.equal((await h.delete(`${API}/playbooks/${id}`)).status, 204);
      const refused = await startRun(id);
      assert.equal(refused.status, 400);
      assert.match(refused.body.error, /archived/);
      assert.equal((await h.put(`${API}/playbooks/${id}/restore`)).status, 200);
      assert.equal((await startRun(id)).status, 201);
    });

    test('a private playbook runs only for its members (403 for other team members)', async () => {
      const outsiderOfPlaybook = await h.user();
      const id = await playbook({ public: false, members: [{ user_id: member.id, roles: ['playbook_member'] }] });
      const denied = await startRun(id, outsiderOfPlaybook.token, { owner_user_id: outsiderOfPlaybook.id });
      assert.equal(denied.status, 403);
      const allowed = await startRun(id, member.token, { owner_user_id: member.id });
      assert.equal(allowed.status, 201, allowed.text);
      assert.equal((await startRun(`${'g'.repeat(26)}`)).status, 404);
    });

    test('auto-followers become followers of every new run', async () => {
      const follower = await h.user();
      const id = await playbook({ title: 'Followed' });
      assert.equal((await h.put(`${API}/playbooks/${id}/autofollows/${follower.id}`, undefined, follower.token)).status, 200);
      assert.equal((await h.put(`${API}/playbooks/${id}/autofollows/${member.id}`, undefined, member.token)).status, 200);
      const run = await startRun(id);
      assert.equal(run.status, 201);
      const got = await h.get(`${API}/runs/${run.body.id}`);
      assert.deepEqual([...got.body.follower_ids].sort(), [follower.id, member.id].sort());
      // A run without that playbook has none.
      const plain = await h.post(`${API}/runs`, { name: 'Plain', owner_user_id: h.admin.id, team_id: h.teamId });
      assert.deepEqual(plain.body.follower_ids, []);
    });

    test('enabled creation webhooks record one delivery per URL with the run, channel_url and details_url', async () => {
      const urls = ['https://hooks.example.com/a', 'http://127.0.0.1:9/b'];
      const id = await playbook({ webhook_on_creation_urls: urls, webhook_on_creation_enabled: true });
      const run = await startRun(id);
      assert.equal(run.status, 201);
      const rows = await h.ctx.db.selectFrom('webhook_deliveries').selectAll().where('incident_id', '=', run.body.id).orderBy('url').execute();
      assert.deepEqual(rows.map((r) => r.url), [...urls].sort());
      for (const row of rows) {
        assert.equal(row.event, 'run_created');
        const payload = row.payload as Record<string, any>;
        assert.equal(payload.id, run.body.id);
        assert.equal(payload.playbook_id, id);
        assert.match(payload.channel_url, /\/channels\/incident/);
        assert.ok(String(payload.details_url).endsWith(`/playbooks/runs/${run.body.id}`));
      }

      const disabled = await playbook({ webhook_on_creation_urls: urls, webhook_on_creation_enabled: false });
      const quiet = await startRun(disabled);
      const none = await h.ctx.db.selectFrom('webhook_deliveries').select('id').where('incident_id', '=', quiet.body.id).execute();
      assert.deepEqual(none, []);
    });

    test('default owner, invited users and broadcast channel come from the playbook', async () => {
      const invited = await h.user();
      const broadcast = await createWarRoom(h.ctx.db, { teamId: h.teamId, displayName: 'ops-news', type: 'O', creatorId: h.admin.id, now: h.clock!.now() });
      const id = await playbook({
        default_owner_id: member.id,
        default_owner_enabled: 'true',
        invited_user_ids: [invited.id],
        invite_users_enabled: true,
        broadcast_channel_ids: [broadcast],
        broadcast_enabled: true,
      });
      const run = await startRun(id);
      assert.equal(run.status, 201, run.text);
      assert.equal(run.body.owner_user_id, member.id);
      assert.equal(run.body.reporter_user_id, h.admin.id);
      assert.ok(run.body.participant_ids.includes(invited.id));
      assert.ok(run.body.participant_ids.includes(member.id));
      assert.deepEqual(run.body.invited_user_ids, [invited.id]);
      assert.deepEqual(run.body.broadcast_channel_ids, [broadcast]);
      const posts = await h.ctx.db.selectFrom('posts').select('message').where('channel_id', '=', broadcast).where('incident_id', '=', run.body.id).execute();
      assert.equal(posts.length, 1);
    });
  });
}
