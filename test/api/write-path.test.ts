// The write path to one incident (status updates, notes, item checks): what each write leaves behind when
// its statements are folded together, and that concurrent writes to one incident lose and double nothing.
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, before, describe, test } from 'node:test';
import type { Actor } from '../../src/domain/context.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { setItemState } from '../../src/domain/checklists/items.ts';
import { addNote } from '../../src/domain/incidents/activity.ts';
import { groupCommitStats } from '../../src/domain/incidents/group-commit.ts';
import { postStatusUpdate } from '../../src/domain/incidents/lifecycle.ts';
import { channelsRepo } from '../../src/store/channels.repo.ts';
import { RPC, API, startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';


for (const kind of testDatabases()) {
  describe(`${kind}: write path`, () => {
    let h: Harness;
    let member: TestUser;

    before(async () => {
      h = await startHarness(kind);
      member = await h.user('writer');
    });
    after(async () => {
      await h.close();
    });

    /** A run owned by `member` with one checklist of `items` items. */
    async function newRun(items: number): Promise<{ id: string; channel_id: string; name: string }> {
      const res = await h.post(`${API}/runs`, { name: `Write path ${Math.random()}`, owner_user_id: member.id, team_id: h.teamId }, member.token);
      assert.equal(res.status, 201, res.text);
      for (let i = 0; i < items; i++) {
        const add = await h.post(`${API}/runs/${res.body.id}/checklists/0/add`, { title: `Step ${i}` }, member.token);
        assert.equal(add.status, 201, add.text);
      }
      return res.body;
    }

    async function timeline(incidentId: string) {
      return h.ctx.db.selectFrom('timeline_events').selectAll().where('incident_id', '=', incidentId).orderBy('seq').execute();
    }

    async function incidentRow(incidentId: string) {
      return h.ctx.db.selectFrom('incidents').selectAll().where('id', '=', incidentId).executeTakeFirstOrThrow();
    }

    test('a status update writes its post with the run facts, its event, and bumps the run once', async () => {
      const run = await newRun(3);
      for (const i of [0, 2]) assert.equal((await h.put(`${API}/runs/${run.id}/checklists/0/item/${i}/state`, { new_state: 'closed' }, member.token)).status, 200);
      const earlier = await incidentRow(run.id);

      const res = await h.post(`${API}/runs/${run.id}/status`, { message: '  Rolled back  ', reminder: 0 }, member.token);
      assert.equal(res.status, 200, res.text);

      const later = await incidentRow(run.id);
      assert.equal(later.last_event_seq, earlier.last_event_seq + 1);
      assert.equal(later.version, earlier.version + 1);
      assert.ok(later.last_status_update_at > 0);
      assert.equal(later.reminder_seconds, 0);

      const event = (await timeline(run.id)).at(-1)!;
      assert.equal(event.seq, later.last_event_seq);
      assert.equal(event.event_type, 'status_updated');
      assert.equal(event.summary, 'Rolled back');
      assert.equal(event.creator_user_id, member.id);

      const post = await h.ctx.db.selectFrom('posts').selectAll().where('id', '=', event.post_id).executeTakeFirstOrThrow();
      assert.equal(post.user_id, member.id);
      assert.equal(post.channel_id, run.channel_id);
      assert.equal(post.type, 'custom_run_update');
      assert.equal(post.message, 'Rolled back');
      const participants = await h.ctx.db
        .selectFrom('channel_members')
        .innerJoin('users', 'users.id', 'channel_members.user_id')
        .select('channel_members.user_id')
        .where('channel_members.channel_id', '=', run.channel_id)
        .where('users.is_bot', '=', false)
        .orderBy('channel_members.joined_at')
        .orderBy('channel_members.user_id')
        .execute();
      assert.deepEqual(post.props, {
        numTasksChecked: 2,
        numTasks: 3,
        participantIds: participants.map((p) => p.user_id),
        authorUsername: member.username,
        playbookRunId: run.id,
        runName: run.name,
      });
      assert.ok(participants.some((p) => p.user_id === member.id));

      const listed = await h.get(`${API}/runs/${run.id}/status-updates`, member.token);
      assert.equal(listed.status, 200, listed.text);
      assert.equal(listed.body.at(-1).author_user_name, member.username);
    });

    test('a status update with a reminder schedules it, the next one without replaces it', async () => {
      const run = await newRun(0);
      assert.equal((await h.post(`${API}/runs/${run.id}/status`, { message: 'first', reminder: 600 }, member.token)).status, 200);
      const timer = await h.ctx.db.selectFrom('jobs').selectAll().where('key', '=', `reminder:${run.id}`).executeTakeFirstOrThrow();
      assert.equal(timer.due_at - timer.create_at, 600_000);
      assert.equal((await incidentRow(run.id)).reminder_seconds, 600);

      assert.equal((await h.post(`${API}/runs/${run.id}/status`, { message: 'again', reminder: 60 }, member.token)).status, 200);
      const moved = await h.ctx.db.selectFrom('jobs').selectAll().where('key', '=', `reminder:${run.id}`).execute();
      assert.equal(moved.length, 1);
      assert.equal(moved[0]!.due_at - moved[0]!.create_at, 60_000);
      assert.notEqual(moved[0]!.id, timer.id);

      assert.equal((await h.post(`${API}/runs/${run.id}/status`, { message: 'done', reminder: 0 }, member.token)).status, 200);
      assert.equal((await h.ctx.db.selectFrom('jobs').selectAll().where('key', '=', `reminder:${run.id}`).execute()).length, 0);
      assert.equal((await incidentRow(run.id)).reminder_seconds, 0);
    });

    test('an item toggle changes the item and appends its event; bad indices name the count', async () => {
      const run = await newRun(3);
      assert.equal((await h.put(`${API}/runs/${run.id}/checklists/0/item/1/state`, { new_state: 'skipped' }, member.token)).status, 200);
      const item = await h.ctx.db.selectFrom('checklist_items').selectAll().where('incident_id', '=', run.id).where('position', '=', 1).executeTakeFirstOrThrow();
      assert.equal(item.state, 'skipped');
      assert.ok(item.skipped_at > 0);
      const event = (await timeline(run.id)).at(-1)!;
      assert.equal(event.event_type, 'task_state_modified');
      assert.deepEqual(JSON.parse(event.details), { task_id: item.id, old_state: '', new_state: 'skipped' });

      // The same state again writes nothing.
      const seq = (await incidentRow(run.id)).last_event_seq;
      assert.equal((await h.put(`${API}/runs/${run.id}/checklists/0/item/1/state`, { new_state: 'skipped' }, member.token)).status, 200);
      assert.equal((await incidentRow(run.id)).last_event_seq, seq);

      const noItem = await h.put(`${API}/runs/${run.id}/checklists/0/item/3/state`, { new_state: 'closed' }, member.token);
      assert.equal(noItem.status, 400);
      assert.match(noItem.text, /there is no item 3 \(there are 3\)/);
      const noList = await h.put(`${API}/runs/${run.id}/checklists/1/item/0/state`, { new_state: 'closed' }, member.token);
      assert.equal(noList.status, 400);
      assert.match(noList.text, /there is no checklist 1 \(there is 1\)/);
    });

    test('writes that raise no Grafana webhook record none; a rename still does', async () => {
      const sub = await h.post(`${RPC}/WebhooksService.CreateOutgoingWebhook`, { url: 'http://hooks.example.com/write-path' });
      assert.equal(sub.status, 200, sub.text);
      try {
        const run = await newRun(1);
        const deliveries = () => h.ctx.db.selectFrom('webhook_deliveries').select('event').where('incident_id', '=', run.id).where('source', '=', 'incident').execute();
        const earlier = (await deliveries()).length;
        assert.equal((await h.post(`${RPC}/ActivityService.AddActivity`, { incidentID: run.id, activityKind: 'userNote', body: 'quiet' }, member.token)).status, 200);
        assert.equal((await h.post(`${API}/runs/${run.id}/status`, { message: 'quiet too' }, member.token)).status, 200);
        assert.equal((await h.put(`${API}/runs/${run.id}/checklists/0/item/0/state`, { new_state: 'closed' }, member.token)).status, 200);
        assert.equal((await deliveries()).length, earlier);

        assert.equal((await h.patch(`${API}/runs/${run.id}`, { name: 'Renamed write path' }, member.token)).status, 200);
        assert.deepEqual((await deliveries()).map((d) => d.event).slice(earlier), ['grafana.incident.updated.title']);
      } finally {
        await h.post(`${RPC}/WebhooksService.DeleteOutgoingWebhook`, { id: sub.body.outgoingWebhook?.id ?? sub.body.id });
      }
    });

    test('a user who may not change the run gets 403 and writes nothing; 404 for an unknown run', async () => {
      const run = await newRun(1);
      const stranger = await h.user(undefined, { team: await h.team() });
      const earlier = await incidentRow(run.id);
      const note = await h.post(`${RPC}/ActivityService.AddActivity`, { incidentID: run.id, activityKind: 'userNote', body: 'x' }, stranger.token);
      assert.equal(note.status, 403, note.text);
      const status = await h.post(`${API}/runs/${run.id}/status`, { message: 'x' }, stranger.token);
      assert.equal(status.status, 403, status.text);
      assert.equal((await incidentRow(run.id)).version, earlier.version);
      assert.equal((await h.post(`${API}/runs/nosuchrun00000000000000000/status`, { message: 'x' }, member.token)).status, 404);
    });

    test('concurrent status updates, notes and item toggles on one run: every write once, seq gapless', async () => {
      const writers = 12;
      const run = await newRun(writers);
      const earlier = await incidentRow(run.id);
      const sends: Array<Promise<{ status: number; text: string }>> = [];
      for (let i = 0; i < writers; i++) {
        sends.push(h.post(`${API}/runs/${run.id}/status`, { message: `status ${i}`, reminder: 0 }, member.token));
        sends.push(h.post(`${RPC}/ActivityService.AddActivity`, { incidentID: run.id, activityKind: 'userNote', body: `note ${i}` }, member.token));
        sends.push(h.put(`${API}/runs/${run.id}/checklists/0/item/${i}/state`, { new_state: 'closed' }, member.token));
      }
      // One bad write among them fails alone.
      sends.push(h.post(`${API}/runs/${run.id}/status`, { message: '   ' }, member.token));
      const answers = await Promise.all(sends);
      assert.deepEqual(answers.slice(0, -1).filter((a) => a.status !== 200).map((a) => a.text), []);
      assert.equal(answers.at(-1)!.status, 400);

      const events = await timeline(run.id);
      const later = await incidentRow(run.id);
      assert.deepEqual(
        events.map((e) => e.seq),
        Array.from({ length: later.last_event_seq }, (_, i) => i + 1),
      );
      assert.equal(later.last_event_seq, earlier.last_event_seq + 3 * writers);
      assert.equal(later.version, earlier.version + 3 * writers);
      const fresh = events.filter((e) => e.seq > earlier.last_event_seq);
      const texts = (type: string) => fresh.filter((e) => e.event_type === type).map((e) => e.summary).sort();
      const expected = (prefix: string) => Array.from({ length: writers }, (_, i) => `${prefix} ${i}`).sort();
      assert.deepEqual(texts('status_updated'), expected('status'));
      assert.deepEqual(texts('user_note'), expected('note'));
      assert.equal(fresh.filter((e) => e.event_type === 'task_state_modified').length, writers);
      const items = await h.ctx.db.selectFrom('checklist_items').select('state').where('incident_id', '=', run.id).execute();
      assert.ok(items.every((i) => i.state === 'closed'));
      const posts = await h.ctx.db.selectFrom('posts').select('id').where('incident_id', '=', run.id).where('type', '=', 'custom_run_update').execute();
      assert.equal(posts.length, writers);
    });

    test('notes answered together each name their own author', async () => {
      const run = await newRun(0);
      const other = await h.user('second_writer');
      // `other` is a team member and the run's channel is public, so both may write.
      const sends = Array.from({ length: 10 }, (_, i) => {
        const author = i % 2 ? other : member;
        return h.post(`${RPC}/ActivityService.AddActivity`, { incidentID: run.id, activityKind: 'userNote', body: `by ${author.username}` }, author.token);
      });
      for (const res of await Promise.all(sends)) {
        assert.equal(res.status, 200, res.text);
        const item = res.body.activityItem;
        assert.equal(item.body, `by ${item.user.name}`);
      }
    });

    // Group commit. Writes issued in one tick queue deterministically: a batch starts only after the current
    // turn of the event loop, so all of them commit together in one transaction.
    const asMember = (): Actor => ({ userId: member.id, isAdmin: false });

    /** Outcome of each write: 'ok' or the error's code (DomainError) or message. */
    async function outcomes(writes: Array<Promise<unknown>>): Promise<string[]> {
      const settled = await Promise.allSettled(writes);
      return settled.map((s) => (s.status === 'fulfilled' ? 'ok' : s.reason instanceof DomainError ? s.reason.code : String(s.reason)));
    }

    async function gaplessSince(incidentId: string, from: number) {
      const events = (await timeline(incidentId)).filter((e) => e.seq > from);
      const row = await incidentRow(incidentId);
      assert.deepEqual(
        events.map((e) => e.seq),
        Array.from({ length: row.last_event_seq - from }, (_, i) => from + i + 1),
      );
      return events;
    }

    test('group commit: queued writes commit in one transaction, each seeing the ones before it', async () => {
      const run = await newRun(2);
      const earlier = await incidentRow(run.id);
      const stats = { ...groupCommitStats };
      const ctx = h.ctx;
      const writes: Array<Promise<unknown>> = [addNote(ctx, asMember(), run.id, { body: 'first' })];
      // The same item toggled back and forth: each toggle must see the state the previous one left.
      for (const state of ['closed', '', 'closed'] as const) writes.push(setItemState(ctx, asMember(), run.id, 0, 0, state));
      writes.push(setItemState(ctx, asMember(), run.id, 0, 0, 'closed')); // already closed: a no-op, no event
      writes.push(postStatusUpdate(ctx, asMember(), run.id, { message: 'after the toggles', reminder: 600 }));
      for (let i = 0; i < 5; i++) writes.push(addNote(ctx, asMember(), run.id, { body: `grouped ${i}` }));
      writes.push(postStatusUpdate(ctx, asMember(), run.id, { message: 'last word', reminder: 0 }));
      assert.deepEqual(await outcomes(writes), writes.map(() => 'ok'));

      assert.equal(groupCommitStats.batches, stats.batches + 1);
      assert.equal(groupCommitStats.writes, stats.writes + writes.length);
      const events = await gaplessSince(run.id, earlier.last_event_seq);
      assert.deepEqual(
        events.map((e) => e.event_type),
        ['user_note', 'task_state_modified', 'task_state_modified', 'task_state_modified', 'status_updated', ...Array(5).fill('user_note'), 'status_updated'],
      );
      assert.deepEqual(
        events.filter((e) => e.event_type === 'task_state_modified').map((e) => JSON.parse(e.details)).map((d) => [d.old_state, d.new_state]),
        [['', 'closed'], ['closed', ''], ['', 'closed']],
      );
      const later = await incidentRow(run.id);
      assert.equal(later.version, earlier.version + events.length);
      // The status post saw the toggles committed before it in the same transaction.
      const post = await h.ctx.db.selectFrom('posts').select('props').where('id', '=', events[4]!.post_id).executeTakeFirstOrThrow();
      assert.equal(post.props.numTasksChecked, 1);
      // The second status update replaced the first one's reminder.
      assert.equal(later.reminder_seconds, 0);
      assert.equal((await h.ctx.db.selectFrom('jobs').select('id').where('key', '=', `reminder:${run.id}`).execute()).length, 0);
    });

    test('group commit: held-back appends go out before a write that reads, and merge reminders in order', async () => {
      const run = await newRun(1);
      const earlier = await incidentRow(run.id);
      const ctx = h.ctx;
      const writes = [
        addNote(ctx, asMember(), run.id, { body: 'first' }),
        postStatusUpdate(ctx, asMember(), run.id, { message: 'remind in 600', reminder: 600 }),
        addNote(ctx, asMember(), run.id, { body: 'held 1' }),
        setItemState(ctx, asMember(), run.id, 0, 0, 'closed'),
        addNote(ctx, asMember(), run.id, { body: 'held 2' }),
        postStatusUpdate(ctx, asMember(), run.id, { message: 'remind in 60', reminder: 60 }),
        addNote(ctx, asMember(), run.id, { body: 'held 3' }),
      ];
      const notes = await Promise.all(writes);
      const events = await gaplessSince(run.id, earlier.last_event_seq);
      assert.deepEqual(
        events.map((e) => e.summary.startsWith('remind') || e.summary.startsWith('held') || e.summary === 'first' ? e.summary : e.event_type),
        ['first', 'remind in 600', 'held 1', 'task_state_modified', 'held 2', 'remind in 60', 'held 3'],
      );
      // Each note was answered with the event as stored.
      for (const i of [0, 2, 4, 6]) {
        const answered = notes[i] as { id: string; seq: number };
        assert.equal(events.find((e) => e.id === answered.id)?.seq, answered.seq);
      }
      const later = await incidentRow(run.id);
      assert.equal(later.version, earlier.version + events.length);
      assert.equal(later.reminder_seconds, 60);
      const timers = await h.ctx.db.selectFrom('jobs').selectAll().where('key', '=', `reminder:${run.id}`).execute();
      assert.equal(timers.length, 1);
      assert.equal(timers[0]!.due_at - timers[0]!.create_at, 60_000);
      const props = await h.ctx.db.selectFrom('posts').select(['message', 'props']).where('incident_id', '=', run.id).where('type', '=', 'custom_run_update').orderBy('message').execute();
      assert.deepEqual(props.map((p) => [p.message, p.props.numTasksChecked]), [['remind in 60', 1], ['remind in 600', 0]]);
    });

    /**
     * A status post's props as one jsonb_build_object of all its keys computes them, from the database as it
     * is now, as text: status posts merged into one statement must store exactly this.
     */
    async function statusPropsNow(run: { id: string; channel_id: string; name: string }, author: TestUser): Promise<string> {
      const { rows } = await sql<{ props: string }>`select jsonb_build_object(
          'numTasksChecked', (select count(*) from checklist_items where incident_id = ${run.id} and state = 'closed'),
          'numTasks', (select count(*) from checklist_items where incident_id = ${run.id}),
          'participantIds', coalesce((select jsonb_agg(cm.user_id order by cm.joined_at, cm.user_id) from channel_members cm
              join users u on u.id = cm.user_id where cm.channel_id = ${run.channel_id} and u.is_bot = false), '[]'::jsonb),
          'authorUsername', coalesce((select username from users where id = ${author.id}), ${author.id}::text),
          'playbookRunId', ${run.id}::text,
          'runName', ${run.name}::text)::text as props`.execute(h.ctx.db);
      return rows[0]!.props;
    }

    test('group commit: status posts merged into one statement store the props each would have alone', async () => {
      const run = await newRun(3);
      const other = await h.user('third_writer');
      await channelsRepo.addMember(h.ctx.db, run.channel_id, other.id, h.ctx.clock.now());
      assert.equal((await h.put(`${API}/runs/${run.id}/checklists/0/item/1/state`, { new_state: 'closed' }, member.token)).status, 200);
      const propsBefore = { [member.id]: await statusPropsNow(run, member), [other.id]: await statusPropsNow(run, other) };
      const stats = { ...groupCommitStats };
      const as = (user: TestUser): Actor => ({ userId: user.id, isAdmin: false });
      const ctx = h.ctx;
      const writes = [
        postStatusUpdate(ctx, as(member), run.id, { message: 'one', reminder: 600 }),
        addNote(ctx, as(other), run.id, { body: 'between' }),
        postStatusUpdate(ctx, as(other), run.id, { message: 'two' }),
        postStatusUpdate(ctx, as(member), run.id, { message: 'three', reminder: 60 }),
        setItemState(ctx, as(member), run.id, 0, 2, 'closed'), // the held-back posts go out before it
        postStatusUpdate(ctx, as(other), run.id, { message: 'four' }),
        postStatusUpdate(ctx, as(member), run.id, { message: 'five', reminder: 0 }),
      ];
      assert.deepEqual(await outcomes(writes), writes.map(() => 'ok'));
      assert.equal(groupCommitStats.batches, stats.batches + 1);
      const propsAfter = { [member.id]: await statusPropsNow(run, member), [other.id]: await statusPropsNow(run, other) };

      const { rows } = await sql<{ message: string; user_id: string; props: string; root_id: string; delete_at: number }>`
        select message, user_id, props::text as props, root_id, delete_at from posts
        where incident_id = ${run.id} and type = 'custom_run_update' order by create_at, message`.execute(h.ctx.db);
      const expected = (message: string, author: TestUser, props: Record<string, string>) => ({
        message,
        user_id: author.id,
        props: props[author.id],
        root_id: '',
        delete_at: 0,
      });
      const byMessage = new Map(rows.map((r) => [r.message, { ...r, delete_at: Number(r.delete_at) }]));
      assert.deepEqual(
        ['one', 'two', 'three', 'four', 'five'].map((m) => byMessage.get(m)),
        [
          expected('one', member, propsBefore),
          expected('two', other, propsBefore),
          expected('three', member, propsBefore),
          expected('four', other, propsAfter),
          expected('five', member, propsAfter),
        ],
      );
      assert.equal(JSON.parse(propsAfter[member.id]!).numTasksChecked, 2);
      assert.equal(JSON.parse(propsAfter[member.id]!).participantIds.length, 2);
      // The last status update decided the reminder.
      assert.equal((await incidentRow(run.id)).reminder_seconds, 0);
      assert.equal((await h.ctx.db.selectFrom('jobs').select('id').where('key', '=', `reminder:${run.id}`).execute()).length, 0);
    });

    test('group commit: a refused write fails alone and the batch still commits', async () => {
      const run = await newRun(1);
      const stranger = await h.user(undefined, { team: await h.team() });
      const earlier = await incidentRow(run.id);
      const stats = { ...groupCommitStats };
      const ctx = h.ctx;
      const writes = [
        addNote(ctx, asMember(), run.id, { body: 'first' }),
        addNote(ctx, asMember(), run.id, { body: 'a' }),
        addNote(ctx, { userId: stranger.id, isAdmin: false }, run.id, { body: 'not yours' }),
        addNote(ctx, asMember(), run.id, { body: 'b' }),
      ];
      assert.deepEqual(await outcomes(writes), ['ok', 'ok', 'forbidden', 'ok']);
      assert.equal(groupCommitStats.batches, stats.batches + 1);
      const events = await gaplessSince(run.id, earlier.last_event_seq);
      assert.deepEqual(events.map((e) => e.summary), ['first', 'a', 'b']);
    });

    test('group commit: a write that fails makes its batch run write by write; the others land once', async () => {
      const run = await newRun(1);
      const earlier = await incidentRow(run.id);
      const stats = { ...groupCommitStats };
      const ctx = h.ctx;
      const writes = [
        addNote(ctx, asMember(), run.id, { body: 'first' }),
        addNote(ctx, asMember(), run.id, { body: 'a' }),
        setItemState(ctx, asMember(), run.id, 0, 5, 'closed'), // no item 5
        postStatusUpdate(ctx, asMember(), run.id, { message: 'b' }),
        addNote(ctx, asMember(), run.id, { body: '   ' }), // blank
        setItemState(ctx, asMember(), run.id, 0, 0, 'closed'),
      ];
      assert.deepEqual(await outcomes(writes), ['ok', 'ok', 'invalid', 'ok', 'invalid', 'ok']);
      assert.equal(groupCommitStats.batches, stats.batches, 'the failed batch committed nothing');
      const events = await gaplessSince(run.id, earlier.last_event_seq);
      assert.deepEqual(
        events.map((e) => `${e.event_type}:${e.event_type === 'task_state_modified' ? '' : e.summary}`),
        ['user_note:first', 'user_note:a', 'status_updated:b', 'task_state_modified:'],
      );
      assert.equal((await h.ctx.db.selectFrom('posts').select('id').where('incident_id', '=', run.id).where('type', '=', 'custom_run_update').execute()).length, 1);
    });
  });
}
