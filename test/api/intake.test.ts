import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { API, RPC, startHarness, testDatabases, type Harness } from '../helpers/harness.ts';

const MUSTER = '/api/muster/v1';

/** An Alertmanager webhook notification (version 4) of one group. */
function notification(groupKey: string, status: 'firing' | 'resolved', extra: Record<string, unknown> = {}) {
  return {
    version: '4',
    groupKey,
    truncatedAlerts: 0,
    status,
    receiver: 'muster',
    groupLabels: { alertname: 'HighLatency' },
    commonLabels: { alertname: 'HighLatency', severity: 'critical', service: 'checkout' },
    commonAnnotations: { summary: `Checkout p99 above 2 s (${groupKey})` },
    externalURL: 'http://alertmanager.test',
    alerts: [
      {
        status,
        labels: { alertname: 'HighLatency', severity: 'critical', instance: 'a' },
        annotations: { summary: 'p99 above 2 s' },
        startsAt: '2026-12-03T10:00:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.test/graph',
        fingerprint: 'f1',
      },
    ],
    ...extra,
  };
}

for (const kind of testDatabases()) {
  describe(`${kind}: alert intake and Idempotency-Key`, { concurrency: false }, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(kind);
    });
    after(async () => h.close());

    async function integration(body: Record<string, unknown>) {
      const res = await h.post(`${MUSTER}/integrations`, { name: 'prod alerts', team_id: h.teamId, ...body });
      assert.equal(res.status, 201, res.text);
      return res.body as { id: string; url: string; kind: string };
    }
    const intakePath = (url: string) => new URL(url).pathname;
    const post = (url: string, body: unknown, headers: Record<string, string> = {}) => h.request('POST', intakePath(url), { body, token: null, headers });
    const openIncidents = async () => (await h.get(`${API}/runs?statuses=InProgress&per_page=200`)).body.items as Array<{ id: string; name: string; labels: string[] }>;

    test('an admin makes an integration; its URL carries a secret shown once; others may not', async () => {
      const made = await integration({ kind: 'alertmanager' });
      assert.match(made.url, new RegExp(`${MUSTER}/intake/mia_[A-Za-z0-9_-]{20,}$`));
      const listed = (await h.get(`${MUSTER}/integrations`)).body.items as Array<Record<string, unknown>>;
      const row = listed.find((i) => i.id === made.id)!;
      assert.equal(row.kind, 'alertmanager');
      assert.equal('url' in row || 'secret' in row || 'secret_hash' in row, false, 'the secret is never listed');
      const user = await h.user();
      assert.equal((await h.post(`${MUSTER}/integrations`, { kind: 'generic', name: 'x', team_id: h.teamId }, user.token)).status, 403);
      assert.equal((await h.get(`${MUSTER}/integrations`, user.token)).status, 403);
      const bad = await h.post(`${MUSTER}/integrations`, { kind: 'nagios', name: 'x', team_id: h.teamId });
      assert.equal(bad.status, 400);
      assert.match(bad.text, /kind/);
    });

    test('Alertmanager: one incident per group key, later notifications on its timeline, resolved with auto_resolve', async () => {
      const made = await integration({ kind: 'alertmanager', auto_resolve: true });
      const first = await post(made.url, notification('{}:{alertname="HighLatency"}', 'firing'));
      assert.equal(first.status, 201, first.text);
      assert.equal(first.body.opened, true);
      const id = first.body.incident_id as string;
      const again = await post(made.url, notification('{}:{alertname="HighLatency"}', 'firing'));
      assert.equal(again.status, 200, again.text);
      assert.equal(again.body.incident_id, id);
      assert.equal(again.body.opened, false);

      const run = (await h.get(`${API}/runs/${id}`)).body;
      assert.equal(run.name, 'Checkout p99 above 2 s ({}:{alertname="HighLatency"})');
      assert.ok(run.labels.includes('service=checkout'), JSON.stringify(run.labels));
      const incident = (await h.rpcOk('IncidentsService.GetIncident', { incidentID: id })).incident;
      assert.equal(incident.severity, 'critical');
      const alerts = run.timeline_events.filter((e: { event_type: string }) => e.event_type === 'alert_received');
      assert.equal(alerts.length, 2);
      assert.match(alerts[0].summary, /^\[FIRING:1\] /);

      const resolved = await post(made.url, notification('{}:{alertname="HighLatency"}', 'resolved'));
      assert.equal(resolved.status, 200, resolved.text);
      assert.equal(resolved.body.resolved, true);
      assert.equal((await h.get(`${API}/runs/${id}`)).body.current_status, 'Finished');

      // The group closed with its incident: the next firing opens a new one.
      const next = await post(made.url, notification('{}:{alertname="HighLatency"}', 'firing'));
      assert.equal(next.status, 201, next.text);
      assert.notEqual(next.body.incident_id, id);
    });

    test('without auto_resolve a resolved notification is recorded and the incident stays open; a resolve with no open incident opens nothing', async () => {
      const made = await integration({ kind: 'alertmanager' });
      const lone = await post(made.url, notification('never-fired', 'resolved'));
      assert.equal(lone.status, 200, lone.text);
      assert.equal(lone.body.incident_id, '');
      assert.match(lone.body.ignored, /no open incident/);
      const { incident_id: id } = (await post(made.url, notification('g1', 'firing'))).body;
      const resolved = await post(made.url, notification('g1', 'resolved'));
      assert.equal(resolved.body.incident_id, id);
      assert.equal(resolved.body.resolved, false);
      assert.equal((await h.get(`${API}/runs/${id}`)).body.current_status, 'InProgress');
    });

    test('a run resolved by people closes its alert group', async () => {
      const made = await integration({ kind: 'generic' });
      const first = await post(made.url, { title: 'Disk full on db-1', dedup_key: 'disk-db-1', severity: 'warning' });
      assert.equal(first.status, 201, first.text);
      const id = first.body.incident_id;
      assert.equal((await h.rpcOk('IncidentsService.GetIncident', { incidentID: id })).incident.severity, 'major', 'warning is an alias of major');
      assert.equal((await h.put(`${API}/runs/${id}/finish`)).status, 200);
      const second = await post(made.url, { title: 'Disk full on db-1', dedup_key: 'disk-db-1' });
      assert.equal(second.status, 201);
      assert.notEqual(second.body.incident_id, id);
    });

    test('100 concurrent notifications over 5 group keys open exactly 5 incidents and lose none', async () => {
      const made = await integration({ kind: 'alertmanager' });
      const openBefore = (await openIncidents()).length;
      const keys = ['k0', 'k1', 'k2', 'k3', 'k4'].map((k) => `storm-${kind}-${k}`);
      const results = await Promise.all(Array.from({ length: 100 }, (_, i) => post(made.url, notification(keys[i % 5]!, 'firing'))));
      assert.deepEqual(results.filter((r) => r.status >= 300).map((r) => r.text), []);
      assert.equal(results.filter((r) => r.body.opened).length, 5);
      const byKey = new Map<string, Set<string>>();
      results.forEach((r, i) => byKey.set(keys[i % 5]!, (byKey.get(keys[i % 5]!) ?? new Set()).add(r.body.incident_id)));
      for (const ids of byKey.values()) assert.equal(ids.size, 1);
      assert.equal((await openIncidents()).length, openBefore + 5);
      for (const ids of byKey.values()) {
        const run = (await h.get(`${API}/runs/${[...ids][0]}`)).body;
        assert.equal(run.timeline_events.filter((e: { event_type: string }) => e.event_type === 'alert_received').length, 20);
      }
    });

    test('bad intake input: unknown or revoked secret 404, malformed bodies 400 naming the field, nothing recorded', async () => {
      const made = await integration({ kind: 'alertmanager' });
      const openBefore = (await openIncidents()).length;
      assert.equal((await h.request('POST', `${MUSTER}/intake/mia_doesnotexist`, { body: notification('x', 'firing'), token: null })).status, 404);
      const noKey = await post(made.url, { ...notification('x', 'firing'), groupKey: undefined });
      assert.equal(noKey.status, 400);
      assert.match(noKey.text, /groupKey/);
      const badLabels = await post(made.url, notification('x', 'firing', { commonLabels: { severity: 3 } }));
      assert.equal(badLabels.status, 400);
      assert.match(badLabels.text, /commonLabels\.severity/);
      assert.equal((await post(made.url, '{"version": "4", ')).status, 400);
      assert.equal((await h.delete(`${MUSTER}/integrations/${made.id}`)).status, 200);
      assert.equal((await post(made.url, notification('x', 'firing'))).status, 404);
      assert.equal((await openIncidents()).length, openBefore);
    });

    test('Idempotency-Key: POST /runs repeats answer the same run (200), another body is 422; 50 concurrent over 5 keys make 5 runs', async () => {
      const body = (name: string) => ({ name, team_id: h.teamId, owner_user_id: h.admin.id });
      const first = await h.request('POST', `${API}/runs`, { body: body('Payments down'), headers: { 'idempotency-key': 'create-payments-1' } });
      assert.equal(first.status, 201, first.text);
      const repeat = await h.request('POST', `${API}/runs`, { body: body('Payments down'), headers: { 'idempotency-key': 'create-payments-1' } });
      assert.equal(repeat.status, 200, repeat.text);
      assert.equal(repeat.body.id, first.body.id);
      const other = await h.request('POST', `${API}/runs`, { body: body('Something else'), headers: { 'idempotency-key': 'create-payments-1' } });
      assert.equal(other.status, 422, other.text);
      assert.match(other.text, /Idempotency-Key/);
      const malformed = await h.request('POST', `${API}/runs`, { body: body('x'), headers: { 'idempotency-key': 'has space' } });
      assert.equal(malformed.status, 400);

      const openBefore = (await openIncidents()).length;
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => h.request('POST', `${API}/runs`, { body: body(`Storm ${i % 5}`), headers: { 'idempotency-key': `storm-${kind}-${i % 5}` } })),
      );
      assert.deepEqual(results.filter((r) => r.status !== 200 && r.status !== 201).map((r) => r.text), []);
      assert.equal(results.filter((r) => r.status === 201).length, 5);
      assert.equal(new Set(results.map((r) => r.body.id)).size, 5);
      assert.equal((await openIncidents()).length, openBefore + 5);
    });

    test('Idempotency-Key: RPC CreateIncident and an intake URL answer the first incident, keys are per caller', async () => {
      const req = { title: 'RPC idempotent', status: 'active' };
      const headers = { 'idempotency-key': 'rpc-key-1' };
      const a = await h.request('POST', `${RPC}/IncidentsService.CreateIncident`, { body: req, headers });
      const b = await h.request('POST', `${RPC}/IncidentsService.CreateIncident`, { body: req, headers });
      assert.equal(a.status, 200, a.text);
      assert.equal(b.body.incident.incidentID, a.body.incident.incidentID);
      // Another caller's identical key is its own.
      const user = await h.user();
      const c = await h.request('POST', `${RPC}/IncidentsService.CreateIncident`, { body: req, headers, token: user.token });
      assert.equal(c.status, 200, c.text);
      assert.notEqual(c.body.incident.incidentID, a.body.incident.incidentID);

      const made = await integration({ kind: 'generic' });
      const one = await post(made.url, { title: 'Queue backlog', dedup_key: 'q' }, { 'idempotency-key': 'delivery-77' });
      const two = await post(made.url, { title: 'Queue backlog', dedup_key: 'q' }, { 'idempotency-key': 'delivery-77' });
      assert.equal(one.status, 201, one.text);
      assert.equal(two.body.incident_id, one.body.incident_id);
      const run = (await h.get(`${API}/runs/${one.body.incident_id}`)).body;
      assert.equal(run.timeline_events.filter((e: { event_type: string }) => e.event_type === 'alert_received').length, 1, 'the repeat triggered nothing');
    });
  });
}
