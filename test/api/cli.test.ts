import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { testDatabases, type DbKind } from '../helpers/harness.ts';
import { freshDatabase } from '../helpers/postgres.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/muster.js');
const ADMIN_TOKEN = 'cli-admin-token-0123456789abcdef';
const LOCK_MESSAGE = /in use by another Muster process/;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

const running = new Set<ChildProcess>();
const tempDirs: string[] = [];

after(() => {
  for (const child of running) child.kill('SIGKILL');
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A clean environment: nothing from the test runner's own (DATABASE_URL, NODE_TEST_CONTEXT, ...) leaks in. */
function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: os.tmpdir(), MUSTER_LOG_LEVEL: 'warn', ...extra };
}

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-cli-'));
  tempDirs.push(dir);
  return dir;
}

function spawnMuster(args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Runs `node bin/muster.js <args>` to completion. */
function cli(args: string[], env: Record<string, string> = {}): Promise<Result> {
  const child = spawnMuster(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs a command that must succeed, returning its stdout. */
async function ok(args: string[], env: Record<string, string>): Promise<Result> {
  const res = await cli(args, env);
  assert.equal(res.code, 0, `muster ${args.join(' ')}\nstdout: ${res.stdout}\nstderr: ${res.stderr}`);
  return res;
}

/** A port in 20000-40000 that nothing listens on right now. */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

interface Server {
  url: string;
  output(): string;
  errors(): string;
  stop(): Promise<number | null>;
}

/** Starts `muster serve` and waits for its "listening on" line (or its exit, which fails the test). */
async function serve(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child = spawnMuster(['serve'], { ...env, PORT: String(port), HOST: '127.0.0.1' });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    void exited.then((code) => reject(new Error(`serve exited with ${code} before listening:\n${stdout}\n${stderr}`)));
  });
  assert.equal(url, `http://127.0.0.1:${port}`);
  return {
    url,
    // The first-start notice is written right after the "listening" line, in the same tick.
    output: () => stdout,
    errors: () => stderr,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

async function getMe(url: string, token: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/api/v4/users/me`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

/** Environment for a fresh, empty database of the given kind. */
async function freshEnv(kind: DbKind): Promise<Record<string, string>> {
  const env: Record<string, string> = { MUSTER_DATA_DIR: tempDir() };
  if (kind === 'postgres') env.DATABASE_URL = await freshDatabase();
  return env;
}

// The suites spawn processes and wait on them: running them side by side keeps the file fast.
describe('muster CLI', { concurrency: true }, () => {
  describe('command line', () => {
    test('no arguments prints the usage on stderr and exits 2; help exits 0', async () => {
      const none = await cli([]);
      assert.equal(none.code, 2);
      assert.match(none.stderr, /usage: muster/);
      const help = await cli(['help']);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /usage: muster/);
      assert.match(help.stdout, /token create --user/);
      const flag = await cli(['user', 'create', '--help']);
      assert.equal(flag.code, 0);
    });

    test('usage errors name the problem, print the usage, exit 2 and touch no database', async () => {
      const dataDir = path.join(tempDir(), 'never-created');
      const cases: Array<[string[], RegExp]> = [
        [['bogus'], /unknown command "bogus"/],
        [['user'], /user: missing subcommand/],
        [['user', 'delete'], /user: unknown subcommand "delete"/],
        [['user', 'create', '--username', 'x'], /missing required flag --email/],
        [['user', 'create', '--username', 'x', '--email', 'x@example.com', '--bogus'], /Unknown option '--bogus'/],
        [['user', 'create', '--username'], /--username <value>' argument missing/],
        [['team', 'create', '--name', 'ops'], /missing required flag --display-name/],
        [['team', 'add-member', '--team', 'ops'], /missing required flag --user/],
        [['team'], /team: missing subcommand/],
        [['token', 'revoke'], /missing argument <token-id>/],
        [['token', 'revoke', 'a', 'b'], /unexpected argument "b"/],
        [['token', 'list'], /missing required flag --user/],
        [['token', 'create', '--user', 'x', '--admin'], /Unknown option '--admin'/],
        [['serve', 'now'], /serve: .*now/],
        [['migrate', '--force'], /Unknown option '--force'/],
      ];
      const results = await Promise.all(cases.map(([args]) => cli(args, { MUSTER_DATA_DIR: dataDir })));
      results.forEach((res, i) => {
        const [args, message] = cases[i]!;
        assert.equal(res.code, 2, `${args.join(' ')}: ${res.stderr}`);
        assert.match(res.stderr, message, args.join(' '));
        assert.match(res.stderr, /usage: muster/);
        assert.equal(res.stdout, '');
      });
      assert.equal(fs.existsSync(dataDir), false);
    });

    test('an invalid environment lists every problem and exits 1', async () => {
      for (const args of [['serve'], ['migrate'], ['user', 'create', '--username', 'x', '--email', 'x@example.com']]) {
        const res = await cli(args, { PORT: 'abc', MUSTER_SITE_URL: 'nope', MUSTER_DATA_DIR: tempDir() });
        assert.equal(res.code, 1, args.join(' '));
        assert.match(res.stderr, /invalid configuration/);
        assert.match(res.stderr, /PORT="abc"/);
        assert.match(res.stderr, /MUSTER_SITE_URL="nope"/);
      }
    });
  });

  for (const kind of testDatabases()) {
    describe(`${kind}`, { concurrency: true }, () => {
      test('user create → team create → add-member → token create, then serve accepts the token', async () => {
        const env = { ...(await freshEnv(kind)), MUSTER_ADMIN_TOKEN: ADMIN_TOKEN };

        const migrated = await ok(['migrate'], env);
        assert.match(migrated.stdout, /applied 001_init/);
        assert.match((await ok(['migrate'], env)).stdout, /up to date/);

        // The first command on an empty database creates the admin; the notice goes to stderr.
        const created = await ok(['user', 'create', '--username', 'alice', '--email', 'alice@example.com', '--password', 'alice-password', '--json'], env);
        const alice = JSON.parse(created.stdout);
        assert.equal(alice.username, 'alice');
        assert.match(alice.id, /^[a-z0-9]{26}$/);
        assert.match(created.stderr, /First start: created the admin account/);
        assert.match(created.stderr, /\(from MUSTER_ADMIN_TOKEN\)/);

        const team = JSON.parse((await ok(['team', 'create', '--name', 'ops', '--display-name', 'Operations', '--private', '--json'], env)).stdout);
        assert.equal(team.name, 'ops');
        assert.equal(team.type, 'I');
        const member = JSON.parse((await ok(['team', 'add-member', '--team', 'ops', '--user', 'alice', '--json'], env)).stdout);
        assert.deepEqual(member, { team_id: team.id, user_id: alice.id, is_admin: false });

        // Human output: the token is printed once, on its own line.
        const issued = await ok(['token', 'create', '--user', alice.id, '--description', 'from the cli'], env);
        assert.match(issued.stdout, /shown only this once/);
        const token = issued.stdout.trim().split('\n').at(-1)!;
        assert.match(token, /^mst_\S+$/);
        const tokenId = /created token ([a-z0-9]{26})/.exec(issued.stdout)![1]!;

        const listed = await ok(['token', 'list', '--user', 'alice'], env);
        assert.match(listed.stdout, new RegExp(`${tokenId}\\s+active\\s+\\S+\\s+from the cli`));
        assert.ok(!listed.stdout.includes(token), 'token list never shows the secret');

        // Rejected input is exit 1 with the domain's message.
        const duplicate = await cli(['user', 'create', '--username', 'alice', '--email', 'other@example.com'], env);
        assert.equal(duplicate.code, 1);
        assert.match(duplicate.stderr, /username alice is taken/);
        const unknown = await cli(['token', 'create', '--user', 'nobody'], env);
        assert.equal(unknown.code, 1);
        assert.match(unknown.stderr, /no user with id or username "nobody"/);

        const server = await serve(env);
        try {
          const me = await getMe(server.url, token);
          assert.equal(me.status, 200);
          assert.equal(me.body.id, alice.id);
          const admin = await getMe(server.url, ADMIN_TOKEN);
          assert.equal(admin.status, 200);
          assert.equal(admin.body.username, 'admin');
          assert.doesNotMatch(server.output(), /First start/, 'the notice is shown only once');
          const login = await fetch(`${server.url}/api/v4/users/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ login_id: 'alice', password: 'alice-password' }),
          });
          assert.equal(login.status, 200);

          if (kind === 'pglite') {
            // The embedded database belongs to the running server: other commands refuse instead of corrupting it.
            const second = await cli(['serve'], { ...env, PORT: String(await freePort()), HOST: '127.0.0.1' });
            assert.equal(second.code, 1);
            assert.match(second.stderr, LOCK_MESSAGE);
            const locked = await cli(['token', 'list', '--user', 'alice'], env);
            assert.equal(locked.code, 1);
            assert.match(locked.stderr, LOCK_MESSAGE);
          } else {
            // PostgreSQL is shared: a revoke from the CLI takes effect on the running server at once.
            await ok(['token', 'revoke', tokenId], env);
            assert.equal((await getMe(server.url, token)).status, 401);
          }
        } finally {
          assert.equal(await server.stop(), 0);
        }

        if (kind === 'pglite') assert.match((await ok(['token', 'revoke', tokenId], env)).stdout, /revoked token/);
        // Only the CLI token is listed as revoked; the login above made an active session token.
        const tokens = JSON.parse((await ok(['token', 'list', '--user', 'alice', '--json'], env)).stdout);
        assert.equal(tokens.find((t: any) => t.id === tokenId).is_active, false);
        assert.ok(tokens.every((t: any) => t.token === undefined));
        const missing = await cli(['token', 'revoke', 'a'.repeat(26)], env);
        assert.equal(missing.code, 1);
        assert.match(missing.stderr, /token not found/);
      });

      test('webhooks: the first start shows the signing secret once; list, rotate-secret, and usage errors', async () => {
        const env = await freshEnv(kind);
        const first = await ok(['webhooks', 'list', '--json'], env);
        assert.deepEqual(JSON.parse(first.stdout), []);
        assert.match(first.stderr, /signing secret of Playbooks webhooks.*\n\s+secret:\s+whsec_\S+/);
        const again = await ok(['webhooks', 'list'], env);
        assert.doesNotMatch(again.stderr, /whsec_/, 'shown once');
        assert.match(again.stdout, /no outgoing webhooks/);
        const rotated = JSON.parse((await ok(['webhooks', 'rotate-secret', '--grace-seconds', '60', '--json'], env)).stdout);
        assert.match(rotated.secret, /^whsec_/);
        assert.equal(rotated.grace_seconds, 60);
        const bad = await cli(['webhooks', 'deliveries'], env);
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /webhook-id.*--incident/);
        const missing = await cli(['webhooks', 'enable', 'z'.repeat(26)], env);
        assert.equal(missing.code, 1);
        assert.match(missing.stderr, /not found/);
      });

      test('accounts: user list, reset-password (generated, printed once; sessions end), deactivate (not the last admin), team list', async () => {
        const env = await freshEnv(kind);
        await ok(['user', 'create', '--username', 'bob', '--email', 'bob@example.com', '--password', 'bob-password-1'], env);
        const users = JSON.parse((await ok(['user', 'list', '--json'], env)).stdout);
        assert.deepEqual(users.map((u: { username: string }) => u.username).sort(), ['admin', 'bob']);
        const reset = JSON.parse((await ok(['user', 'reset-password', '--user', 'bob', '--json'], env)).stdout);
        assert.match(reset.password, /^\S{20}$/);
        const chosen = await ok(['user', 'reset-password', '--user', 'bob', '--password', 'short'], env).catch((e: Error) => e);
        assert.ok(chosen instanceof Error && /at least 8 characters/.test(chosen.message), 'a short password is refused');
        const lastAdmin = await cli(['user', 'deactivate', '--user', 'admin'], env);
        assert.equal(lastAdmin.code, 1);
        assert.match(lastAdmin.stderr, /last active system admin/);
        assert.match((await ok(['user', 'deactivate', '--user', 'bob'], env)).stdout, /bob deactivated/);
        const listed = JSON.parse((await ok(['user', 'list', '--json'], env)).stdout);
        assert.equal(listed.find((u: { username: string }) => u.username === 'bob').active, false);
        assert.equal((await cli(['user', 'reset-password', '--user', 'bob'], env)).code, 1, 'a deactivated user gets no new password');
        const teams = JSON.parse((await ok(['team', 'list', '--json'], env)).stdout);
        assert.deepEqual(teams.map((t: { name: string }) => t.name), ['incidents']);
      });

      test('integrations: create prints the intake URL once; list never shows it; revoke; usage errors', async () => {
        const env = await freshEnv(kind);
        await ok(['team', 'create', '--name', 'ops', '--display-name', 'Ops'], env);
        const made = JSON.parse((await ok(['integrations', 'create', '--kind', 'alertmanager', '--name', 'prom', '--team', 'ops', '--auto-resolve', '--json'], env)).stdout);
        assert.match(made.url, /\/api\/muster\/v1\/intake\/mia_\S+$/);
        assert.equal(made.auto_resolve, true);
        const listed = JSON.parse((await ok(['integrations', 'list', '--json'], env)).stdout);
        assert.deepEqual(listed.map((i: { id: string }) => i.id), [made.id]);
        assert.equal(JSON.stringify(listed).includes('mia_'), false, 'the secret is shown once');
        assert.match((await ok(['integrations', 'revoke', made.id], env)).stdout, /revoked/);
        assert.match((await ok(['integrations', 'list'], env)).stdout, /no integrations/);
        const bad = await cli(['integrations', 'create', '--kind', 'nagios', '--name', 'x', '--team', 'ops'], env);
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /--kind must be one of alertmanager, generic/);
        const missingTeam = await cli(['integrations', 'create', '--kind', 'generic', '--name', 'x', '--team', 'nope'], env);
        assert.equal(missingTeam.code, 1);
        assert.match(missingTeam.stderr, /no team/);
      });

      test('a start that cannot listen says why in one line, exits 1, and still shows the first-start credentials', async () => {
        const env = await freshEnv(kind);
        const blocker = net.createServer();
        await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
        const port = (blocker.address() as net.AddressInfo).port;
        try {
          const res = await cli(['serve'], { ...env, PORT: String(port), HOST: '127.0.0.1' });
          assert.equal(res.code, 1, res.stderr);
          assert.match(res.stderr, new RegExp(`muster: cannot start: port ${port} is in use by another process`));
          assert.match(res.stderr, /token:\s+mst_\S+/, 'the one-time credentials are not lost');
          assert.doesNotMatch(res.stderr, /\n\s+at /, 'no stack trace');
        } finally {
          blocker.close();
        }
      });

      test('the first start prints the admin token once, and it works', async () => {
        const env = await freshEnv(kind);
        const first = await serve(env);
        let token: string;
        try {
          const match = /token:\s+(mst_\S+)/.exec(first.output());
          assert.ok(match, first.output());
          token = match[1]!;
          assert.match(first.output(), /password:\s+\S+/);
          assert.match(first.output(), /muster: applied migration 001_init\n[\s\S]*listening on \S+ with .* \(ready in \d+ ms\)/, 'progress lines');
          const me = await getMe(first.url, token);
          assert.equal(me.status, 200);
          assert.equal(me.body.username, 'admin');
          assert.equal(me.body.roles, 'system_admin system_user');
        } finally {
          assert.equal(await first.stop(), 0);
        }
        assert.match(first.output(), /SIGTERM: finishing requests in flight and running jobs, then stopping\nmuster: stopped in \d+ ms/);
        const again = await serve(env);
        try {
          assert.doesNotMatch(again.output(), /First start/);
          assert.equal((await getMe(again.url, token)).status, 200);
        } finally {
          assert.equal(await again.stop(), 0);
        }
        // A token given on a later start is not silently ignored.
        const third = await serve({ ...env, MUSTER_ADMIN_TOKEN: 'not-a-token-of-this-installation' });
        try {
          for (let waited = 0; waited < 10_000 && !third.errors().includes('warning'); waited += 100) await new Promise((r) => setTimeout(r, 100));
          assert.match(third.errors(), /warning: MUSTER_ADMIN_TOKEN is not a token of this installation.*muster token create --user admin/);
        } finally {
          assert.equal(await third.stop(), 0);
        }
      });
    });
  }
});
