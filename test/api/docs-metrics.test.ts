import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { API, RPC, startHarness, testDatabases, type Harness } from '../helpers/harness.ts';

/** A Fastify route URL as an OpenAPI path (`/runs/:id` → `/runs/{id}`). */
const openapiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

for (const kind of testDatabases()) {
  describe(`${kind}: API docs and metrics`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(kind);
    });
    after(async () => h.close());

    test('/openapi.json is valid OpenAPI 3.1 and lists every registered route and every RPC method', async () => {
      const res = await h.get('/openapi.json', null);
      assert.equal(res.status, 200);
      const doc = res.body;
      assert.equal(doc.openapi, '3.1.0');
      const result = await new Validator().validate(doc);
      assert.equal(result.valid, true, JSON.stringify(result.errors)?.slice(0, 2000));
      const missing: string[] = [];
      for (const route of h.muster.app.routeCatalogue) {
        if (route.rpcMethods) {
          for (const name of Object.keys(route.rpcMethods)) {
            if (!doc.paths[`${route.url.replace(/:method$/, '')}${name}`]?.post) missing.push(`${route.url} ${name}`);
          }
          continue;
        }
        // The docs themselves and the web UI's catch-all (pages, not an API) are not operations.
        if (['/openapi.json', '/docs', '/docs/', '/*'].includes(route.url) || route.url.startsWith('/docs/')) continue;
        if (!doc.paths[openapiPath(route.url)]?.[route.method.toLowerCase()]) missing.push(`${route.method} ${route.url}`);
      }
      assert.deepEqual(missing, []);
      for (const path of [`${API}/runs`, `${API}/runs/{id}/status`, '/api/v4/users/login', `${RPC}/IncidentsService.CreateIncident`, '/api/muster/v1/integrations']) {
        assert.ok(doc.paths[path], `${path} is documented`);
      }
      assert.deepEqual(doc.paths[`${RPC}/IncidentsService.CreateIncident`].post.tags, ['Grafana Incident RPC']);
      assert.deepEqual(doc.paths[`${API}/runs`].post.tags, ['Playbooks']);
    });

    test('GET /api/v4/system/ping answers without a token, as Mattermost does', async () => {
      const res = await h.request('GET', '/api/v4/system/ping', { token: null });
      assert.equal(res.status, 200);
      assert.equal(res.body.status, 'OK');
    });

    test('X-Request-Id: a sane one is echoed, anything else is replaced by a fresh id', async () => {
      const given = await h.request('GET', '/api/v4/system/ping', { token: null, headers: { 'x-request-id': 'trace-abc.123' } });
      assert.equal(given.headers.get('x-request-id'), 'trace-abc.123');
      const hostile = await h.request('GET', '/api/v4/system/ping', { token: null, headers: { 'x-request-id': 'a b"}<script>' } });
      assert.match(hostile.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    });

    test('/docs serves the interactive page without a token', async () => {
      const res = await h.request('GET', '/docs/', { token: null });
      assert.equal(res.status, 200, res.text.slice(0, 200));
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      assert.match(res.text, /swagger/i);
    });

    test('/metrics: request durations by route template and RPC method, and the queue gauges, moving under load', async () => {
      const scrape = async () => {
        const res = await h.request('GET', '/metrics', { token: null });
        assert.equal(res.status, 200);
        return res.text;
      };
      const count = (text: string, labels: RegExp) => {
        const line = text.split('\n').find((l) => l.startsWith('http_request_duration_seconds_count{') && labels.test(l));
        return line ? Number(line.split(' ').pop()) : 0;
      };
      const first = await scrape();
      for (let i = 0; i < 3; i++) {
        assert.equal((await h.get(`${API}/runs?per_page=1`)).status, 200);
        await h.rpcOk('IncidentsService.QueryIncidents', { query: { limit: 1 } });
      }
      await h.rpc('NoSuchService.Method', {});
      const second = await scrape();
      assert.equal(count(second, /route="\/plugins\/playbooks\/api\/v0\/runs"/) - count(first, /route="\/plugins\/playbooks\/api\/v0\/runs"/), 3);
      assert.equal(count(second, /route="rpc IncidentsService.QueryIncidents"/) - count(first, /route="rpc IncidentsService.QueryIncidents"/), 3);
      assert.ok(count(second, /route="rpc unknown"/) >= 1, 'unregistered RPC names share one series');
      for (const series of ['muster_group_commit{', 'muster_webhook_deliveries', 'process_cpu_user_seconds_total', 'muster_jobs_due']) {
        assert.ok(second.includes(series), `${series} is exported`);
      }
      if (kind === 'postgres') assert.match(second, /muster_db_pool_connections\{state="total"\} [1-9]/);
    });
  });
}

describe('/metrics with MUSTER_METRICS_TOKEN', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness('pglite', { env: { MUSTER_METRICS_TOKEN: 'scrape-secret-123' } });
  });
  after(async () => h.close());

  test('needs the bearer token', async () => {
    assert.equal((await h.request('GET', '/metrics', { token: null })).status, 401);
    assert.equal((await h.request('GET', '/metrics', { token: 'wrong-token' })).status, 401);
    assert.equal((await h.request('GET', '/metrics', { token: 'scrape-secret-123' })).status, 200);
  });
});
