// A connection lost in the middle of a write: before COMMIT nothing happened, so the write is retried on a
// fresh connection; at COMMIT nobody knows, so the caller hears 503 "outcome unknown", never success.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startMuster, type Muster } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { freshDatabase } from '../helpers/postgres.ts';
import { CuttingProxy } from './cutting-proxy.ts';
import { ADMIN_TOKEN } from './muster-process.ts';
import { API, RPC, send } from './write-load.ts';

describe('faults: a connection cut during a write', () => {
  let muster: Muster;
  let proxy: CuttingProxy;
  let dataDir: string;
  let incidentId: string;

  before(async () => {
    const target = new URL(await freshDatabase());
    proxy = new CuttingProxy({ host: target.hostname, port: Number(target.port) });
    const viaProxy = new URL(target);
    viaProxy.port = String(await proxy.listen());
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-faults-'));
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      MUSTER_DATA_DIR: dataDir,
      MUSTER_ADMIN_TOKEN: ADMIN_TOKEN,
      MUSTER_LOG_LEVEL: 'silent',
      DATABASE_URL: viaProxy.toString(),
    });
    muster = await startMuster(config, { runTimers: false });
    const created = await send(muster.url, 'POST', `${RPC}/IncidentsService.CreateIncident`, { title: 'Cut connections' });
    assert.equal(created.status, 200, created.body);
    incidentId = JSON.parse(created.body).incident.incidentID;
  });

  after(async () => {
    await muster?.close();
    proxy?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const statusUpdates = async (message: string) =>
    (
      await muster.services.database.db
        .selectFrom('timeline_events')
        .select('id')
        .where('incident_id', '=', incidentId)
        .where('event_type', '=', 'status_updated')
        .where('summary', '=', message)
        .execute()
    ).length;

  test('lost before COMMIT: retried on a new connection, answered 200, written once', async () => {
    const cut = proxy.cut('before', 'begin');
    const res = await send(muster.url, 'POST', `${API}/runs/${incidentId}/status`, { message: 'cut at begin', reminder: 0 });
    await cut;
    assert.equal(res.status, 200, res.body);
    assert.equal(await statusUpdates('cut at begin'), 1);
  });

  test('lost after COMMIT was sent: 503 "outcome unknown" with Retry-After, although the server committed', async () => {
    const cut = proxy.cut('after', 'commit');
    const rest = await send(muster.url, 'POST', `${API}/runs/${incidentId}/status`, { message: 'cut at commit', reminder: 0 });
    await cut;
    assert.equal(rest.status, 503, rest.body);
    assert.ok(rest.retryAfter);
    assert.match(JSON.parse(rest.body).error, /outcome of this write is unknown/);
    assert.equal(await statusUpdates('cut at commit'), 1, 'the server did commit: reporting a plain failure would be wrong too');

    const rpcCut = proxy.cut('after', 'commit');
    const rpc = await send(muster.url, 'POST', `${RPC}/ActivityService.AddActivity`, { incidentID: incidentId, activityKind: 'userNote', body: 'note cut at commit' });
    await rpcCut;
    assert.equal(rpc.status, 503, rpc.body);
    assert.deepEqual(Object.keys(JSON.parse(rpc.body)), ['error']);
    assert.match(JSON.parse(rpc.body).error, /outcome of this write is unknown/);
  });

  test('the read cache does not keep what an unknown commit may have changed', async () => {
    const read = async () => JSON.parse((await send(muster.url, 'GET', `${API}/runs/${incidentId}`)).body);
    const original = await read();
    await read(); // cached now
    proxy.dropNotifications = true; // the commit's own NOTIFY must not be what saves the cache
    try {
      const cut = proxy.cut('after', 'commit');
      const res = await send(muster.url, 'PATCH', `${API}/runs/${incidentId}`, { name: `${original.name} (maybe renamed)` });
      await cut;
      assert.equal(res.status, 503, res.body);
      assert.equal((await read()).name, `${original.name} (maybe renamed)`, 'the rename committed, and the next read shows it');
    } finally {
      proxy.dropNotifications = false;
    }
  });
});
