import assert from 'node:assert/strict';
import dns from 'node:dns';
import { after, before, describe, test } from 'node:test';
import { outboxRepo } from '../../src/store/outbox.repo.ts';
import { startHarness, testDatabases, type Harness } from '../helpers/harness.ts';
import { startReceiver, type Receiver } from '../helpers/receiver.ts';

const PLAYBOOKS = '/plugins/playbooks/api/v0';

for (const kind of testDatabases()) {
  describe(`${kind}: broadcasts to chat webhooks`, () => {
    let h: Harness;
    /** Allow-listed loopback alias: stands for hooks.slack.com. */
    let chat: Receiver;
    /** 127.0.0.1 is not allow-listed: a broadcast to it is refused at dial and must never connect. */
    let internal: Receiver;

    before(async () => {
      chat = await startReceiver('127.0.0.2');
      internal = await startReceiver('127.0.0.1');
      h = await startHarness(kind, {
        fakeClockAt: Math.floor(Date.now() / 1000) * 1000,
        env: { MUSTER_OUTBOUND_ALLOWLIST: '127.0.0.2', MUSTER_WEBHOOK_TIMEOUT_MS: '2000' },
        outbound: {
          resolve: (name) => dns.promises.lookup(name, { all: true }),
          onDial: (address) => {
            if (!/^127\./.test(address)) throw new Error(`test safety net: refusing to dial ${address}`);
          },
        },
      });
    });
    after(async () => {
      await h.close();
      await chat.close();
      await internal.close();
    });

    async function runWithChatHooks(urls: string[], title: string): Promise<{ id: string; channelId: string }> {
      const pb = await h.post(`${PLAYBOOKS}/playbooks`, { title, team_id: h.teamId, broadcast_enabled: true, broadcast_webhook_urls: urls });
      assert.equal(pb.status, 201, pb.text);
      const shown = await h.get(`${PLAYBOOKS}/playbooks/${pb.body.id}`);
      assert.deepEqual(shown.body.broadcast_webhook_urls, urls);
      const run = await h.post(`${PLAYBOOKS}/runs`, { name: `${title} run`, owner_user_id: h.admin.id, team_id: h.teamId, playbook_id: pb.body.id });
      assert.equal(run.status, 201, run.text);
      assert.deepEqual(run.body.broadcast_webhook_urls, urls);
      return { id: run.body.id, channelId: run.body.channel_id };
    }
    const roomMessages = async (channelId: string) =>
      (await h.ctx.db.selectFrom('posts').select('message').where('channel_id', '=', channelId).orderBy('create_at').execute()).map((p) => p.message);

    test('creation, status updates and finish are posted as {"text"} to each chat webhook', async () => {
      const run = await runWithChatHooks([chat.url('/slack'), chat.url('/mattermost')], 'Chatty');
      await h.muster.jobs.tick();
      assert.equal(
        (await h.post(`${PLAYBOOKS}/runs/${run.id}/status`, { message: 'DB failover done', reminder: 600 })).status,
        200,
      );
      await h.muster.jobs.tick();
      assert.equal((await h.put(`${PLAYBOOKS}/runs/${run.id}/finish`)).status, 200);
      await h.muster.jobs.tick();
      for (const path of ['/slack', '/mattermost']) {
        const texts = chat.at(path).map((r) => {
          assert.match(String(r.headers['content-type']), /^application\/json/);
          assert.ok(r.headers['webhook-id'], 'signed like every delivery');
          return (JSON.parse(r.body) as { text: string }).text;
        });
        assert.equal(texts.length, 3, path);
        assert.match(texts[0]!, /^A new run has started: Chatty run\nhttp.*\/incidents\//);
        assert.match(texts[1]!, /^Status update for Chatty run:\nDB failover done\nhttp.*\/incidents\//);
        assert.match(texts[2]!, /^Chatty run:\n@admin marked this run as finished\.\n/);
      }
      assert.ok(!(await roomMessages(run.channelId)).some((m) => m.startsWith('Failed to broadcast')));
    });

    test('a refused chat webhook never connects and leaves a message in the run room', async () => {
      const run = await runWithChatHooks([internal.url('/hook')], 'Refused');
      await h.muster.jobs.tick();
      const [delivery] = await outboxRepo.forIncident(h.ctx.db, run.id);
      assert.equal(delivery!.source, 'chat');
      const [attempt] = await outboxRepo.attemptsOf(h.ctx.db, [delivery!.id]);
      assert.equal(attempt!.error_class, 'ssrf_refused');
      assert.equal(internal.connections(), 0);
      const failure = (await roomMessages(run.channelId)).filter((m) => m.startsWith('Failed to broadcast'));
      assert.deepEqual(failure, [`Failed to broadcast run creation to the chat webhook at 127.0.0.1:${internal.port} (ssrf_refused). It will be retried.`]);
    });

    test('a chat webhook that keeps failing is reported at its first failure and when given up', async () => {
      chat.on('/down', { status: 500, body: 'no' });
      const run = await runWithChatHooks([chat.url('/down')], 'Down');
      await h.muster.jobs.tick();
      for (let i = 0; i < 10; i++) {
        h.clock!.advance(11 * 3_600_000);
        await h.muster.jobs.tick();
      }
      const [delivery] = await outboxRepo.forIncident(h.ctx.db, run.id);
      assert.equal(delivery!.status, 'failed');
      const failures = (await roomMessages(run.channelId)).filter((m) => m.startsWith('Failed to broadcast'));
      const where = `the chat webhook at 127.0.0.2:${chat.port} (http_5xx).`;
      assert.deepEqual(failures, [`Failed to broadcast run creation to ${where} It will be retried.`, `Failed to broadcast run creation to ${where}`]);
    });

    test('a chat webhook URL that is not http(s) or carries credentials is refused naming the field', async () => {
      for (const url of ['ftp://chat.example/hook', 'https://user:secret@chat.example/hook']) {
        const res = await h.post(`${PLAYBOOKS}/playbooks`, { title: 'Bad hook', team_id: h.teamId, broadcast_webhook_urls: [url] });
        assert.equal(res.status, 400, res.text);
        assert.match(res.text, /broadcast_webhook_urls/);
      }
    });
  });
}
