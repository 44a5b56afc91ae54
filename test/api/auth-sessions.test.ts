import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes, scryptSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/store/db.ts';
import { loadMigrations, migrate } from '../../src/store/migrate.ts';
import { startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';
import { freshDatabase } from '../helpers/postgres.ts';

const V4 = '/api/v4';
const PB = '/plugins/playbooks/api/v0';
const RPC = '/api/plugins/grafana-irm-app/resources/api/v1';
const MINUTE = 60_000;

async function signIn(h: Harness, loginId: string, password: string) {
  return h.request('POST', `${V4}/users/login`, { token: null, body: { login_id: loginId, password } });
}

for (const kind of testDatabases()) {
  describe(`${kind}: authentication first`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(kind);
    });
    after(async () => {
      await h.close();
    });

    test('without a valid token a bad body is a 401, never a 400 that names fields (both facades)', async () => {
      const bad = { nope: 1 };
      for (const token of [null, 'not-a-real-token']) {
        assert.equal((await h.post(`${PB}/runs`, bad, token)).status, 401);
        assert.equal((await h.post(`${PB}/runs`, '{"name":', token)).status, 401);
        assert.equal((await h.post(`${RPC}/IncidentsService.CreateIncident`, bad, token)).status, 401);
        assert.equal((await h.post(`${RPC}/IncidentsService.CreateIncident`, '{"title":', token)).status, 401);
        assert.equal((await h.post(`${V4}/users`, { username: 5 }, token)).status, 401);
      }
      // The incoming Grafana webhook too: an oversize body without a valid token is a 401, not a 413.
      const hook = `${RPC}/incoming-webhooks/grafana.incident.create?title=x`;
      for (const token of [null, 'not-a-real-token']) {
        assert.equal((await h.post(hook, 'x'.repeat(2 * 1024 * 1024), token)).status, 401);
      }
      assert.equal((await h.post(hook, 'x'.repeat(2 * 1024 * 1024))).status, 413);
      // With a token the same bodies are refused as bad input: the 401s above were not about the body.
      assert.equal((await h.post(`${PB}/runs`, bad)).status, 400);
      assert.equal((await h.post(`${RPC}/IncidentsService.CreateIncident`, '{"title":')).status, 400);
    });

    test('the token is read from ?access_token= and the session cookie before the body is parsed', async () => {
      const viaQuery = await h.request('POST', `${PB}/runs?access_token=${h.admin.token}`, { token: null, body: '{"name":' });
      assert.equal(viaQuery.status, 400);
      const cookie = { cookie: `MMAUTHTOKEN=${h.admin.token}`, 'x-requested-with': 'XMLHttpRequest' };
      assert.equal((await h.request('POST', `${PB}/runs`, { token: null, body: '{"name":', headers: cookie })).status, 400);
      assert.equal((await h.request('GET', `${V4}/users/me`, { token: null, headers: { cookie: 'MMAUTHTOKEN=%E0%A4%A' } })).status, 401);
    });
  });

  describe(`${kind}: login sessions`, () => {
    let h: Harness;
    let alice: TestUser;
    let bob: TestUser;
    before(async () => {
      h = await startHarness(kind, {
        fakeClock: true,
        env: { MUSTER_SESSION_IDLE_MINUTES: '60', MUSTER_SESSION_MAX_HOURS: '3', MUSTER_LOGIN_FAILURES_PER_ACCOUNT: '3' },
      });
      alice = await h.user('alice');
      bob = await h.user('bob');
    });
    after(async () => {
      await h.close();
    });

    test('a session ends after the idle time without use', async () => {
      const token = (await signIn(h, 'alice', 'password-123')).headers.get('token')!;
      assert.equal((await h.get(`${V4}/users/me`, token)).status, 200);
      h.clock!.advance(59 * MINUTE);
      assert.equal((await h.get(`${V4}/users/me`, token)).status, 200, 'used within the idle time');
      h.clock!.advance(59 * MINUTE);
      assert.equal((await h.get(`${V4}/users/me`, token)).status, 200, 'the last use restarted the idle time');
      h.clock!.advance(61 * MINUTE);
      const expired = await h.get(`${V4}/users/me`, token);
      assert.equal(expired.status, 401);
      assert.match(expired.body.error, /expired/);
    });

    test('a session ends at its absolute lifetime however often it is used', async () => {
      const login = await signIn(h, 'alice', 'password-123');
      const token = login.headers.get('token')!;
      assert.match(login.headers.get('set-cookie')!, /Max-Age=3600; HttpOnly; SameSite=Lax/);
      for (let used = 0; used < 3 * 60 - 50; used += 50) {
        assert.equal((await h.get(`${V4}/users/me`, token)).status, 200, `after ${used} minutes`);
        h.clock!.advance(50 * MINUTE);
      }
      h.clock!.advance(11 * MINUTE); // 3 h 1 min after sign-in
      assert.equal((await h.get(`${V4}/users/me`, token)).status, 401);
    });

    test('sessions are listed and revoked by their user or an admin, not by others', async () => {
      const first = (await signIn(h, 'bob', 'password-123')).headers.get('token')!;
      const second = (await signIn(h, 'bob', 'password-123')).headers.get('token')!;
      const listed = await h.get(`${V4}/users/me/sessions`, first);
      assert.equal(listed.status, 200);
      assert.equal(listed.body.length, 2);
      const s = listed.body[0];
      assert.deepEqual(Object.keys(s).sort(), ['create_at', 'device_id', 'expires_at', 'id', 'is_oauth', 'last_activity_at', 'props', 'user_id']);
      assert.equal(s.user_id, bob.id);
      assert.equal(s.expires_at, s.last_activity_at + 60 * MINUTE);
      assert.equal(JSON.stringify(listed.body).includes(first), false, 'the token itself is never listed');
      assert.equal((await h.get(`${V4}/users/${bob.id}/sessions`, alice.token)).status, 403);
      assert.equal((await h.post(`${V4}/users/${bob.id}/sessions/revoke`, { session_id: s.id }, alice.token)).status, 403);
      assert.equal((await h.get(`${V4}/users/${bob.id}/sessions`)).body.length, 2, 'an admin sees them');
      assert.equal((await h.post(`${V4}/users/${bob.id}/sessions/revoke`, { session_id: s.id })).status, 200);
      assert.equal((await h.post(`${V4}/users/${bob.id}/sessions/revoke`, { session_id: s.id })).status, 404);
      assert.equal((await h.get(`${V4}/users/me`, first)).status, 401);
      assert.equal((await h.get(`${V4}/users/me`, second)).status, 200);
      assert.equal((await h.post(`${V4}/users/me/sessions/revoke/all`, undefined, second)).status, 200);
      assert.equal((await h.get(`${V4}/users/me`, second)).status, 401);
      assert.equal((await h.get(`${V4}/users/me`, bob.token)).status, 200, 'personal access tokens are not sessions');
    });

    test('logout ends the session and clears the cookie', async () => {
      const token = (await signIn(h, 'alice', 'password-123')).headers.get('token')!;
      const out = await h.post(`${V4}/users/logout`, undefined, token);
      assert.equal(out.status, 200);
      assert.match(out.headers.get('set-cookie')!, /^MMAUTHTOKEN=; Path=\/; Max-Age=0/);
      assert.equal((await h.get(`${V4}/users/me`, token)).status, 401);
    });

    test('failed sign-ins are limited per account (known or not): 429 with Retry-After, then the window ends', async () => {
      for (const loginId of ['alice', 'nobody-here']) {
        for (let i = 0; i < 3; i++) assert.equal((await signIn(h, loginId, 'wrong-password')).status, 401, `${loginId} #${i}`);
        const limited = await signIn(h, loginId, loginId === 'alice' ? 'password-123' : 'wrong-password');
        assert.equal(limited.status, 429, loginId);
        assert.ok(Number(limited.headers.get('retry-after')) > 0 && Number(limited.headers.get('retry-after')) <= 15 * 60);
        assert.ok(limited.body.error && limited.body.details);
      }
      assert.equal((await signIn(h, 'bob', 'password-123')).status, 200, 'another account is not limited');
      h.clock!.advance(15 * MINUTE + 1000);
      assert.equal((await signIn(h, 'alice', 'password-123')).status, 200);
    });

    test('a scrypt password from before argon2id signs in and is upgraded to argon2id', async () => {
      const salt = randomBytes(16);
      const legacy = `scrypt$${salt.toString('base64')}$${scryptSync('legacy-pass-1', salt, 32).toString('base64')}`;
      const user = await h.user('legacy');
      await h.ctx.db.updateTable('users').set({ password_hash: legacy }).where('id', '=', user.id).execute();
      assert.equal((await signIn(h, 'legacy', 'wrong-one')).status, 401);
      assert.equal((await h.ctx.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow()).password_hash, legacy);
      assert.equal((await signIn(h, 'legacy', 'legacy-pass-1')).status, 200);
      const stored = (await h.ctx.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow()).password_hash;
      assert.match(stored, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      assert.equal((await signIn(h, 'legacy', 'legacy-pass-1')).status, 200);
    });
  });
}

for (const kind of testDatabases()) {
  test(`${kind}: migration 008 turns the old never-expiring login tokens into sessions and closes the first team`, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-m008-'));
    const database = await openDatabase(kind === 'postgres' ? { dataDir, databaseUrl: await freshDatabase() } : { dataDir });
    try {
      const all = loadMigrations();
      await migrate(database.db, all.filter((m) => m.version < 8));
      const day = 86_400_000;
      await database.db.insertInto('users').values({ id: 'u'.repeat(26), username: 'old', email: 'old@example.com', create_at: 1, update_at: 1 }).execute();
      await database.db.insertInto('teams').values({ id: 't'.repeat(26), name: 'incidents', display_name: 'Incidents', create_at: 1, update_at: 1 }).execute();
      const token = (id: string, description: string, create: number) =>
        ({ id: id.repeat(26), user_id: 'u'.repeat(26), token_hash: id.repeat(64), description, create_at: create });
      await database.db.insertInto('api_tokens').values([token('a', 'session', 5 * day), token('b', 'ci bot', 5 * day)]).execute();
      await migrate(database.db, all);
      const sessions = await database.db.selectFrom('sessions').selectAll().execute();
      assert.deepEqual(sessions.map((r) => [r.id, r.kind, r.expires_at]), [['a'.repeat(26), 'login', 95 * day]]);
      const tokens = await database.db.selectFrom('api_tokens').select('description').execute();
      assert.deepEqual(tokens.map((r) => r.description), ['ci bot']);
      assert.equal((await database.db.selectFrom('teams').select('type').executeTakeFirstOrThrow()).type, 'I');
    } finally {
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
}

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Runs `muster serve` at debug level, calls `exercise` with its URL, and returns everything it logged. */
async function debugLogOf(exercise: (url: string) => Promise<void>, extraEnv: NodeJS.ProcessEnv = {}): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-log-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', MUSTER_DATA_DIR: dataDir, MUSTER_LOG_LEVEL: 'debug', MUSTER_ADMIN_TOKEN: PLANTED, ...extraEnv };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['bin/muster.js', 'serve'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = /muster: listening on (http:\/\/\S+)/.exec(log);
        if (match) resolve(match[1]!);
      }, 50);
      child.once('exit', (code) => reject(new Error(`muster exited ${code}: ${log}`)));
      child.once('exit', () => clearInterval(timer));
      void new Promise((r) => setTimeout(r, 60_000)).then(() => reject(new Error('muster did not start')));
    });
    await exercise(url);
    await new Promise((r) => setTimeout(r, 300)); // let the last lines reach the pipe
    return log;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const PLANTED = 'planted-token-0123456789abcdef';

describe('tokens are never logged', () => {
  test('MUSTER_LOG_FORMAT=pretty writes readable lines, with the same redaction', async () => {
    const log = await debugLogOf(async (url) => {
      assert.equal((await fetch(`${url}${V4}/users/me?access_token=${PLANTED}`)).status, 200);
    }, { MUSTER_LOG_FORMAT: 'pretty' });
    assert.match(log, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO.*: request$/m, 'a pretty request line');
    assert.doesNotMatch(log, /^\{"level"/m, 'no JSON lines');
    assert.equal(log.includes(PLANTED), false, 'the planted token is in the log');
  });

  test('at debug level, tokens in the query, Authorization and Cookie are not in the log', async () => {
    const log = await debugLogOf(async (url) => {
      assert.equal((await fetch(`${url}${V4}/users/me?access_token=${PLANTED}`)).status, 200);
      assert.equal((await fetch(`${url}${V4}/users/me?page=0&access_token=${PLANTED}&x=1`)).status, 200);
      assert.equal((await fetch(`${url}${V4}/users/me`, { headers: { authorization: `Bearer ${PLANTED}` } })).status, 200);
      assert.equal((await fetch(`${url}${V4}/users/me`, { headers: { cookie: `MMAUTHTOKEN=${PLANTED}` } })).status, 200);
      const hook = `${RPC}/incoming-webhooks/grafana.incident.create?token=${PLANTED}&title=x`;
      assert.equal((await fetch(url + hook, { method: 'POST', body: '{}' })).status < 500, true);
    });
    assert.match(log, /access_token=\[REDACTED\]/, 'the requests were logged (with the token blanked)');
    assert.match(log, /"url":"[^"]*\?page=0&access_token=\[REDACTED\]&x=1"/);
    assert.equal(log.includes(PLANTED), false, 'the planted token is in the log');
    assert.match(log, /"msg":"request"/, 'the one-line request log is there too');
    assert.match(log, /"route":"\/api\/v4\/users\/me","status":200/);
  });
});
