import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newId } from '../../src/lib/ids.ts';
import { json } from '../../src/store/db.ts';
import { outboxRepo } from '../../src/store/outbox.repo.ts';
import { playbooksRepo } from '../../src/store/playbooks.repo.ts';
import type { ChecklistTemplate } from '../../src/store/schema.ts';
import { API, startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';

const UNKNOWN = 'a'.repeat(26);

/** No playbook route exists yet: tests that need one write it straight to the store. */
async function insertPlaybook(
  h: Harness,
  opts: { checklists?: ChecklistTemplate[]; settings?: Record<string, unknown>; publicRuns?: boolean } = {},
): Promise<string> {
  const id = newId();
  const now = h.ctx.clock.now();
  await playbooksRepo.insert(h.ctx.db, {
    id,
    team_id: h.teamId,
    title: 'Playbook',
    public: true,
    create_public_playbook_run: opts.publicRuns ?? true,
    checklists: json(opts.checklists ?? []),
    settings: json(opts.settings ?? {}),
    created_by: h.admin.id,
    create_at: now,
    update_at: now,
  });
  return id;
}

const STAGES: ChecklistTemplate[] = ['Triage', 'Mitigate', 'Review'].map((title) => ({
  title,
  items: [{ title: `${title} task`, description: '', command: '' }],
}));

async function createRun(h: Harness, extra: Record<string, unknown> = {}, token?: string): Promise<any> {
  const res = await h.post(`${API}/runs`, { name: 'Checkout errors', owner_user_id: h.admin.id, team_id: h.teamId, ...extra }, token);
  assert.equal(res.status, 201, res.text);
  return res.body;
}

async function channelPosts(h: Harness, channelId: string) {
  return h.ctx.db
    .selectFrom('posts')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('delete_at', '=', 0)
    .orderBy('create_at')
    .orderBy('id')
    .execute();
}

const eventTypes = (run: any): string[] => run.timeline_events.map((e: any) => e.event_type);

for (const kind of testDatabases()) {
  describe(`${kind}: run lifecycle`, () => {
    let h: Harness;
    let member: TestUser;
    let outsider: TestUser;
    before(async () => {
      h = await startHarness(kind);
      member = await h.user();
      outsider = await h.user(undefined, { team: false });
    });
    after(async () => {
      await h.close();
    });

    test('PUT /finish finishes once, posts in the channel, and PUT /restore undoes it', async () => {
      const run = await createRun(h);
      const finished = await h.put(`${API}/runs/${run.id}/finish`);
      assert.equal(finished.status, 200);
      assert.equal(finished.headers.get('content-type'), 'application/json');
      assert.deepEqual(finished.body, { status: 'OK' });

      let got = (await h.get(`${API}/runs/${run.id}`)).body;
      assert.equal(got.current_status, 'Finished');
      assert.equal(got.is_active, false);
      assert.ok(got.end_at > 0);
      assert.equal(got.previous_reminder, 0);
      assert.deepEqual(eventTypes(got), ['incident_created', 'run_finished']);
      const messages = (await channelPosts(h, run.channel_id)).map((p) => p.message);
      assert.ok(messages.includes(`@${h.admin.username} marked this run as finished.`), messages.join('\n'));
      const finishEvent = got.timeline_events[1];
      assert.ok(finishEvent.post_id, 'the event points at the channel post');

      const again = await h.put(`${API}/runs/${run.id}/finish`);
      assert.equal(again.status, 200);
      assert.deepEqual(eventTypes((await h.get(`${API}/runs/${run.id}`)).body), ['incident_created', 'run_finished']);

      const restored = await h.put(`${API}/runs/${run.id}/restore`);
      assert.equal(restored.status, 200);
      assert.deepEqual(restored.body, { status: 'OK' });
      got = (await h.get(`${API}/runs/${run.id}`)).body;
      assert.equal(got.current_status, 'InProgress');
      assert.equal(got.end_at, 0);
      assert.deepEqual(eventTypes(got), ['incident_created', 'run_finished', 'run_restored']);
      const last = (await channelPosts(h, run.channel_id)).at(-1)!;
      assert.equal(last.message, `@${h.admin.username} changed this run's status from Finished to In Progress.`);

      const restoreAgain = await h.put(`${API}/runs/${run.id}/restore`);
      assert.equal(restoreAgain.status, 200);
      assert.equal((await h.get(`${API}/runs/${run.id}`)).body.timeline_events.length, 3);
    });

    test('the END-era /end (PUT and POST) and /restart map onto finish and restore with empty bodies', async () => {
      const run = await createRun(h);
      const ended = await h.put(`${API}/runs/${run.id}/end`);
      assert.equal(ended.status, 200);
      assert.equal(ended.text, '');
      assert.equal((await h.get(`${API}/runs/${run.id}`)).body.current_status, 'Finished');
      const restarted = await h.put(`${API}/runs/${run.id}/restart`);
      assert.equal(restarted.status, 200);
      assert.equal(restarted.text, '');
      assert.equal((await h.get(`${API}/runs/${run.id}`)).body.current_status, 'InProgress');
      const endedByDialog = await h.post(`${API}/runs/${run.id}/end`);
      assert.equal(endedByDialog.status, 200);
      assert.equal((await h.get(`${API}/runs/${run.id}`)).body.current_status, 'Finished');
    });

    test('POST /status posts a trimmed custom_run_update, records it, and lists it in status-updates', async () => {
      const run = await createRun(h);
      const res = await h.post(`${API}/runs/${run.id}/status`, { message: '  Rolled back the deploy.  ', reminder: 600 });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, { status: 'OK' });
      assert.equal(res.headers.get('content-type'), 'application/json');

      const got = (await h.get(`${API}/runs/${run.id}`)).body;
      assert.equal(got.status_posts.length, 1);
      assert.equal(got.previous_reminder, 600 * 1e9);
      assert.ok(got.last_status_update_at >= run.last_status_update_at);
      const event = got.timeline_events.find((e: any) => e.event_type === 'status_updated');
      assert.ok(event, 'a status_updated event');
      assert.equal(event.post_id, got.status_posts[0].id);
      assert.equal(event.subject_user_id, h.admin.id);

      const posts = await channelPosts(h, run.channel_id);
      const statusPost = posts.find((p) => p.id === event.post_id)!;
      assert.equal(statusPost.type, 'custom_run_update');
      assert.equal(statusPost.message, 'Rolled back the deploy.');
      assert.equal(statusPost.incident_id, run.id);
      assert.equal(statusPost.props.authorUsername, h.admin.username);
      assert.equal(statusPost.props.numTasks, 0);

      await h.post(`${API}/runs/${run.id}/status`, { message: 'Second update' });
      const updates = await h.get(`${API}/runs/${run.id}/status-updates`);
      assert.equal(updates.status, 200);
      assert.deepEqual(
        updates.body.map((u: any) => [u.message, u.user_id, u.author_user_name]),
        [
          ['Rolled back the deploy.', h.admin.id, h.admin.username],
          ['Second update', h.admin.id, h.admin.username],
        ],
      );
      assert.equal((await h.get(`${API}/runs/${run.id}`)).body.previous_reminder, 0, 'no reminder given: none set');
    });

    test('POST /status rejects a blank message and a bad reminder with a 400 naming the field, writing nothing', async () => {
      const run = await createRun(h);
      const cases: Array<[unknown, RegExp]> = [
        [{ message: '   ', reminder: 600 }, /message/],
        [{ reminder: 600 }, /message/],
        [{ message: 5 }, /message/],
        [{ message: 'ok', reminder: -1 }, /reminder/],
        [{ message: 'ok', reminder: '600' }, /reminder/],
        [{ message: 'ok', reminder: 1e12 }, /reminder/],
        [{ message: 'ok', finish_run: 'yes' }, /finish_run/],
      ];
      for (const [body, pattern] of cases) {
        const res = await h.post(`${API}/runs/${run.id}/status`, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.match(res.body.error, pattern, JSON.stringify(body));
      }
      const got = (await h.get(`${API}/runs/${run.id}`)).body;
      assert.deepEqual(got.status_posts, []);
      assert.deepEqual(eventTypes(got), ['incident_created']);
    });

    test('POST /status with finish_run finishes the run after posting', async () => {
      const run = await createRun(h);
      const res = await h.post(`${API}/runs/${run.id}/status`, { message: 'All clear', reminder: 600, finish_run: true });
      assert.equal(res.status, 200);
      const got = (await h.get(`${API}/runs/${run.id}`)).body;
      assert.equal(got.current_status, 'Finished');
      assert.equal(got.previous_reminder, 0);
      assert.deepEqual(eventTypes(got), ['incident_created', 'status_updated', 'run_finished']);
    });

    test('the update-status dialog takes the reminder as text', async () => {
      const run = await createRun(h);
      const res = await h.post(`${API}/runs/${run.id}/update-status-dialog`, { submission: { message: 'From the dialog', reminder: '900' } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.text, '');
      const got = (await h.get(`${API}/runs/${run.id}`)).body;
      assert.equal(got.status_posts.length, 1);
      assert.equal(got.previous_reminder, 900 * 1e9);
      const bad = await h.post(`${API}/runs/${run.id}/update-status-dialog`, { submission: { message: 'x', reminder: 'soon' } });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error, /reminder/);
      const finishing = await h.post(`${API}/runs/${run.id}/update-status-dialog`, { submission: { message: 'Done', finish_run: 'true' } });
      assert.equal(finishing.status, 200);
      assert.equal((await h.get(`${API}/runs/${run.id}`)).body.current_status, 'Finished');
    });

    test('status updates and finish record status webhooks and broadcast when the playbook says so', async () => {
      const announcements = await createRun(h, { name: 'Announcements' });
      const playbookId = await insertPlaybook(h, {
        settings: {
          webhook_on_status_update_enabled: true,
          webhook_on_status_update_urls: ['http://127.0.0.1:9/status-hook'],
          broadcast_enabled: true,
          broadcast_channel_ids: [announcements.channel_id],
        },
      });
      const run = await createRun(h, { playbook_id: playbookId });
      assert.equal((await h.post(`${API}/runs/${run.id}/status`, { message: 'Broadcast me', reminder: 300 })).status, 200);
      assert.equal((await h.put(`${API}/runs/${run.id}/finish`)).status, 200);

      const deliveries = await outboxRepo.forIncident(h.ctx.db, run.id);
      assert.deepEqual(
        deliveries.map((d) => [d.event, d.url]),
        [
          ['status_updated', 'http://127.0.0.1:9/status-hook'],
          ['run_finished', 'http://127.0.0.1:9/status-hook'],
        ],
      );
      const payload = deliveries[0]!.payload as any;
      assert.deepEqual(payload.event.payload, { message: 'Broadcast me', reminder: 300, finish_run: false });
      assert.equal(payload.id, run.id);

      const broadcastMessages = (await channelPosts(h, announcements.channel_id)).map((p) => p.message);
      assert.ok(broadcastMessages.includes('Broadcast me'), broadcastMessages.join('\n'));
      assert.ok(broadcastMessages.includes(`@${h.admin.username} marked this run as finished.`));
      const statusPosts = (await h.get(`${API}/runs/${announcements.id}`)).body.status_posts;
      assert.deepEqual(statusPosts, [], 'broadcast copies are not status posts of the other run');
    });

    test('a broadcast channel that is gone leaves a visible message in the run room, for creation, status update and finish', async () => {
      const live = await createRun(h, { name: 'Live announcements' });
      const playbookId = await insertPlaybook(h, {
        settings: { broadcast_enabled: true, broadcast_channel_ids: [live.channel_id, 'z'.repeat(26)] },
      });
      const run = await createRun(h, { playbook_id: playbookId });
      assert.equal((await h.post(`${API}/runs/${run.id}/status`, { message: 'Half broadcast', reminder: 0 })).status, 200);
      assert.equal((await h.put(`${API}/runs/${run.id}/finish`)).status, 200);
      const room = (await channelPosts(h, run.channel_id)).map((p) => p.message);
      for (const what of ['creation', 'status update', 'finish']) {
        assert.ok(room.includes(`Failed to broadcast run ${what} to the configured channel.`), `${what}: ${room.join(' | ')}`);
      }
      const reached = (await channelPosts(h, live.channel_id)).map((p) => p.message);
      assert.ok(reached.includes('Half broadcast'), 'the channel that exists still gets the broadcast');
    });

    test('PATCH active_stage moves between checklists; same stage is a no-op; out of range is a 400', async () => {
      const playbookId = await insertPlaybook(h, { checklists: STAGES });
      const run = await createRun(h, { playbook_id: playbookId });
      assert.equal(run.active_stage, 0);
      assert.equal(run.active_stage_title, 'Triage');

      const moved = await h.patch(`${API}/runs/${run.id}`, { active_stage: 2 });
      assert.equal(moved.status, 200, moved.text);
      assert.equal(moved.body.id, run.id);
      assert.equal(moved.body.active_stage, 2);
      assert.equal(moved.body.active_stage_title, 'Review');
      assert.deepEqual(eventTypes(moved.body), ['incident_created', 'stage_changed']);
      const last = (await channelPosts(h, run.channel_id)).at(-1)!;
      assert.equal(last.message, `${h.admin.username} changed the active stage from **Triage** to **Review**.`);

      const same = await h.patch(`${API}/runs/${run.id}`, { active_stage: 2 });
      assert.equal(same.status, 200);
      assert.deepEqual(eventTypes(same.body), ['incident_created', 'stage_changed']);

      for (const body of [{ active_stage: 3 }, { active_stage: -1 }, { active_stage: '1' }, { active_stage: 1.5 }]) {
        const res = await h.patch(`${API}/runs/${run.id}`, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.match(res.body.error, /active_stage/);
      }
      const empty = await h.patch(`${API}/runs/${run.id}`, {});
      assert.equal(empty.status, 200);
      assert.equal(empty.body.active_stage, 2);
    });

    test('POST /next-stage-dialog takes the stage as text; non-numeric state is a 400', async () => {
      const playbookId = await insertPlaybook(h, { checklists: STAGES });
      const run = await createRun(h, { playbook_id: playbookId });
      const res = await h.post(`${API}/runs/${run.id}/next-stage-dialog`, { state: '1', callback_id: '', submission: {} });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.text, '');
      assert.equal((await h.get(`${API}/runs/${run.id}`)).body.active_stage_title, 'Mitigate');
      for (const state of ['next', '', '-1', '1e2']) {
        const bad = await h.post(`${API}/runs/${run.id}/next-stage-dialog`, { state });
        assert.equal(bad.status, 400, state);
        assert.match(bad.body.error, /state/);
      }
      const outOfRange = await h.post(`${API}/runs/${run.id}/next-stage-dialog`, { state: '7' });
      assert.equal(outOfRange.status, 400);
      assert.match(outOfRange.body.error, /active_stage/);
    });

    test('PATCH renames and edits the summary with timeline events; a blank name is a 400', async () => {
      const run = await createRun(h);
      const res = await h.patch(`${API}/runs/${run.id}`, { name: '  Checkout outage  ', summary: 'Payments fail at 30%' });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.name, 'Checkout outage');
      assert.equal(res.body.summary, 'Payments fail at 30%');
      assert.equal(res.body.description, 'Payments fail at 30%');
      assert.ok(res.body.summary_modified_at > 0);
      assert.deepEqual(eventTypes(res.body), ['incident_created', 'title_changed', 'summary_changed']);

      const viaDescription = await h.patch(`${API}/runs/${run.id}`, { description: 'Now 5%' });
      assert.equal(viaDescription.body.summary, 'Now 5%');

      const blank = await h.patch(`${API}/runs/${run.id}`, { name: '   ' });
      assert.equal(blank.status, 400);
      assert.match(blank.body.error, /name/);
      const tooLong = await h.patch(`${API}/runs/${run.id}`, { name: 'x'.repeat(300) });
      assert.equal(tooLong.status, 400);
      assert.equal((await h.get(`${API}/runs/${run.id}`)).body.name, 'Checkout outage');
    });

    test('POST /owner hands the run over, adds the owner to the channel, and records it', async () => {
      const run = await createRun(h);
      const newOwner = await h.user();
      const res = await h.post(`${API}/runs/${run.id}/owner`, { owner_id: newOwner.id });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, {});

      const got = (await h.get(`${API}/runs/${run.id}`)).body;
      assert.equal(got.owner_user_id, newOwner.id);
      assert.ok(got.participant_ids.includes(newOwner.id));
      const event = got.timeline_events.find((e: any) => e.event_type === 'owner_changed');
      assert.equal(event.summary, `@${h.admin.username} to @${newOwner.username}`);
      assert.equal(event.subject_user_id, newOwner.id);
      const messages = (await channelPosts(h, run.channel_id)).map((p) => p.message);
      assert.ok(messages.includes(`${h.admin.username} changed the owner from @${h.admin.username} to @${newOwner.username}.`));

      const same = await h.post(`${API}/runs/${run.id}/owner`, { owner_id: newOwner.id });
      assert.equal(same.status, 200);
      assert.equal((await h.get(`${API}/runs/${run.id}`)).body.timeline_events.length, got.timeline_events.length);
    });

    test('POST /owner: an unknown user is a 400, a malformed id a 400, a user who may not change the run a 403', async () => {
      const run = await createRun(h);
      const unknown = await h.post(`${API}/runs/${run.id}/owner`, { owner_id: UNKNOWN });
      assert.equal(unknown.status, 400);
      assert.match(unknown.body.error, new RegExp(UNKNOWN));
      assert.equal(unknown.body.details, 'field: owner_id');
      const malformed = await h.post(`${API}/runs/${run.id}/owner`, { owner_id: 'nobody' });
      assert.equal(malformed.status, 400);
      assert.match(malformed.body.error, /owner_id/);
      const missing = await h.post(`${API}/runs/${run.id}/owner`, {});
      assert.equal(missing.status, 400);
      const notInTeam = await h.post(`${API}/runs/${run.id}/owner`, { owner_id: outsider.id });
      assert.equal(notInTeam.status, 403);
      assert.equal((await h.get(`${API}/runs/${run.id}`)).body.owner_user_id, h.admin.id);
    });

    test('GET /metadata counts people ever in the channel and lists followers', async () => {
      const run = await createRun(h, { name: 'Metadata run' });
      const joiner = await h.user();
      assert.equal((await h.post(`${API}/runs/${run.id}/owner`, { owner_id: joiner.id })).status, 200);
      assert.equal((await h.put(`${API}/runs/${run.id}/followers`, undefined, member.token)).status, 200);
      const res = await h.get(`${API}/runs/${run.id}/metadata`);
      assert.equal(res.status, 200);
      const posts = await channelPosts(h, run.channel_id);
      const channel = await h.ctx.db.selectFrom('channels').selectAll().where('id', '=', run.channel_id).executeTakeFirstOrThrow();
      assert.deepEqual(res.body, {
        channel_name: channel.name,
        channel_display_name: 'Metadata run',
        team_name: (await h.ctx.db.selectFrom('teams').select('name').where('id', '=', h.teamId).executeTakeFirstOrThrow()).name,
        num_participants: 2,
        num_members: 2,
        total_posts: posts.length,
        followers: [member.id],
      });
      assert.equal((await h.get(`${API}/runs/${run.id}/metadata`, outsider.token)).status, 403);
    });

    test('followers: PUT follows, GET lists, DELETE unfollows; following needs view permission', async () => {
      const run = await createRun(h);
      const follow = await h.put(`${API}/runs/${run.id}/followers`, undefined, member.token);
      assert.equal(follow.status, 200);
      assert.equal((await h.put(`${API}/runs/${run.id}/followers`, undefined, member.token)).status, 200, 'idempotent');
      let list = await h.get(`${API}/runs/${run.id}/followers`);
      assert.equal(list.status, 200);
      assert.deepEqual(list.body, [member.id]);
      assert.deepEqual((await h.get(`${API}/runs/${run.id}`)).body.follower_ids, [member.id]);

      assert.equal((await h.delete(`${API}/runs/${run.id}/followers`, member.token)).status, 200);
      list = await h.get(`${API}/runs/${run.id}/followers`);
      assert.deepEqual(list.body, []);

      assert.equal((await h.put(`${API}/runs/${run.id}/followers`, undefined, outsider.token)).status, 403);
      assert.equal((await h.get(`${API}/runs/${run.id}/followers`, outsider.token)).status, 403);
      assert.deepEqual((await h.get(`${API}/runs/${run.id}/followers`)).body, []);
    });

    test('a team member outside a private run channel may see and follow it but not change it', async () => {
      const playbookId = await insertPlaybook(h, { checklists: STAGES, publicRuns: false });
      const run = await createRun(h, { playbook_id: playbookId });
      const channel = await h.ctx.db.selectFrom('channels').select('type').where('id', '=', run.channel_id).executeTakeFirstOrThrow();
      assert.equal(channel.type, 'P');

      const attempts: Array<[string, string, unknown]> = [
        ['PUT', 'finish', undefined],
        ['PUT', 'restore', undefined],
        ['PUT', 'end', undefined],
        ['POST', 'status', { message: 'sneaky', reminder: 60 }],
        ['POST', 'owner', { owner_id: member.id }],
        ['POST', 'reminder', { new_reminder_seconds: 60 }],
        ['POST', 'next-stage-dialog', { state: '1' }],
      ];
      for (const [method, path, body] of attempts) {
        const res = await h.request(method, `${API}/runs/${run.id}/${path}`, { body, token: member.token });
        assert.equal(res.status, 403, `${method} ${path}: ${res.text}`);
        assert.ok(res.body.error);
      }
      assert.equal((await h.patch(`${API}/runs/${run.id}`, { active_stage: 1 }, member.token)).status, 403);
      // The participant may make the team member owner? No: the owner must be able to change the run.
      assert.equal((await h.post(`${API}/runs/${run.id}/owner`, { owner_id: member.id })).status, 403);

      assert.equal((await h.get(`${API}/runs/${run.id}/metadata`, member.token)).status, 200);
      assert.equal((await h.put(`${API}/runs/${run.id}/followers`, undefined, member.token)).status, 200);
      const got = (await h.get(`${API}/runs/${run.id}`)).body;
      assert.equal(got.current_status, 'InProgress');
      assert.equal(got.owner_user_id, h.admin.id);
      assert.deepEqual(got.status_posts, []);
      assert.equal(got.active_stage, 0);
    });

    test('a user outside the team gets 403 everywhere; an unknown run is a 404; no token is a 401', async () => {
      const run = await createRun(h);
      const routes: Array<[string, string, unknown]> = [
        ['PUT', 'finish', undefined],
        ['POST', 'status', { message: 'hello' }],
        ['POST', 'owner', { owner_id: outsider.id }],
        ['GET', 'metadata', undefined],
        ['GET', 'status-updates', undefined],
        ['PUT', 'followers', undefined],
        ['POST', 'reminder', { new_reminder_seconds: 60 }],
      ];
      for (const [method, path, body] of routes) {
        const forbidden = await h.request(method, `${API}/runs/${run.id}/${path}`, { body, token: outsider.token });
        assert.equal(forbidden.status, 403, `${method} ${path}`);
        const missing = await h.request(method, `${API}/runs/${UNKNOWN}/${path}`, { body: path === 'owner' ? { owner_id: h.admin.id } : body });
        assert.equal(missing.status, 404, `${method} ${path} unknown run`);
        assert.equal(missing.body.error, 'Not found');
        const anonymous = await h.request(method, `${API}/runs/${run.id}/${path}`, { body, token: null });
        assert.equal(anonymous.status, 401, `${method} ${path} anonymous`);
      }
      assert.equal((await h.patch(`${API}/runs/${UNKNOWN}`, { name: 'x' })).status, 404);
      assert.equal((await h.patch(`${API}/runs/${run.id}`, { name: 'x' }, outsider.token)).status, 403);
      assert.equal((await h.put(`${API}/runs/not-an-id/finish`)).status, 400);
    });

    test('20 concurrent status updates all land, each with its own timeline event', async () => {
      const run = await createRun(h);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => h.post(`${API}/runs/${run.id}/status`, { message: `update ${i}`, reminder: 600 })),
      );
      assert.deepEqual(
        results.map((r) => r.status),
        Array.from({ length: 20 }, () => 200),
      );
      const got = (await h.get(`${API}/runs/${run.id}`)).body;
      assert.equal(got.timeline_events.filter((e: any) => e.event_type === 'status_updated').length, 20);
      assert.equal(got.status_posts.length, 20);
      const messages = (await h.get(`${API}/runs/${run.id}/status-updates`)).body.map((u: any) => u.message).sort();
      assert.deepEqual(messages, Array.from({ length: 20 }, (_, i) => `update ${i}`).sort());
      const seqs = await h.ctx.db.selectFrom('timeline_events').select('seq').where('incident_id', '=', run.id).orderBy('seq').execute();
      assert.deepEqual(
        seqs.map((s) => s.seq),
        Array.from({ length: 21 }, (_, i) => i + 1),
        'gapless sequence',
      );
    });
  });
}
