import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, testDatabases, type Harness } from '../helpers/harness.ts';

// The oto-style wire (grafana-incident-api notes §1-§2): every URL form the clients build, any JSON content
// type, `{"error"}` bodies with a real status on failure, `"error": ""` on success.
const METHOD = 'IncidentsService.CreateIncident';

for (const kind of testDatabases()) {
  describe(`${kind}: RPC transport`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(kind);
    });
    after(async () => {
      await h.close();
    });

    const urls = [
      `/api/plugins/grafana-incident-app/resources/api/v1/${METHOD}`, // incident-node
      `/api/plugins/grafana-irm-app/resources/api/v1/${METHOD}`, // incident-go (current)
      `/api/plugins/grafana-irm-app/resources/api/${METHOD}`, // unversioned (gcx)
      `//api/plugins/grafana-incident-app/resources/api/v1/${METHOD}`, // node with a trailing slash on the instance URL
      `/api/plugins/grafana-irm-app/resources/api/v1${METHOD}`, // incident-go with no trailing slash on its base
    ];
    for (const url of urls) {
      test(`POST ${url} declares an incident`, async () => {
        const res = await h.post(url, { title: `via ${url}` });
        assert.equal(res.status, 200, res.text);
        assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
        assert.equal(res.body.error, '');
        assert.equal(res.body.incident.title, `via ${url}`);
      });
    }

    test('any JSON content type, or none, is accepted; Go nulls are read as absent', async () => {
      const url = `/api/plugins/grafana-irm-app/resources/api/v1/${METHOD}`;
      for (const type of ['application/json; charset=utf-8', 'text/plain', '']) {
        const headers: Record<string, string> = type ? { 'content-type': type } : {};
        const res = await h.request('POST', url, { body: JSON.stringify({ title: `typed ${type}`, labels: null, alertGroupID: null }), headers });
        assert.equal(res.status, 200, `${type}: ${res.text}`);
      }
    });

    test('errors carry a real status and {"error"}', async () => {
      const base = '/api/plugins/grafana-incident-app/resources/api/v1';
      const cases: Array<[string, string | object, number, RegExp, string | null | undefined]> = [
        ['IncidentsService.Nope', {}, 404, /unknown method/, undefined],
        [METHOD, {}, 400, /title/, undefined],
        [METHOD, { title: 5 }, 400, /title/, undefined],
        [METHOD, '{"title":', 400, /JSON/, undefined],
        [METHOD, '[1,2]', 400, /object/, undefined],
        [METHOD, { title: 'x' }, 401, /token|authoriz/i, null],
        [METHOD, { title: 'x', severity: 'apocalyptic' }, 400, /severity/, undefined],
        ['IncidentsService.GetIncident', { incidentID: 'nope' }, 404, /not found/i, undefined],
      ];
      for (const [method, body, status, pattern, token] of cases) {
        const res = await h.post(`${base}/${method}`, body, token);
        assert.equal(res.status, status, `${method} ${JSON.stringify(body)}: ${res.text}`);
        assert.deepEqual(Object.keys(res.body), ['error']);
        assert.match(res.body.error, pattern);
      }
      const huge = await h.post(`${base}/${METHOD}`, { title: 'x'.repeat(1024 * 1024 + 1) });
      assert.equal(huge.status, 413);
      assert.match(huge.body.error, /1 MiB/);
      const get = await h.get(`${base}/${METHOD}`);
      assert.equal(get.status, 404);
      assert.ok(get.body.error);
    });
  });
}
