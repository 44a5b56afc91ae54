import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { transaction } from '../../src/store/db.ts';
import { outboxRepo } from '../../src/store/outbox.repo.ts';
import { startHarness, testDatabases, type Harness } from '../helpers/harness.ts';
import { HOLD, startReceiver, type Receiver } from '../helpers/receiver.ts';

// Separate server processes on one PostgreSQL: a kill -9 of a process holding claimed jobs, and a process
// frozen (SIGSTOP) past its lease. The in-process server is the survivor, ticked by hand on the real clock.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LEASE_MS = 3000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => boolean, ms = 15_000): Promise<void> {
  for (const end = Date.now() + ms; !check(); await sleep(25)) if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
}

if (testDatabases().includes('postgres')) {
  describe('postgres: job engine across processes', () => {
    let h: Harness;
    let pub: Receiver;
    const children: ChildProcess[] = [];
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-jobs-'));

    before(async () => {
      pub = await startReceiver('127.0.0.2');
      h = await startHarness('postgres', { env: { MUSTER_OUTBOUND_ALLOWLIST: '127.0.0.2' } });
    });
    after(async () => {
      for (const child of children) child.kill('SIGKILL');
      await h.close();
      await pub.close();
      fs.rmSync(scratch, { recursive: true, force: true });
    });

    /** `muster serve` on the same database and key, with a short lease; resolves once it listens. */
    async function serveProcess(): Promise<{ child: ChildProcess; output: () => string }> {
      const child = spawn(process.execPath, [path.join(ROOT, 'bin/muster.js'), 'serve'], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          PORT: '0',
          HOST: '127.0.0.1',
          DATABASE_URL: h.muster.config.databaseUrl,
          MUSTER_DATA_DIR: scratch,
          MUSTER_SECRET_KEY_FILE: h.muster.config.secretKeyFile,
          MUSTER_JOB_LEASE_MS: String(LEASE_MS),
          MUSTER_WEBHOOK_TIMEOUT_MS: '2000',
          MUSTER_TIMER_POLL_MS: '100',
          MUSTER_OUTBOUND_ALLOWLIST: '127.0.0.2',
          MUSTER_LOG_LEVEL: 'warn',
        },
      });
      children.push(child);
      let out = '';
      child.stdout!.on('data', (c) => (out += c));
      child.stderr!.on('data', (c) => (out += c));
      await until('the server to listen', () => /listening on/.test(out), 30_000);
      return { child, output: () => out };
    }

    async function enqueue(pathName: string, n: number): Promise<string[]> {
      const run = (await h.post('/plugins/playbooks/api/v0/runs', { name: pathName, owner_user_id: h.admin.id, team_id: h.teamId })).body;
      const now = Date.now();
      const ids: string[] = [];
      await transaction(h.ctx.db, async (tx) => {
        for (let i = 0; i < n; i++) ids.push(await outboxRepo.insert(tx, { source: 'playbooks', event: 'run_created', url: pub.url(pathName), incident_id: run.id, payload: { i }, now }));
      });
      return ids;
    }

    test('kill -9 of a process with claimed jobs: they run after the lease expires, once each', async () => {
      const { child } = await serveProcess();
      pub.on('/k9', { status: HOLD });
      const ids = await enqueue('/k9', 5);
      await until('the doomed process to send all 5', () => pub.at('/k9').length === 5);
      child.kill('SIGKILL');
      pub.on('/k9', { status: 200 });
      assert.equal(await h.muster.jobs.tick(), 0, 'still leased to the dead process');
      await sleep(LEASE_MS + 500);
      assert.equal(await h.muster.jobs.tick(), 5);
      const got = pub.at('/k9');
      assert.equal(got.length, 10);
      assert.deepEqual(new Set(got.slice(5).map((r) => r.headers['webhook-id'])), new Set(ids));
      for (const id of ids) {
        const row = await outboxRepo.byId(h.ctx.db, id);
        assert.equal(`${row!.status}/${row!.attempts}`, 'delivered/1');
      }
      assert.equal(await h.muster.jobs.tick(), 0);
    });

    test('a SIGSTOPped lease holder resumed after its lease finds its completion refused', async () => {
      const { child, output } = await serveProcess();
      pub.on('/frozen', { status: HOLD });
      const [id] = await enqueue('/frozen', 1);
      await until('the frozen process to send', () => pub.at('/frozen').length === 1);
      child.kill('SIGSTOP');
      pub.on('/frozen', { status: 200 });
      await sleep(LEASE_MS + 500);
      assert.equal(await h.muster.jobs.tick(), 1, 'the survivor delivers once the lease is over');
      child.kill('SIGCONT');
      await until('the resumed process to be fenced out', () => /completion refused/.test(output()));
      const row = await outboxRepo.byId(h.ctx.db, id!);
      assert.equal(`${row!.status}/${row!.attempts}`, 'delivered/1', 'the stale owner changed nothing');
      assert.equal((await outboxRepo.attemptsOf(h.ctx.db, [id!])).length, 1);
      child.kill('SIGKILL');
    });
  });
}
