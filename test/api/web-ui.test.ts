import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, testDatabases, type Harness } from '../helpers/harness.ts';
import { ensureWebBuilt } from '../helpers/web-build.ts';

const RPC = '/api/plugins/grafana-incident-app/resources/api/v1';

for (const kind of testDatabases()) {
  describe(`${kind}: the web UI is served beside the APIs`, () => {
    let h: Harness;
    before(async () => {
      ensureWebBuilt(); // before the server starts: it serves web/dist only if it exists then
      h = await startHarness(kind, { env: { MUSTER_ADMIN_PASSWORD: 'admin-password-for-ui' } });
    });
    after(async () => {
      await h.close();
    });

    test('the page at / and at client routes, with a strict CSP; API prefixes keep their own 404', async () => {
      for (const path of ['/', '/incidents', '/incidents/abc?tl=task']) {
        const res = await h.get(path, null);
        assert.equal(res.status, 200, path);
        assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
        assert.match(res.text, /<div id="root">/);
        assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
      }
      for (const path of ['/api/nope', '/plugins/nope', '/api/v4/nope', '/assets/missing.js', '/docs/nope.js']) {
        const res = await h.get(path, null);
        assert.equal(res.status, 404, path);
        assert.match(res.headers.get('content-type') ?? '', /json/, path);
      }
      assert.equal((await h.get('/healthz', null)).status, 200);
      assert.equal((await h.get('/plugins/playbooks/api/v0/runs', null)).status, 401);
      const asset = /src="(\/assets\/[^"]+\.js)"/.exec((await h.get('/', null)).text)?.[1];
      assert.ok(asset);
      const js = await h.get(asset, null);
      assert.equal(js.status, 200);
      assert.match(js.headers.get('cache-control') ?? '', /immutable/);
    });

    test('a cookie session must send X-Requested-With on unsafe requests (CSRF); bearer tokens need nothing', async () => {
      const login = await h.post('/api/v4/users/login', { login_id: 'admin', password: 'admin-password-for-ui' }, null);
      assert.equal(login.status, 200, login.text);
      const setCookie = login.headers.get('set-cookie') ?? '';
      assert.match(setCookie, /HttpOnly/);
      assert.match(setCookie, /SameSite=Lax/);
      const cookie = setCookie.split(';')[0]!;
      const body = { title: 'from a cookie' };
      const forged = await h.request('POST', `${RPC}/IncidentsService.CreateIncident`, { token: null, body, headers: { cookie } });
      assert.equal(forged.status, 401, forged.text);
      const ok = await h.request('POST', `${RPC}/IncidentsService.CreateIncident`, {
        token: null,
        body,
        headers: { cookie, 'x-requested-with': 'XMLHttpRequest' },
      });
      assert.equal(ok.status, 200, ok.text);
      assert.equal((await h.request('GET', '/api/v4/users/me', { token: null, headers: { cookie } })).status, 200);
      assert.equal((await h.post(`${RPC}/IncidentsService.CreateIncident`, body)).status, 200);

      // Sign-out ends the session: the same cookie is refused afterwards.
      const out = await h.request('POST', '/api/v4/users/logout', { token: null, headers: { cookie, 'x-requested-with': 'XMLHttpRequest' } });
      assert.equal(out.status, 200);
      assert.equal((await h.request('GET', '/api/v4/users/me', { token: null, headers: { cookie } })).status, 401);
    });
  });
}
