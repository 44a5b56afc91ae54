import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RPC, API, startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';

const UNKNOWN_ID = 'a'.repeat(26);

for (const kind of testDatabases()) {
  describe(`${kind}: RPC ActivityService`, () => {
    let h: Harness;
    let outsider: TestUser;

    before(async () => {
      h = await startHarness(kind, { fakeClock: true });
      outsider = await h.user(undefined, { team: await h.team() });
    });
    after(async () => {
      await h.close();
    });

    const rpc = (method: string, body: unknown, token?: string | null) => h.request('POST', `${RPC}/${method}`, { body, token });

    const ok = (method: string, body: unknown) => h.rpcOk(method, body);
    async function newIncident(title = 'Checkout errors'): Promise<string> {
      return (await ok('IncidentsService.CreateIncident', { title })).incident.incidentID;
    }
    const note = (incidentID: string, body: string, eventTime?: string) =>
      ok('ActivityService.AddActivity', { incidentID, activityKind: 'userNote', body, ...(eventTime === undefined ? {} : { eventTime }) });
    async function allActivity(incidentID: string, query: Record<string, unknown> = {}) {
      return (await ok('ActivityService.QueryActivity', { query: { incidentID, limit: 100, ...query } })).activityItems as any[];
    }
    const version = async (incidentID: string) => (await ok('IncidentsService.GetIncidentVersion', { incidentID })).version as number;
    /** Every live timeline event as Playbooks shows it. */
    async function timeline(incidentID: string): Promise<any[]> {
      const res = await h.get(`${API}/runs/${incidentID}`);
      assert.equal(res.status, 200);
      return res.body.timeline_events;
    }
    /** Sends a request that must fail with `status` (message matching `pattern`) and write nothing. */
    async function rejects(incidentID: string, method: string, body: unknown, status: number, pattern?: RegExp, token?: string) {
      const [versionBefore, eventsBefore] = [await version(incidentID), await timeline(incidentID)];
      await h.rpcFails(method, body, status, pattern, token);
      assert.equal(await version(incidentID), versionBefore);
      assert.deepEqual(await timeline(incidentID), eventsBefore);
    }

    test('AddActivity adds a user note with its first URL, at now or at the given event time', async () => {
      const id = await newIncident();
      const versionBefore = await version(id);
      const now = new Date(h.clock!.now()).toISOString().replace('.000Z', 'Z');
      const { activityItem } = await note(id, 'Logs at https://logs.example.com/q?x=1, graph at https://grafana.example.com/d/abc.');
      assert.match(activityItem.activityItemID, /^[a-z0-9]{26}$/);
      assert.deepEqual(activityItem, {
        activityItemID: activityItem.activityItemID,
        incidentID: id,
        user: { userID: `grafana-incident:${h.admin.id}`, name: h.admin.username, photoURL: '' },
        subjectUser: { userID: '', name: '', photoURL: '' },
        createdTime: now,
        eventTime: now,
        activityKind: 'userNote',
        body: 'Logs at https://logs.example.com/q?x=1, graph at https://grafana.example.com/d/abc.',
        url: 'https://logs.example.com/q?x=1',
        tags: [],
        immutable: false,
        fieldValues: {},
        attachments: [],
        relevance: 'normal',
      });
      assert.ok((await version(id)) > versionBefore);

      const back = await note(id, 'Earlier observation', '2026-10-31T23:00:00Z');
      assert.equal(back.activityItem.eventTime, '2026-10-31T23:00:00Z');
      assert.equal(back.activityItem.createdTime, now);
      assert.equal(back.activityItem.url, '');
      const empty = await note(id, 'empty event time means now', '');
      assert.equal(empty.activityItem.eventTime, now);

      // Stored as one timeline event per note, ordered by event time.
      const notes = (await allActivity(id, { activityKind: ['userNote'] })).map((a) => a.body);
      assert.deepEqual(notes, ['Earlier observation', activityItem.body, 'empty event time means now']);
    });

    test('AddActivity accepts only userNote, a non-blank body and an RFC 3339 time; errors write nothing', async () => {
      const id = await newIncident();
      const valid = { incidentID: id, activityKind: 'userNote', body: 'x' };
      await rejects(id, 'ActivityService.AddActivity', { ...valid, activityKind: 'incidentCreated' }, 400, /activityKind.*userNote/);
      await rejects(id, 'ActivityService.AddActivity', { ...valid, activityKind: '' }, 400, /activityKind/);
      await rejects(id, 'ActivityService.AddActivity', { incidentID: id, body: 'x' }, 400, /activityKind/);
      await rejects(id, 'ActivityService.AddActivity', { ...valid, body: '   ' }, 400, /body/);
      await rejects(id, 'ActivityService.AddActivity', { ...valid, body: 'x'.repeat(65537) }, 400, /body/);
      await rejects(id, 'ActivityService.AddActivity', { ...valid, body: 42 }, 400, /body/);
      await rejects(id, 'ActivityService.AddActivity', { ...valid, eventTime: 'yesterday' }, 400, /eventTime/);
      await rejects(id, 'ActivityService.AddActivity', valid, 403, undefined, outsider.token);
      await rejects(id, 'ActivityService.AddActivity', valid, 401, undefined, 'not-a-token');
      const unknown = await rpc('ActivityService.AddActivity', { ...valid, incidentID: UNKNOWN_ID });
      assert.equal(unknown.status, 404);
      assert.equal(typeof unknown.body.error, 'string');
      // The longest allowed body is fine.
      const longest = await note(id, 'y'.repeat(65536));
      assert.equal(longest.activityItem.body.length, 65536);
    });

    test('QueryActivity echoes the query with defaults and rejects bad limits, kinds, tags and cursors', async () => {
      const id = await newIncident();
      const res = await ok('ActivityService.QueryActivity', {
        query: { incidentID: id, limit: 0, tag: null, activityKind: null },
        cursor: { nextValue: '', hasMore: false },
      });
      assert.deepEqual(res.query, { incidentID: id, limit: 50, tag: '', orderDirection: 'ASC', activityKind: [] });
      assert.deepEqual(res.cursor, { nextValue: '', hasMore: false });
      assert.equal(res.activityItems[0].activityKind, 'incidentCreated');
      assert.equal(res.activityItems[0].immutable, true);
      const bare = await ok('ActivityService.QueryActivity', { query: { incidentID: id } });
      assert.equal(bare.query.limit, 50);

      const bad: Array<[unknown, RegExp]> = [
        [{ query: { incidentID: id, limit: 101 } }, /query\.limit/],
        [{ query: { incidentID: id, limit: -1 } }, /query\.limit/],
        [{ query: { incidentID: id, limit: 2.5 } }, /query\.limit/],
        [{ query: { incidentID: id, limit: '10' } }, /query\.limit/],
        [{ query: { incidentID: id, orderDirection: 'UP' } }, /query\.orderDirection/],
        [{ query: { incidentID: id, tag: 'urgent' } }, /query\.tag/],
        [{ query: { incidentID: id, activityKind: ['nope'] } }, /query\.activityKind/],
        [{ query: { incidentID: id }, cursor: { nextValue: 'garbage!' } }, /cursor\.nextValue/],
        [{ query: { incidentID: id }, cursor: { nextValue: Buffer.from('1.x').toString('base64url') } }, /cursor\.nextValue/],
        [{ query: {} }, /query\.incidentID/],
        [{}, /query/],
      ];
      for (const [body, pattern] of bad) {
        const r = await rpc('ActivityService.QueryActivity', body);
        assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
        assert.match(r.body.error, pattern);
      }
      assert.equal((await rpc('ActivityService.QueryActivity', { query: { incidentID: UNKNOWN_ID } })).status, 404);
      assert.equal((await rpc('ActivityService.QueryActivity', { query: { incidentID: id } }, outsider.token)).status, 403);
      assert.equal((await rpc('ActivityService.QueryActivity', { query: { incidentID: id } }, null)).status, 401);
    });

    test('QueryActivity pages with an opaque cursor in both directions: no duplicates, no gaps, new items picked up', async () => {
      const id = await newIncident();
      for (let i = 1; i <= 7; i++) {
        await note(id, `note ${i}`);
        h.clock!.advance(1000);
      }
      const everything = (await allActivity(id)).map((a) => a.activityItemID);
      assert.equal(everything.length, 8); // incidentCreated + 7 notes
      async function pages(direction: 'ASC' | 'DESC', limit: number, during?: (page: number) => Promise<void>) {
        const ids: string[] = [];
        let cursor: any = { nextValue: '', hasMore: false };
        for (let page = 0; page < 20; page++) {
          const res = await ok('ActivityService.QueryActivity', { query: { incidentID: id, limit, orderDirection: direction }, cursor });
          assert.ok(res.activityItems.length <= limit);
          ids.push(...res.activityItems.map((a: any) => a.activityItemID));
          assert.equal(res.cursor.hasMore, res.cursor.nextValue !== '');
          if (!res.cursor.hasMore) return ids;
          assert.equal(res.activityItems.length, limit);
          await during?.(page);
          cursor = res.cursor;
        }
        throw new Error('paging did not end');
      }
      assert.deepEqual(await pages('ASC', 3), everything);
      assert.deepEqual(await pages('DESC', 4), [...everything].reverse());
      assert.deepEqual(await pages('ASC', 8), everything); // a full last page: hasMore is false
      assert.deepEqual(await pages('ASC', 100), everything);

      // Notes added while paging forwards show up on a later page, exactly once.
      const added: string[] = [];
      const seen = await pages('ASC', 2, async () => {
        added.push((await note(id, `late ${added.length}`)).activityItem.activityItemID);
      });
      assert.equal(new Set(seen).size, seen.length);
      assert.deepEqual(seen, [...everything, ...added]);
    });

    test('QueryActivity filters by activity kind and tag with exact pages', async () => {
      const id = await newIncident();
      // Interleave notes with task changes, so the filtered items are spread across the timeline.
      for (let i = 0; i < 5; i++) {
        await note(id, `note ${i}`);
        const added = await ok('TasksService.AddTask', { incidentID: id, text: `task ${i}` });
        if (i % 2 === 0) await ok('TasksService.UpdateTaskStatus', { incidentID: id, taskID: added.task.taskID, status: 'done' });
        else await ok('TasksService.UpdateTaskStatus', { incidentID: id, taskID: added.task.taskID, status: 'progress' });
      }
      const kinds = (await allActivity(id)).map((a) => a.activityKind);
      assert.equal(kinds.filter((k) => k === 'taskCompleted').length, 3);

      async function filtered(query: Record<string, unknown>, limit: number) {
        const items: any[] = [];
        let cursor = {};
        for (;;) {
          const res = await ok('ActivityService.QueryActivity', { query: { incidentID: id, limit, ...query }, cursor });
          items.push(...res.activityItems);
          if (!res.cursor.hasMore) return items;
          assert.equal(res.activityItems.length, limit);
          cursor = res.cursor;
        }
      }
      const notes = await filtered({ activityKind: ['userNote'] }, 2);
      assert.deepEqual(notes.map((a) => a.body), ['note 0', 'note 1', 'note 2', 'note 3', 'note 4']);
      const completed = await filtered({ activityKind: ['taskCompleted'] }, 1);
      assert.equal(completed.length, 3);
      assert.ok(completed.every((a) => a.activityKind === 'taskCompleted'));
      const mixed = await filtered({ activityKind: ['taskAdded', 'taskUpdated'], orderDirection: 'DESC' }, 3);
      assert.equal(mixed.length, 7); // 5 added + 2 set to progress
      assert.ok(mixed.every((a) => a.activityKind === 'taskAdded' || a.activityKind === 'taskUpdated'));
      const exact = await ok('ActivityService.QueryActivity', { query: { incidentID: id, limit: 5, activityKind: ['userNote'] } });
      assert.deepEqual(exact.cursor, { nextValue: '', hasMore: false });
      assert.equal(await filtered({ activityKind: ['siftResult'] }, 10).then((items) => items.length), 0);

      // Tags are kept on the event (jsonb); only the store can set them for now.
      const tagged = notes[3].activityItemID;
      await h.ctx.db.updateTable('timeline_events').set({ tags: JSON.stringify(['important']) }).where('id', '=', tagged).execute();
      const important = await filtered({ tag: 'important' }, 1);
      assert.deepEqual(important.map((a) => a.activityItemID), [tagged]);
      assert.deepEqual(important[0].tags, ['important']);
      assert.deepEqual(await filtered({ tag: 'starred' }, 1), []);
    });

    test('UpdateActivityBody edits a note in place: no new event, the version bumps', async () => {
      const id = await newIncident();
      const { activityItem } = await note(id, 'first draft');
      const eventsBefore = (await timeline(id)).length;
      const versionBefore = await version(id);
      h.clock!.advance(5000);
      const updated = await ok('ActivityService.UpdateActivityBody', {
        incidentID: id,
        activityItemID: activityItem.activityItemID,
        body: 'final: see https://status.example.com',
      });
      assert.equal(updated.activityItem.body, 'final: see https://status.example.com');
      assert.equal(updated.activityItem.url, 'https://status.example.com');
      assert.equal(updated.activityItem.eventTime, activityItem.eventTime);
      assert.equal(updated.activityItem.createdTime, activityItem.createdTime);
      const events = await timeline(id);
      assert.equal(events.length, eventsBefore);
      assert.equal(events.find((e) => e.id === activityItem.activityItemID).summary, 'final: see https://status.example.com');
      assert.equal(await version(id), versionBefore + 1);
      const incident = (await ok('IncidentsService.GetIncident', { incidentID: id })).incident;
      assert.equal(incident.modifiedTime, new Date(h.clock!.now()).toISOString().replace('.000Z', 'Z'));

      // The same body again changes nothing.
      await ok('ActivityService.UpdateActivityBody', { incidentID: id, activityItemID: activityItem.activityItemID, body: 'final: see https://status.example.com' });
      assert.equal(await version(id), versionBefore + 1);
    });

    test('UpdateActivityBody and RemoveActivity refuse immutable items (400) and unknown ones (404)', async () => {
      const id = await newIncident();
      const other = await newIncident('Other incident');
      const created = (await allActivity(id, { activityKind: ['incidentCreated'] }))[0];
      const { activityItem } = await note(id, 'mine');
      for (const method of ['ActivityService.UpdateActivityBody', 'ActivityService.RemoveActivity']) {
        await rejects(id, method, { incidentID: id, activityItemID: created.activityItemID, body: 'x' }, 400, /immutable/);
        await rejects(id, method, { incidentID: id, activityItemID: UNKNOWN_ID, body: 'x' }, 404);
        // An item of another incident is not found through this one.
        await rejects(id, method, { incidentID: other, activityItemID: activityItem.activityItemID, body: 'x' }, 404);
        await rejects(id, method, { incidentID: id, activityItemID: activityItem.activityItemID, body: 'x' }, 403, undefined, outsider.token);
      }
      await rejects(id, 'ActivityService.UpdateActivityBody', { incidentID: id, activityItemID: activityItem.activityItemID, body: ' ' }, 400, /body/);
      await rejects(id, 'ActivityService.UpdateActivityBody', { incidentID: id, activityItemID: activityItem.activityItemID }, 400, /body/);
      await rejects(id, 'ActivityService.RemoveActivity', { incidentID: id }, 400, /activityItemID/);
    });

    test('UpdateActivityEventTime moves any item; an empty time puts it back at its creation time', async () => {
      const id = await newIncident();
      const createdAt = new Date(h.clock!.now()).toISOString().replace('.000Z', 'Z');
      h.clock!.advance(60_000);
      const { activityItem } = await note(id, 'happened later');
      const ids = async () => (await allActivity(id)).map((a) => a.activityItemID);
      const first = (await ids())[0]!;

      const versionBefore = await version(id);
      const moved = await ok('ActivityService.UpdateActivityEventTime', {
        incidentID: id,
        activityItemID: activityItem.activityItemID,
        eventTime: '2026-10-01T08:00:00Z',
      });
      assert.equal(moved.activityItem.eventTime, '2026-10-01T08:00:00Z');
      assert.equal((await ids())[0], activityItem.activityItemID);
      assert.equal(await version(id), versionBefore + 1);

      const reset = await ok('ActivityService.UpdateActivityEventTime', { incidentID: id, activityItemID: activityItem.activityItemID, eventTime: '' });
      assert.equal(reset.activityItem.eventTime, reset.activityItem.createdTime);
      assert.equal((await ids())[0], first);

      // Immutable items (the creation) can be moved too: the timeline is the user's to arrange.
      const creation = await ok('ActivityService.UpdateActivityEventTime', { incidentID: id, activityItemID: first, eventTime: '2026-11-01T11:00:00+01:00' });
      assert.equal(creation.activityItem.eventTime, '2026-11-01T10:00:00Z');
      assert.equal(creation.activityItem.createdTime, createdAt);

      await rejects(id, 'ActivityService.UpdateActivityEventTime', { incidentID: id, activityItemID: first, eventTime: 'soon' }, 400, /eventTime/);
      await rejects(id, 'ActivityService.UpdateActivityEventTime', { incidentID: id, activityItemID: UNKNOWN_ID, eventTime: '' }, 404);
      await rejects(id, 'ActivityService.UpdateActivityEventTime', { incidentID: id, activityItemID: first, eventTime: '' }, 403, undefined, outsider.token);
    });

    test('RemoveActivity soft-deletes a note from both APIs and returns it', async () => {
      const id = await newIncident();
      const { activityItem } = await note(id, 'to be removed');
      const versionBefore = await version(id);
      const removed = await ok('ActivityService.RemoveActivity', { incidentID: id, activityItemID: activityItem.activityItemID });
      assert.equal(removed.activityItem.activityItemID, activityItem.activityItemID);
      assert.equal(removed.activityItem.body, 'to be removed');
      assert.equal(await version(id), versionBefore + 1);
      assert.ok(!(await allActivity(id)).some((a) => a.activityItemID === activityItem.activityItemID));
      assert.ok(!(await timeline(id)).some((e) => e.id === activityItem.activityItemID));
      // Gone: a second removal, an edit or a move is a 404.
      await rejects(id, 'ActivityService.RemoveActivity', { incidentID: id, activityItemID: activityItem.activityItemID }, 404);
      await rejects(id, 'ActivityService.UpdateActivityBody', { incidentID: id, activityItemID: activityItem.activityItemID, body: 'x' }, 404);
      await rejects(id, 'ActivityService.UpdateActivityEventTime', { incidentID: id, activityItemID: activityItem.activityItemID, eventTime: '' }, 404);
    });

    test('a post added to the timeline through Playbooks is a mutable userNote', async () => {
      const id = await newIncident();
      // Playbooks' event_from_post rows are written by the channel side; insert one as it would.
      const { activityItem } = await note(id, 'placeholder');
      await h.ctx.db.updateTable('timeline_events').set({ event_type: 'event_from_post' }).where('id', '=', activityItem.activityItemID).execute();
      const [item] = await allActivity(id, { activityKind: ['userNote'] });
      assert.equal(item.immutable, false);
      const edited = await ok('ActivityService.UpdateActivityBody', { incidentID: id, activityItemID: item.activityItemID, body: 'edited' });
      assert.equal(edited.activityItem.body, 'edited');
    });
  });
}
