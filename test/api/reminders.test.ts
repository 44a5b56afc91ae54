import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { reminderKey } from '../../src/domain/incidents/status.ts';
import { newId } from '../../src/lib/ids.ts';
import { json } from '../../src/store/db.ts';
import { jobsRepo } from '../../src/store/jobs.repo.ts';
import { playbooksRepo } from '../../src/store/playbooks.repo.ts';
import { API, startHarness, testDatabases, type Harness } from '../helpers/harness.ts';

const SECOND = 1000;

async function createRun(h: Harness, extra: Record<string, unknown> = {}): Promise<any> {
  const res = await h.post(`${API}/runs`, { name: 'Latency spike', owner_user_id: h.admin.id, team_id: h.teamId, ...extra });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

/** The bot's "please provide a status update" posts in a channel that are still visible. */
async function reminderPosts(h: Harness, channelId: string) {
  return h.ctx.db
    .selectFrom('posts')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('type', '=', 'custom_update_status')
    .where('delete_at', '=', 0)
    .execute();
}

async function tick(h: Harness, advanceMs: number): Promise<void> {
  h.clock!.advance(advanceMs);
  await h.muster.jobs.tick();
}

for (const kind of testDatabases()) {
  describe(`${kind}: status reminders`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(kind, { fakeClock: true });
    });
    after(async () => {
      await h.close();
    });

    test('a status update with reminder 600 asks the owner for an update after 600 s, not before', async () => {
      const run = await createRun(h);
      assert.equal((await h.post(`${API}/runs/${run.id}/status`, { message: 'Looking', reminder: 600 })).status, 200);

      await tick(h, 599 * SECOND);
      assert.deepEqual(await reminderPosts(h, run.channel_id), []);

      await tick(h, 2 * SECOND);
      const posts = await reminderPosts(h, run.channel_id);
      assert.equal(posts.length, 1);
      assert.equal(posts[0]!.message, `@${h.admin.username}, please provide a status update.`);
      assert.equal(posts[0]!.props.targetUsername, h.admin.username);
      assert.equal((await h.get(`${API}/runs/${run.id}`)).body.reminder_post_id, posts[0]!.id);

      // One-shot: it does not repeat.
      await tick(h, 3600 * SECOND);
      assert.equal((await reminderPosts(h, run.channel_id)).length, 1);

      // The next status update removes the reminder post and schedules the next reminder.
      assert.equal((await h.post(`${API}/runs/${run.id}/status`, { message: 'Fixed the cache', reminder: 60 })).status, 200);
      assert.deepEqual(await reminderPosts(h, run.channel_id), []);
      assert.equal((await h.get(`${API}/runs/${run.id}`)).body.reminder_post_id, '');
      await tick(h, 61 * SECOND);
      assert.equal((await reminderPosts(h, run.channel_id)).length, 1);
    });

    test('reminder 0 or absent schedules nothing', async () => {
      const run = await createRun(h);
      assert.equal((await h.post(`${API}/runs/${run.id}/status`, { message: 'No reminder', reminder: 0 })).status, 200);
      assert.equal(await jobsRepo.byKey(h.ctx.db, reminderKey(run.id)), undefined);
      assert.equal((await h.post(`${API}/runs/${run.id}/status`, { message: 'Still none' })).status, 200);
      assert.equal(await jobsRepo.byKey(h.ctx.db, reminderKey(run.id)), undefined);
      await tick(h, 365 * 24 * 3600 * SECOND);
      assert.deepEqual(await reminderPosts(h, run.channel_id), []);
    });

    test('a later status update replaces the pending reminder instead of adding one', async () => {
      const run = await createRun(h);
      await h.post(`${API}/runs/${run.id}/status`, { message: 'first', reminder: 60 });
      await h.post(`${API}/runs/${run.id}/status`, { message: 'second', reminder: 600 });
      await tick(h, 61 * SECOND);
      assert.deepEqual(await reminderPosts(h, run.channel_id), [], 'the 60 s reminder was replaced');
      await tick(h, 540 * SECOND);
      assert.equal((await reminderPosts(h, run.channel_id)).length, 1);
    });

    test('snooze moves the reminder, both earlier and later, and is recorded', async () => {
      const run = await createRun(h);
      await h.post(`${API}/runs/${run.id}/status`, { message: 'Looking', reminder: 60 });
      const later = await h.post(`${API}/runs/${run.id}/reminder`, { new_reminder_seconds: 600 });
      assert.equal(later.status, 204);
      assert.equal(later.text, '');
      await tick(h, 61 * SECOND);
      assert.deepEqual(await reminderPosts(h, run.channel_id), [], 'snoozed past the original 60 s');
      await tick(h, 540 * SECOND);
      assert.equal((await reminderPosts(h, run.channel_id)).length, 1);

      // Snoozing after it fired removes the reminder post and asks again later.
      assert.equal((await h.post(`${API}/runs/${run.id}/reminder`, { new_reminder_seconds: 30 })).status, 204);
      assert.deepEqual(await reminderPosts(h, run.channel_id), []);
      await tick(h, 31 * SECOND);
      assert.equal((await reminderPosts(h, run.channel_id)).length, 1);

      const got = (await h.get(`${API}/runs/${run.id}`)).body;
      assert.equal(got.timeline_events.filter((e: any) => e.event_type === 'status_update_snoozed').length, 2);
      assert.equal(got.previous_reminder, 30 * 1e9);
    });

    test('snooze needs a positive number of seconds', async () => {
      const run = await createRun(h);
      for (const body of [{ new_reminder_seconds: 0 }, { new_reminder_seconds: -5 }, {}, { new_reminder_seconds: '60' }]) {
        const res = await h.post(`${API}/runs/${run.id}/reminder`, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.match(res.body.error, /new_reminder_seconds/);
      }
      assert.deepEqual((await h.get(`${API}/runs/${run.id}`)).body.timeline_events.map((e: any) => e.event_type), ['incident_created']);
    });

    test('finishing the run cancels its reminder', async () => {
      const run = await createRun(h);
      await h.post(`${API}/runs/${run.id}/status`, { message: 'Looking', reminder: 600 });
      assert.ok(await jobsRepo.byKey(h.ctx.db, reminderKey(run.id)));
      assert.equal((await h.put(`${API}/runs/${run.id}/finish`)).status, 200);
      assert.equal(await jobsRepo.byKey(h.ctx.db, reminderKey(run.id)), undefined);
      await tick(h, 700 * SECOND);
      assert.deepEqual(await reminderPosts(h, run.channel_id), []);
      assert.equal((await h.get(`${API}/runs/${run.id}`)).body.previous_reminder, 0);
    });

    test('the reminder survives a restart, and the run reads back identically', async () => {
      const playbookId = newId();
      const now = h.ctx.clock.now();
      await playbooksRepo.insert(h.ctx.db, {
        id: playbookId,
        team_id: h.teamId,
        title: 'Restart playbook',
        checklists: json([
          { title: 'Triage', items: [{ title: 'Page the on-call', description: 'via pager', command: '/echo hi' }] },
          { title: 'Fix', items: [{ title: 'Roll back', description: '', command: '' }, { title: 'Verify', description: '', command: '' }] },
        ]),
        settings: json({}),
        created_by: h.admin.id,
        create_at: now,
        update_at: now,
      });
      const run = await createRun(h, { playbook_id: playbookId });
      assert.equal((await h.post(`${API}/runs/${run.id}/status`, { message: 'Before restart', reminder: 600 })).status, 200);
      const beforeRestart = (await h.get(`${API}/runs/${run.id}`)).body;
      assert.equal(beforeRestart.checklists.length, 2);

      h = await h.restart();

      const afterRestart = await h.get(`${API}/runs/${run.id}`);
      assert.equal(afterRestart.status, 200);
      assert.deepEqual(afterRestart.body.checklists, beforeRestart.checklists);
      assert.deepEqual(afterRestart.body.timeline_events, beforeRestart.timeline_events);
      assert.deepEqual(afterRestart.body, beforeRestart);

      await tick(h, 599 * SECOND);
      assert.deepEqual(await reminderPosts(h, run.channel_id), []);
      await tick(h, 2 * SECOND);
      const posts = await reminderPosts(h, run.channel_id);
      assert.equal(posts.length, 1);
      assert.equal(posts[0]!.message, `@${h.admin.username}, please provide a status update.`);
    });
  });
}
