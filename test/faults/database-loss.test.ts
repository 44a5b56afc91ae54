// The database goes away under write load: Muster (its own process) must never exit, answer 503 with
// Retry-After (never 500, never a refused connection) while it is gone, serve again within 2 s once it is
// back, and keep every write it acknowledged. Uses a throwaway PostgreSQL cluster of its own.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { startCluster, type Cluster } from '../helpers/postgres.ts';
import { spawnMuster, type MusterProcess } from './muster-process.ts';
import { API, RPC, send, WriteLoad, type Outcome } from './write-load.ts';

const DB_NAME = 'muster_faults';

describe('faults: PostgreSQL lost under write load', () => {
  let cluster: Cluster;
  let muster: MusterProcess;
  let dbUrl: string;
  const incidents: string[] = [];
  let quiet: string; // an incident no writer touches: its reminder comes due while the database is down

  before(async () => {
    cluster = startCluster(undefined, { durableCommits: true });
    await withClient(cluster.url, (c) => c.query(`CREATE DATABASE ${DB_NAME}`));
    const url = new URL(cluster.url);
    url.pathname = `/${DB_NAME}`;
    dbUrl = url.toString();
    muster = await spawnMuster(dbUrl, { MUSTER_DB_CONNECT_TIMEOUT_MS: '2000' });
    for (const title of ['Fault one', 'Fault two', 'Fault quiet']) {
      const res = await send(muster.url, 'POST', `${RPC}/IncidentsService.CreateIncident`, { title });
      assert.equal(res.status, 200, res.body);
      incidents.push(JSON.parse(res.body).incident.incidentID);
    }
    quiet = incidents.pop()!;
  });

  after(async () => {
    await muster?.stop();
    cluster?.stop();
  });

  const alive = () => assert.equal(muster.exit, undefined, `muster exited (${JSON.stringify(muster.exit)}):\n${muster.stderr()}`);
  const readyz = () => send(muster.url, 'GET', '/readyz');

  test('stop -m immediate for 5 s, then start: 503 + Retry-After while down, serving within 2 s after, no acknowledged write lost', async () => {
    const load = new WriteLoad(muster.url, incidents, 'loss');
    load.start(8);
    await sleep(1500);
    const reminder = await send(muster.url, 'POST', `${API}/runs/${quiet}/status`, { message: 'remind me', reminder: 2 });
    assert.equal(reminder.status, 200, reminder.body);
    await cluster.halt('immediate');
    const downAt = performance.now();
    await sleep(1000);
    const whileDown = await readyz();
    await sleep(4000);
    const restartAt = performance.now();
    await cluster.restart(); // pg_ctl -w may see the server accepting connections a little after it does
    const upAt = performance.now();
    const readyAfter = await waitForReady(readyz, 10_000);
    await sleep(1500);
    await load.stop();

    alive();
    checkAnswers(load.outcomes);
    const during = load.outcomes.filter((o) => o.sentAt > downAt + 200 && o.doneAt < restartAt);
    assert.ok(during.length > 0 && during.every((o) => o.status === 503), 'every write while the database was down answered 503');
    const firstOk = load.acknowledged().find((o) => o.sentAt >= upAt);
    assert.ok(firstOk, 'writes succeed again after the restart');
    const backMs = firstOk.doneAt - upAt;
    assert.ok(backMs < 2000, `served again ${Math.round(backMs)} ms after the database was back`);

    assert.equal(whileDown.status, 503, whileDown.body);
    assert.match(JSON.parse(whileDown.body).reason, /database/);
    assert.ok(whileDown.retryAfter);
    assert.ok(readyAfter.ms < 5000, `/readyz 200 ${Math.round(readyAfter.ms)} ms after the database was back`);
    await checkAllPresent(load);
    // The timer poller failed while the database was away, and fires the reminder that came due meanwhile.
    const reminded = await waitFor(async () => {
      const row = await withClient(dbUrl, (c) => c.query<{ reminder_post_id: string }>('SELECT reminder_post_id FROM incidents WHERE id = $1', [quiet]));
      return row.rows[0]!.reminder_post_id !== '';
    }, 10_000);
    assert.ok(reminded, 'the reminder due during the outage fired after it');
    report('stop/start', load.outcomes, { backMs: Math.round(backMs), readyMs: Math.round(readyAfter.ms) });
  });

  test('pg_terminate_backend of every Muster backend (idle and busy), 5 rounds under load: 0 exits, 0 × 500, re-LISTENed', async () => {
    const load = new WriteLoad(muster.url, incidents, 'term');
    load.start(8);
    await sleep(1000);
    const killed = { idle: 0, busy: 0 };
    for (let round = 0; round < 5; round++) {
      const rows = await withClient(dbUrl, async (c) => {
        const result = await c.query<{ state: string | null }>(
          `SELECT state, pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
          [DB_NAME],
        );
        return result.rows;
      });
      for (const row of rows) killed[row.state === 'idle' ? 'idle' : 'busy']++;
      await sleep(400);
    }
    await sleep(1000);
    await load.stop();

    alive();
    checkAnswers(load.outcomes);
    assert.ok(killed.idle + killed.busy >= 5, `terminated ${JSON.stringify(killed)}`);
    const lastRounds = load.outcomes.slice(-16);
    assert.ok(lastRounds.some((o) => o.status === 200), 'writes succeed after the last round');
    const ready = await waitForReady(readyz, 5000);
    assert.equal(ready.status, 200);
    const listeners = (channel: string) =>
      withClient(dbUrl, async (c) => (await c.query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND query = $2`, [DB_NAME, `LISTEN ${channel}`])).rowCount);
    assert.equal(await listeners('muster_changes'), 1, 'the change listener LISTENs again');
    // The job engine's wake-up connection reconnects every second on its own (the runner polls meanwhile).
    let jobListeners = 0;
    for (let waited = 0; waited < 5000 && jobListeners !== 1; waited += 250) {
      jobListeners = (await listeners('muster_jobs')) ?? 0;
      if (jobListeners !== 1) await sleep(250);
    }
    assert.equal(jobListeners, 1, 'the job engine LISTENs again');
    await checkAllPresent(load);
    report('terminate', load.outcomes, killed);
  });

  test('a change announced while the listener was cut off is not hidden by the read cache', async () => {
    const id = incidents[0]!;
    const name = async () => JSON.parse((await send(muster.url, 'GET', `${API}/runs/${id}`)).body).name as string;
    await name();
    const original = await name(); // served from the cache now
    await withClient(dbUrl, async (c) => {
      await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND query ILIKE 'LISTEN %'`, [DB_NAME]);
      // What another Muster process does: change the run and announce it, while this one's listener is away.
      await c.query('BEGIN');
      await c.query('UPDATE incidents SET name = $2 WHERE id = $1', [id, `${original} (renamed elsewhere)`]);
      await c.query(`SELECT pg_notify('muster_changes', '*')`);
      await c.query('COMMIT');
    });
    assert.equal(await name(), `${original} (renamed elsewhere)`, 'read while the listener is down or just back');
    assert.equal((await waitForReady(readyz, 5000)).status, 200);
    assert.equal(await name(), `${original} (renamed elsewhere)`, 'read after re-LISTEN');
    alive();
  });

  /** Every answer was 2xx or a 503 with Retry-After in its facade's shape: no 500, no refused connection, no hang. */
  function checkAnswers(outcomes: Outcome[]): void {
    const bad = outcomes.filter((o) => o.status !== 200 && o.status !== 503);
    assert.deepEqual(bad.slice(0, 5).map((o) => `${o.kind} ${o.status} ${o.body}`), [], `${bad.length} answers neither 200 nor 503`);
    for (const o of outcomes.filter((x) => x.status === 503)) {
      assert.ok(o.retryAfter, `503 without Retry-After: ${o.body}`);
      const body = JSON.parse(o.body);
      assert.equal(typeof body.error, 'string');
      assert.deepEqual(Object.keys(body).sort(), o.kind === 'note' ? ['error'] : ['details', 'error'], o.body);
    }
  }

  /** Every acknowledged write is in the incident's timeline. */
  async function checkAllPresent(load: WriteLoad): Promise<void> {
    const acked = load.acknowledged();
    assert.ok(acked.length > 0);
    const stored = await withClient(dbUrl, async (c) => {
      const res = await c.query<{ summary: string }>(
        `SELECT summary FROM timeline_events WHERE incident_id = ANY($1) AND event_type IN ('status_updated', 'user_note')`,
        [incidents],
      );
      return new Set(res.rows.map((r) => r.summary));
    });
    const missing = acked.filter((o) => !stored.has(o.text));
    assert.deepEqual(missing.map((o) => o.text), [], `${missing.length} of ${acked.length} acknowledged writes missing`);
  }
});

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Polls /readyz until 200 (or the bound passes); returns the last answer and how long it took. */
async function waitForReady(readyz: () => ReturnType<typeof send>, boundMs: number) {
  const started = performance.now();
  for (;;) {
    const res = await readyz();
    const ms = performance.now() - started;
    if (res.status === 200 || ms > boundMs) return { ...res, ms };
    await sleep(50);
  }
}

async function waitFor(check: () => Promise<boolean>, boundMs: number): Promise<boolean> {
  const started = performance.now();
  while (performance.now() - started < boundMs) {
    if (await check()) return true;
    await sleep(100);
  }
  return false;
}

function report(name: string, outcomes: Outcome[], extra: Record<string, number>): void {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const key = o.status === 503 && /outcome/.test(o.body) ? '503 outcome unknown' : String(o.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  console.log(`# faults ${name}: ${JSON.stringify({ answers: counts, ...extra })}`);
}
