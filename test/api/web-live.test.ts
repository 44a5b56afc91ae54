import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startMuster } from '../../src/app.ts';
import { startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';
import { openSse, type SseStream } from '../helpers/sse.ts';

const EVENTS = '/api/muster/v1/events';
const RPC = '/api/plugins/grafana-incident-app/resources/api/v1';

async function declare(h: Harness, title: string, token: string): Promise<string> {
  const res = await h.post(`${RPC}/IncidentsService.CreateIncident`, { title }, token);
  assert.equal(res.status, 200, res.text);
  return res.body.incident.incidentID as string;
}

const changeOf = (s: SseStream) => s.next((e) => e.event === 'change');

for (const kind of testDatabases()) {
  describe(`${kind}: live event stream`, () => {
    let h: Harness;
    let watcher: TestUser;
    let outsider: TestUser;
    before(async () => {
      h = await startHarness(kind);
      watcher = await h.user('watcher');
      outsider = await h.user('outsider', { team: await h.team('elsewhere') });
    });
    after(async () => {
      await h.close();
    });

    test('needs a credential', async () => {
      const stream = await openSse(h.url + EVENTS);
      assert.equal(stream.status, 401);
    });

    test('sends changes to incidents the caller may see, and only those, with resumable ids', async () => {
      const stream = await openSse(h.url + EVENTS, { authorization: `Bearer ${watcher.token}` });
      assert.equal(stream.status, 200);
      const hello = await stream.next((e) => e.event === 'hello');
      assert.match(hello.id, /^[0-9a-f]{12}\.\d+$/);
      const hidden = await declare(h, 'in another team', outsider.token);
      const mine = await declare(h, 'the watcher declares', watcher.token);
      const first = await changeOf(stream);
      assert.deepEqual(JSON.parse(first.data), { incidents: [mine] }, `${hidden} must not be announced`);
      stream.close();

      // Reconnecting with Last-Event-ID replays what happened meanwhile, not what was already sent.
      const update = await h.post(`${RPC}/IncidentsService.UpdateSeverity`, { incidentID: mine, severity: 'major' }, h.admin.token);
      assert.equal(update.status, 200, update.text);
      const resumed = await openSse(h.url + EVENTS, { authorization: `Bearer ${watcher.token}`, 'last-event-id': first.id });
      const replayed = await changeOf(resumed);
      assert.deepEqual(JSON.parse(replayed.data), { incidents: [mine] });
      assert.notEqual(replayed.id, first.id);
      resumed.close();
    });

    test('an id from another process or epoch is answered with a reset', async () => {
      const stream = await openSse(h.url + EVENTS, { authorization: `Bearer ${watcher.token}`, 'last-event-id': 'ffffffffffff.3' });
      const reset = await stream.next();
      assert.equal(reset.event, 'reset');
      stream.close();
    });

    test('the open-stream count is in /metrics', async () => {
      const stream = await openSse(h.url + EVENTS, { authorization: `Bearer ${watcher.token}` });
      await stream.next((e) => e.event === 'hello');
      const metrics = await h.get('/metrics', null);
      assert.equal(metrics.status, 200);
      assert.match(metrics.text, /^muster_sse_streams [1-9]\d*$/m);
      stream.close();
    });

    if (kind === 'postgres') {
      test("another process's commit on the same PostgreSQL reaches the stream", async () => {
        const other = await startMuster(h.muster.config, { runTimers: false });
        try {
          const stream = await openSse(h.url + EVENTS, { authorization: `Bearer ${watcher.token}` });
          await stream.next((e) => e.event === 'hello');
          const res = await fetch(`${other.url}${RPC}/IncidentsService.CreateIncident`, {
            method: 'POST',
            headers: { authorization: `Bearer ${watcher.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ title: 'declared on the other instance' }),
          });
          assert.equal(res.status, 200);
          const id = ((await res.json()) as { incident: { incidentID: string } }).incident.incidentID;
          assert.deepEqual(JSON.parse((await changeOf(stream)).data), { incidents: [id] });
          stream.close();
        } finally {
          await other.close();
        }
      });
    }
  });
}
