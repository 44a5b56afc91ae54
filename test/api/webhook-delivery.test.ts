import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import dns from 'node:dns';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { SYSTEM_ACTOR } from '../../src/domain/context.ts';
import { rotateSigningSecret } from '../../src/domain/signing-secrets.ts';
import { recordWebhooks } from '../../src/domain/webhooks.ts';
import { transaction } from '../../src/store/db.ts';
import { outboxRepo } from '../../src/store/outbox.repo.ts';
import { startHarness, testDatabases, type Harness } from '../helpers/harness.ts';
import { HOLD, startReceiver, type ReceivedHook, type Receiver } from '../helpers/receiver.ts';

const RPC = '/api/plugins/grafana-incident-app/resources/api/v1';
const PLAYBOOKS = '/plugins/playbooks/api/v0';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** GI-Signature recomputed here with node:crypto (grafana/incident-go's scheme), not with Muster's code. */
function giValid(secret: string, r: ReceivedHook): boolean {
  const header = String(r.headers['gi-signature'] ?? '');
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  const bodyHash = createHash('sha256').update(r.body).digest('base64');
  return createHmac('sha256', secret).update(`${bodyHash}:${m[1]}:v1`).digest('hex') === m[2];
}

/** Standard Webhooks signature checked with the `standardwebhooks` package (any timestamp: the clock is fake). */
function standardValid(secret: string, r: ReceivedHook): boolean {
  const id = String(r.headers['webhook-id']);
  const ts = Number(r.headers['webhook-timestamp']);
  const expected = new Webhook(secret).sign(id, new Date(ts * 1000), r.body);
  return String(r.headers['webhook-signature']).split(' ').includes(expected);
}

const grafanaStandardSecret = (secret: string) => `whsec_${Buffer.from(secret).toString('base64')}`;

for (const kind of testDatabases()) {
  describe(`${kind}: outgoing webhooks delivered`, () => {
    let h: Harness;
    /** The "public" receiver: a loopback alias on the allow-list. */
    let pub: Receiver;
    /** A receiver on 127.0.0.1, which is not allow-listed: it must never see a connection. */
    let internal: Receiver;
    const dialed: string[] = [];
    let rebindAnswers: string[] = [];
    const call = (method: string, body: unknown) => h.request('POST', `${RPC}/${method}`, { body });

    before(async () => {
      pub = await startReceiver('127.0.0.2');
      internal = await startReceiver('127.0.0.1');
      h = await startHarness(kind, {
        fakeClockAt: Math.floor(Date.now() / 1000) * 1000,
        env: { MUSTER_OUTBOUND_ALLOWLIST: '127.0.0.2', MUSTER_WEBHOOK_DISABLE_AFTER_HOURS: '1', MUSTER_WEBHOOK_TIMEOUT_MS: '2000' },
        outbound: {
          // Answers loopback aliases only: a guard that failed could not send a packet off this machine.
          resolve: async (name) => {
            if (name === 'rebind.test') return [{ address: rebindAnswers.shift() ?? '127.0.0.1', family: 4 }];
            return dns.promises.lookup(name, { all: true });
          },
          onDial: (address) => {
            if (!/^127\./.test(address) && address !== '::1') throw new Error(`test safety net: refusing to dial ${address}`);
            dialed.push(address);
          },
        },
      });
    });
    after(async () => {
      await h.close();
      await pub.close();
      await internal.close();
    });
    beforeEach(async () => {
      for (const w of (await call('WebhooksService.ListOutgoingWebhooks', {})).body.webhooks) await call('WebhooksService.DeleteOutgoingWebhook', { id: w.id });
    });

    async function subscribe(url: string, events: string[] = ['grafana.incident.created']) {
      const res = await call('WebhooksService.CreateOutgoingWebhook', { url, events });
      assert.equal(res.status, 200, res.text);
      return res.body.webhook as { id: string; secret: string };
    }
    async function incident(title = 'Delivered'): Promise<string> {
      const res = await call('IncidentsService.CreateIncident', { title });
      assert.equal(res.status, 200, res.text);
      return res.body.incident.incidentID;
    }
    const tick = async (advanceMs = 0) => {
      h.clock!.advance(advanceMs);
      await h.muster.jobs.tick();
    };
    const attemptsOf = async (incidentId: string) => {
      const deliveries = await outboxRepo.forIncident(h.ctx.db, incidentId);
      return outboxRepo.attemptsOf(h.ctx.db, deliveries.map((d) => d.id));
    };
    const subscriptionRow = (id: string) => h.ctx.db.selectFrom('webhook_subscriptions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    test('a Grafana delivery carries a GI-Signature and Standard Webhooks headers, both verified independently', async () => {
      const sub = await subscribe(pub.url('/signed'));
      const id = await incident();
      await tick();
      const [got] = pub.at('/signed');
      assert.ok(got, 'delivered');
      assert.equal(giValid(sub.secret, got), true);
      assert.equal(giValid('wrong', got), false);
      new Webhook(grafanaStandardSecret(sub.secret)).verify(got.body, got.headers as Record<string, string>);
      const [delivery] = await outboxRepo.forIncident(h.ctx.db, id);
      assert.equal(got.headers['webhook-id'], delivery!.id);
      assert.equal(delivery!.status, 'delivered');
      assert.equal(JSON.parse(got.body).event, 'grafana.incident.created');
    });

    test('Playbooks callbacks are signed with the server secret; a rotation sends both signatures during its grace period', async () => {
      const secret = h.muster.newSigningSecret!;
      assert.match(secret, /^whsec_/);
      const pb = await h.post(`${PLAYBOOKS}/playbooks`, {
        title: 'Hooked',
        team_id: h.teamId,
        webhook_on_creation_urls: [pub.url('/pb')],
        webhook_on_creation_enabled: true,
      });
      assert.equal(pb.status, 201, pb.text);
      const startRun = async () => {
        const run = await h.post(`${PLAYBOOKS}/runs`, { name: 'Run', owner_user_id: h.admin.id, team_id: h.teamId, playbook_id: pb.body.id });
        assert.equal(run.status, 201, run.text);
        await tick();
        return pub.at('/pb').at(-1)!;
      };
      const first = await startRun();
      new Webhook(secret).verify(first.body, first.headers as Record<string, string>);
      assert.equal(first.headers['gi-signature'], undefined);

      const next = await rotateSigningSecret(h.ctx, SYSTEM_ACTOR, 3600);
      const during = await startRun();
      assert.equal(String(during.headers['webhook-signature']).split(' ').length, 2);
      assert.equal(standardValid(secret, during), true, 'the old secret still verifies in the grace period');
      assert.equal(standardValid(next, during), true);
      h.clock!.advance(3601 * 1000);
      const later = await startRun();
      assert.equal(standardValid(secret, later), false, 'the old secret retired after the grace period');
      assert.equal(standardValid(next, later), true);
    });

    test('a receiver failing 3 times then succeeding gets one successful delivery under one webhook-id', async () => {
      pub.on('/flaky', { status: 500 }, { status: 500 }, { status: 500 }, { status: 200 });
      const sub = await subscribe(pub.url('/flaky'));
      const id = await incident();
      await tick();
      assert.equal(pub.at('/flaky').length, 1);
      await tick(4000); // the first retry is 5 s ± 10 % away
      assert.equal(pub.at('/flaky').length, 1);
      for (const wait of [2 * 1000, 6 * MINUTE, 34 * MINUTE]) await tick(wait);
      const got = pub.at('/flaky');
      assert.equal(got.length, 4);
      assert.equal(new Set(got.map((r) => r.headers['webhook-id'])).size, 1);
      for (const r of got) assert.equal(standardValid(grafanaStandardSecret(sub.secret), r), true);
      assert.deepEqual((await attemptsOf(id)).map((a) => a.error_class), ['http_5xx', 'http_5xx', 'http_5xx', '']);
      assert.equal((await outboxRepo.forIncident(h.ctx.db, id))[0]!.status, 'delivered');
      await tick(11 * HOUR);
      assert.equal(pub.at('/flaky').length, 4, 'nothing more is sent');
    });

    test('a dead receiver gets its subscription disabled with the reason; 410 disables at once', async () => {
      pub.on('/dead', { status: 503, body: 'down for good' });
      const dead = await subscribe(pub.url('/dead'));
      const id = await incident();
      for (let i = 0; i < 8 && (await subscriptionRow(dead.id)).enabled; i++) await tick(i === 0 ? 0 : 3 * HOUR);
      const row = await subscriptionRow(dead.id);
      assert.equal(row.enabled, false);
      assert.match(row.disabled_reason, /failing for over 1 h.*HTTP 503/);
      const attempts = await attemptsOf(id);
      assert.ok(attempts.length >= 2);
      assert.equal(attempts[0]!.response_body, 'down for good');
      assert.equal((await outboxRepo.forIncident(h.ctx.db, id))[0]!.status, 'failed');

      pub.on('/gone', { status: 410 });
      const gone = await subscribe(pub.url('/gone'));
      await incident();
      await tick();
      assert.equal((await subscriptionRow(gone.id)).enabled, false);
      assert.match((await subscriptionRow(gone.id)).disabled_reason, /410/);
    });

    test('the delivery log shows every attempt; enable and redeliver resend under the same webhook-id', async () => {
      pub.on('/later', { status: 410, body: 'gone for now' });
      const sub = await subscribe(pub.url('/later'));
      const id = await incident();
      await tick();
      const M = '/api/muster/v1';
      const list = await h.get(`${M}/webhooks`);
      assert.equal(list.status, 200, list.text);
      const shown = list.body.items.find((w: any) => w.id === sub.id);
      assert.equal(shown.enabled, false);
      assert.match(shown.disabled_reason, /410/);
      assert.equal('secret' in shown, false);
      const log = await h.get(`${M}/webhooks/${sub.id}/deliveries`);
      assert.equal(log.status, 200, log.text);
      const [entry] = log.body.items;
      assert.equal(entry.status, 'failed');
      assert.deepEqual(
        entry.attempts.map((a: any) => [a.status_code, a.error_class, a.response_body]),
        [[410, 'http_4xx', 'gone for now']],
      );
      assert.equal(typeof entry.attempts[0].duration_ms, 'number');
      assert.equal((await h.get(`${M}/incidents/${id}/deliveries`)).body.items[0].id, entry.id);

      const outsider = await h.user('log-outsider');
      assert.equal((await h.get(`${M}/webhooks/${sub.id}/deliveries`, outsider.token)).status, 403);
      assert.equal((await h.post(`${M}/deliveries/${entry.id}/redeliver`, undefined, outsider.token)).status, 403);
      assert.deepEqual((await h.get(`${M}/incidents/${id}/deliveries`, outsider.token)).body.items, []);
      assert.equal((await h.post(`${M}/deliveries/${entry.id}/redeliver`)).status, 409, 'disabled: enable first');

      pub.on('/later', { status: 204 });
      assert.equal((await h.post(`${M}/webhooks/${sub.id}/enable`)).body.enabled, true);
      assert.equal((await h.post(`${M}/deliveries/${entry.id}/redeliver`)).status, 202);
      await tick();
      const got = pub.at('/later');
      assert.equal(got.length, 2);
      assert.equal(got[1]!.headers['webhook-id'], got[0]!.headers['webhook-id']);
      const later = (await h.get(`${M}/webhooks/${sub.id}/deliveries`)).body.items[0];
      assert.equal(later.status, 'delivered');
      assert.deepEqual(later.attempts.map((a: any) => a.status_code), [410, 204]);
      assert.equal((await h.get(`${M}/webhooks/${'z'.repeat(26)}/deliveries`)).status, 404);
    });

    test('429 with Retry-After waits as long as asked; the response kept is at most 1 KiB', async () => {
      pub.on('/busy', { status: 429, headers: { 'retry-after': '7' }, body: 'x'.repeat(5000) }, { status: 200 });
      await subscribe(pub.url('/busy'));
      const id = await incident();
      await tick();
      const [attempt] = await attemptsOf(id);
      assert.equal(attempt!.status_code, 429);
      assert.equal(attempt!.response_body.length, 1024);
      await tick(6000);
      assert.equal(pub.at('/busy').length, 1, 'not before Retry-After');
      await tick(1500);
      assert.equal(pub.at('/busy').length, 2);
    });

    test('a stalled receiver is cut off at the timeout; a 10 MB answer is too_large with 1 KiB kept', async () => {
      pub.on('/stall', { status: HOLD });
      pub.on('/huge', { status: 200, body: 'y'.repeat(10 * 1024 * 1024) });
      await subscribe(pub.url('/stall'));
      await subscribe(pub.url('/huge'));
      const id = await incident();
      await tick();
      const byClass = new Map((await attemptsOf(id)).map((a) => [a.error_class, a]));
      assert.deepEqual([...byClass.keys()].sort(), ['timeout', 'too_large']);
      assert.match(byClass.get('timeout')!.error, /within 2 s/);
      assert.equal(byClass.get('too_large')!.response_body.length, 1024);
    });

    test('a 302 to loopback is not followed and counts as a failure', async () => {
      pub.on('/moved', { status: 302, headers: { location: internal.url('/target') } });
      await subscribe(pub.url('/moved'));
      const id = await incident();
      await tick();
      assert.equal((await attemptsOf(id))[0]!.error_class, 'http_3xx');
      assert.equal(internal.connections(), 0);
    });

    test('every internal destination is refused at dial with zero connections', async () => {
      const port = internal.port;
      const hosts = [
        '127.0.0.1', '127.1', '0x7f000001', '2130706433', '[::1]', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '0.0.0.0', '[::]',
        '169.254.169.254', '[fd00:ec2::254]', '100.64.0.1', '10.0.0.1', '192.168.0.1', '[fe80::1]', '[64:ff9b::a9fe:a9fe]', '[::7f00:1]', 'localhost',
      ];
      for (const host of hosts) await subscribe(`http://${host}:${port}/internal`);
      const dialedBefore = dialed.length;
      const id = await incident();
      await tick();
      const attempts = await attemptsOf(id);
      assert.equal(attempts.length, hosts.length);
      for (const a of attempts) assert.equal(a.error_class, 'ssrf_refused', a.error);
      assert.equal(dialed.length, dialedBefore, 'nothing was dialed');
      assert.equal(internal.connections(), 0);
    });

    test('a rebinding resolver cannot move a delivery to a refused address', async () => {
      const trap = await startReceiver('127.0.0.1', pub.port);
      try {
        pub.on('/rebind', { status: 200, headers: { connection: 'close' } });
        await subscribe(`http://rebind.test:${pub.port}/rebind`);
        rebindAnswers = ['127.0.0.2', '127.0.0.1'];
        const first = await incident('First');
        await tick();
        const second = await incident('Second');
        await tick();
        assert.equal((await attemptsOf(first))[0]!.error_class, '');
        assert.equal((await attemptsOf(second))[0]!.error_class, 'ssrf_refused');
        assert.equal(pub.at('/rebind').length, 1);
        assert.equal(trap.connections(), 0);
      } finally {
        await trap.close();
      }
    });

    test('a rolled-back change sends nothing', async () => {
      const run = await h.post(`${PLAYBOOKS}/runs`, { name: 'Rolled back', owner_user_id: h.admin.id, team_id: h.teamId });
      await assert.rejects(
        transaction(h.ctx.db, async (tx) => {
          await recordWebhooks(tx, h.ctx, [pub.url('/rollback')], { source: 'playbooks', event: 'run_created', incidentId: run.body.id, actorUserId: '' });
          throw new Error('roll back');
        }),
        /roll back/,
      );
      await tick();
      assert.equal(pub.at('/rollback').length, 0);
      assert.deepEqual(await outboxRepo.forIncident(h.ctx.db, run.body.id), []);
    });

    test('a committed delivery wakes the running engine at once, not at its next poll', async () => {
      await subscribe(pub.url('/prompt'));
      h.muster.jobs.start(10 * MINUTE);
      try {
        await incident('Prompt');
        for (let i = 0; i < 100 && pub.at('/prompt').length === 0; i++) await new Promise((r) => setTimeout(r, 50));
        assert.equal(pub.at('/prompt').length, 1, 'delivered within 5 s although the poll interval is 10 min');
      } finally {
        await h.muster.jobs.stop();
      }
    });
  });
}
