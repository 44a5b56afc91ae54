import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../../src/store/db.ts';
import { testDatabases, type DbKind } from '../helpers/harness.ts';
import { freshDatabase } from '../helpers/postgres.ts';
import { startNode, type Proc } from './processes.ts';

// kill -9 of the server under write load, then restart: every acknowledged write must be there and every
// incident's timeline gapless. Bounded: ROUNDS kills per database at a random 0.3-1.5 s (fixed seed).
const ROUNDS = 4;
const WRITERS = 8;
const INCIDENTS = 4;
const SEED = 20261203;
const TOKEN = 'crash-tier-admin-token-0123456789';
const RPC = '/api/plugins/grafana-incident-app/resources/api/v1';

/** mulberry32: a small seeded generator, so the kill times repeat from run to run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function serve(env: NodeJS.ProcessEnv): Promise<{ proc: Proc; url: string }> {
  const proc = startNode('bin/muster.js', ['serve'], env);
  const match = await proc.waitFor(/listening on (http:\/\/\S+)/, 120_000);
  return { proc, url: match[1]! };
}

async function rpc(url: string, method: string, body: unknown): Promise<any> {
  const res = await fetch(`${url}${RPC}/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status < 200 || res.status > 299) throw new Error(`${method}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

/** Adds notes until the server goes away; returns the ids it acknowledged (2xx). */
async function writer(url: string, incidents: string[], n: number, acked: string[]): Promise<void> {
  for (let i = 0; ; i++) {
    const incidentID = incidents[(n + i) % incidents.length]!;
    let res: any;
    try {
      res = await rpc(url, 'ActivityService.AddActivity', { incidentID, activityKind: 'userNote', body: `w${n} #${i}` });
    } catch {
      return; // killed: this write's outcome is unknown, and it was never acknowledged
    }
    acked.push(res.activityItem.activityItemID);
  }
}

async function target(kind: DbKind): Promise<{ dataDir: string; databaseUrl?: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-crash-'));
  return kind === 'postgres' ? { dataDir, databaseUrl: await freshDatabase() } : { dataDir };
}

for (const kind of testDatabases()) {
  test(`${kind}: ${ROUNDS} kill -9 rounds under ${WRITERS} writers lose no acknowledged write and leave gapless timelines`, async (t) => {
    const where = await target(kind);
    const env: NodeJS.ProcessEnv = {
      MUSTER_DATA_DIR: where.dataDir,
      DATABASE_URL: where.databaseUrl ?? '',
      MUSTER_ADMIN_TOKEN: TOKEN,
      MUSTER_LOG_LEVEL: 'silent',
      PORT: '0',
      HOST: '127.0.0.1',
    };
    const random = seeded(SEED);
    const acked: string[] = [];
    const incidents: string[] = [];
    const perRound: number[] = [];
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        const { proc, url } = await serve(env);
        if (round === 1) {
          for (let i = 0; i < INCIDENTS; i++) {
            incidents.push((await rpc(url, 'IncidentsService.CreateIncident', { title: `crash ${i}`, status: 'active' })).incident.incidentID);
          }
        }
        const before = acked.length;
        const writers = Array.from({ length: WRITERS }, (_, n) => writer(url, incidents, n, acked));
        await new Promise((resolve) => setTimeout(resolve, 300 + random() * 1200));
        proc.child.kill('SIGKILL');
        await proc.exited;
        await Promise.all(writers);
        perRound.push(acked.length - before);
      }
      const last = await serve(env); // the restart after the last kill
      last.proc.child.kill('SIGTERM');
      await last.proc.exited;
      const lost = await verify(where, incidents, acked);
      t.diagnostic(`${kind}: ${ROUNDS} rounds (seed ${SEED}), acknowledged writes per round ${perRound.join('/')}, ${acked.length} acknowledged, ${lost} lost`);
      assert.ok(acked.length > 0, 'the writers got some writes acknowledged');
    } finally {
      fs.rmSync(where.dataDir, { recursive: true, force: true });
    }
  });
}

/** Every acknowledged id is stored; each incident's seq runs 1..n with no gap and matches its counter. Returns lost. */
async function verify(where: { dataDir: string; databaseUrl?: string }, incidents: string[], acked: string[]): Promise<number> {
  const database = await openDatabase(where);
  try {
    const rows = await database.db.selectFrom('timeline_events').select(['id', 'incident_id', 'seq']).where('incident_id', 'in', incidents).execute();
    const stored = new Set(rows.map((r) => r.id));
    const lost = acked.filter((id) => !stored.has(id));
    assert.deepEqual(lost, [], `${lost.length} acknowledged writes are missing`);
    const counters = await database.db.selectFrom('incidents').select(['id', 'last_event_seq']).where('id', 'in', incidents).execute();
    for (const { id, last_event_seq } of counters) {
      const seqs = rows.filter((r) => r.incident_id === id).map((r) => r.seq).sort((a, b) => a - b);
      assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1), `incident ${id}: timeline has gaps`);
      assert.equal(last_event_seq, seqs.length, `incident ${id}: last_event_seq`);
    }
    return lost.length;
  } finally {
    await database.close();
  }
}
