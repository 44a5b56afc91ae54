import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startMuster, type Muster } from '../../src/app.ts';
import { startHarness, testDatabases, type Harness, type Response } from '../helpers/harness.ts';

const V4 = '/api/v4';
const PB = '/plugins/playbooks/api/v0';
const RPC = '/api/plugins/grafana-incident-app/resources/api/v1';
const BUDGET = 5;

function assertLimited(res: Response, facade: 'playbooks' | 'rpc'): void {
  assert.equal(res.status, 429);
  const retryAfter = Number(res.headers.get('retry-after'));
  assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After ${res.headers.get('retry-after')}`);
  assert.equal(res.headers.get('ratelimit-limit'), String(BUDGET));
  assert.equal(res.headers.get('ratelimit-remaining'), '0');
  assert.ok(Number(res.headers.get('ratelimit-reset')) > 0);
  if (facade === 'playbooks') assert.ok(res.body.error && res.body.details, res.text);
  else assert.deepEqual(Object.keys(res.body), ['error']);
}

for (const kind of testDatabases()) {
  describe(`${kind}: per-token rate limits`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(kind, { env: { MUSTER_RATE_LIMIT_PER_MINUTE: String(BUDGET), MUSTER_LOGIN_LIMIT_PER_MINUTE: '3' } });
    });
    after(async () => {
      await h.close();
    });

    test('Playbooks facade: the budget is counted in ratelimit-* headers, then 429 + Retry-After', async () => {
      const user = await h.user();
      for (let i = 1; i <= BUDGET; i++) {
        const res = await h.get(`${PB}/runs`, user.token);
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('ratelimit-limit'), String(BUDGET));
        assert.equal(res.headers.get('ratelimit-remaining'), String(BUDGET - i));
      }
      assertLimited(await h.get(`${PB}/runs`, user.token), 'playbooks');
      // Refused before the body is read: a broken body still gets the 429, not a 400.
      assertLimited(await h.post(`${PB}/runs`, '{"name":', user.token), 'playbooks');
      assert.equal((await h.get(`${PB}/runs`, (await h.user()).token)).status, 200, 'another token has its own budget');
    });

    test('RPC facade: the same limit in the RPC error form; the Mattermost API shares the token budget', async () => {
      const user = await h.user();
      for (let i = 1; i <= BUDGET - 1; i++) {
        assert.equal((await h.post(`${RPC}/IncidentsService.QueryIncidents`, { query: { limit: 1 } }, user.token)).status, 200);
      }
      assert.equal((await h.get(`${V4}/users/me`, user.token)).status, 200);
      assertLimited(await h.post(`${RPC}/IncidentsService.QueryIncidents`, { query: { limit: 1 } }, user.token), 'rpc');
      assertLimited(await h.get(`${V4}/users/me`, user.token), 'playbooks');
    });

    test('sign-in is limited per client address: 429 + Retry-After past the limit', async () => {
      const attempts: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await h.request('POST', `${V4}/users/login`, { token: null, body: { login_id: `someone${i}`, password: 'x' } });
        attempts.push(res.status);
        if (res.status === 429) assert.ok(Number(res.headers.get('retry-after')) > 0);
      }
      assert.deepEqual(attempts, [401, 401, 401, 429]);
    });
  });

  if (kind === 'postgres') {
    describe('postgres: two instances share one budget', () => {
      let h: Harness;
      let second: Muster;
      before(async () => {
        h = await startHarness(kind, { env: { MUSTER_RATE_LIMIT_PER_MINUTE: String(BUDGET) } });
        second = await startMuster(h.muster.config, { runTimers: false });
      });
      after(async () => {
        await second.close();
        await h.close();
      });

      test('requests alternating between the instances get exactly the budget', async () => {
        const user = await h.user();
        const statuses: number[] = [];
        for (let i = 0; i < 8; i++) {
          const base = i % 2 === 0 ? h.url : second.url;
          statuses.push((await fetch(`${base}${V4}/users/me`, { headers: { authorization: `Bearer ${user.token}` } })).status);
        }
        assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429, 429]);
      });

      test('20 parallel requests over both instances: exactly the budget succeeds', async () => {
        const user = await h.user();
        const statuses = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            fetch(`${i % 2 ? second.url : h.url}${PB}/runs`, { headers: { authorization: `Bearer ${user.token}` } }).then((r) => r.status),
          ),
        );
        assert.equal(statuses.filter((s) => s === 200).length, BUDGET);
        assert.equal(statuses.filter((s) => s === 429).length, 20 - BUDGET);
      });
    });
  }
}

/** Opens a raw connection, sends `head`, then trickles `body` one byte every `everyMs`; resolves when the server closes it. */
function trickle(url: string, head: string, body: string, everyMs: number): Promise<{ elapsedMs: number; response: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(Number(port), hostname);
    let response = '';
    let sent = 0;
    const timer = setInterval(() => {
      if (sent < body.length && !socket.destroyed) socket.write(body[sent++]!);
    }, everyMs);
    socket.setEncoding('utf8').on('data', (chunk: string) => (response += chunk));
    socket.on('error', () => undefined); // a reset after the 408 is a close too
    socket.once('close', () => {
      clearInterval(timer);
      resolve({ elapsedMs: Date.now() - started, response });
    });
    socket.once('connect', () => socket.write(head));
    setTimeout(() => {
      socket.destroy();
      reject(new Error('the trickling request was still open after 20 s'));
    }, 20_000).unref();
  });
}

describe('HTTP bounds', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness('pglite', {
      env: { MUSTER_REQUEST_TIMEOUT_MS: '1000', MUSTER_HEADERS_TIMEOUT_MS: '1000', MUSTER_RATE_LIMIT_PER_MINUTE: '0' },
    });
  });
  after(async () => {
    await h.close();
  });

  test('a trickling upload is answered 408 and closed at the request timeout', async () => {
    const body = JSON.stringify({ name: 'x'.repeat(500) });
    const head = `POST ${PB}/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${h.admin.token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const { response, elapsedMs } = await trickle(h.url, head, body, 100);
    assert.match(response, /^HTTP\/1\.1 408/);
    // The body would take 50 s at this pace; the server cut it off at about the 1 s bound (checked every 100 ms).
    assert.ok(elapsedMs < 10_000, `closed after ${elapsedMs} ms`);
  });

  test('trickling headers (slowloris) are cut off too', async () => {
    const head = `GET ${V4}/users/me HTTP/1.1\r\nHost: 127.0.0.1\r\n`;
    const { elapsedMs } = await trickle(h.url, head, 'X-Slow: ' + 'a'.repeat(400), 100);
    assert.ok(elapsedMs < 10_000, `closed after ${elapsedMs} ms`);
  });

  test('a rate limit of 0 is off: no ratelimit headers', async () => {
    const res = await h.get(`${V4}/users/me`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('ratelimit-limit'), null);
  });
});
