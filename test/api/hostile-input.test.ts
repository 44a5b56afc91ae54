import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, testDatabases, type Harness } from '../helpers/harness.ts';

// Issue 9 findings 2 and 3 (NUL characters, numbers past a column, `__proto__` read as fields) and issue 16's
// bodies (JSON whatever the Content-Type): each a 4xx naming the problem, never a 500, nothing written.

const API = '/plugins/playbooks/api/v0';
const V4 = '/api/v4';
const RPC = '/api/plugins/grafana-incident-app/resources/api/v1';
const NUL = String.fromCharCode(0);

interface Sent {
  status: number;
  body: any;
}

for (const kind of testDatabases()) {
  describe(`${kind}: hostile input`, () => {
    let h: Harness;
    let runId: string;
    let playbookId: string;

    /** Sends `raw` as the body with exactly the given Content-Type (none when undefined). */
    const send = async (method: string, path: string, raw: string, contentType?: string, token: string | null = h.admin.token): Promise<Sent> => {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (contentType) headers['content-type'] = contentType;
      // A byte body: fetch adds no Content-Type of its own (a string body would be sent as text/plain).
      const res = await fetch(h.url + path, { method, headers, body: method === 'GET' ? undefined : new TextEncoder().encode(raw) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    };
    const timeline = async (id: string) => (await h.get(`${API}/runs/${id}`)).body.timeline_events.length as number;
    const runCount = async () => (await h.get(`${API}/runs?team_id=${h.teamId}&per_page=1`)).body.total_count as number;

    /** A 400 whose Playbooks-form body names `field`. */
    const refusesPlaybooks = (res: Sent, field: string, what: RegExp = /NUL/) => {
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.match(res.body.error, what);
      assert.match(res.body.error, new RegExp(`\\b${field.replace(/\./g, '\\.')}\\b`));
      assert.equal(res.body.details, `field: ${field}`);
    };
    const refusesRpc = (res: Sent, field: string) => {
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.deepEqual(Object.keys(res.body), ['error']);
      assert.match(res.body.error, new RegExp(`${field.replace(/\./g, '\\.')}: must not contain NUL characters`));
    };

    before(async () => {
      h = await startHarness(kind);
      const run = await h.post(`${API}/runs`, { name: 'Hostile', owner_user_id: h.admin.id, team_id: h.teamId });
      assert.equal(run.status, 201, run.text);
      runId = run.body.id;
      assert.equal((await h.post(`${API}/runs/${runId}/checklists/0/add`, { title: 'first' })).status, 201);
      const pb = await h.post(`${API}/playbooks`, { title: 'PB', team_id: h.teamId, checklists: [] });
      assert.equal(pb.status, 201, pb.text);
      playbookId = pb.body.id;
    });
    after(async () => {
      await h.close();
    });

    test('NUL in a Playbooks body is a 400 naming the field (nested paths too), and nothing is written', async () => {
      const runs = await runCount();
      const events = await timeline(runId);
      const cases: Array<[string, string, unknown, string]> = [
        ['POST', `${API}/runs`, { name: `a${NUL}b`, owner_user_id: h.admin.id, team_id: h.teamId }, 'name'],
        ['PATCH', `${API}/runs/${runId}`, { name: NUL }, 'name'],
        ['POST', `${API}/runs/${runId}/status`, { message: `down${NUL}` }, 'message'],
        ['POST', `${API}/runs/${runId}/checklists/0/add`, { title: NUL }, 'title'],
        ['PUT', `${API}/runs/${runId}/checklists/0/item/0`, { title: 'ok', description: NUL }, 'description'],
        ['POST', `${API}/runs/${runId}/checklists`, { checklist: { title: 'c', items: [{ title: 'i' }, { title: `x${NUL}` }] } }, 'checklist.items.1.title'],
        ['PUT', `${API}/playbooks/${playbookId}`, { title: 'PB', team_id: h.teamId, checklists: [{ title: NUL }] }, 'checklists.0.title'],
        ['POST', `${API}/runs`, { [`na${NUL}me`]: 'x', owner_user_id: h.admin.id, team_id: h.teamId }, 'body'],
      ];
      for (const [method, path, body, field] of cases) refusesPlaybooks(await send(method, path, JSON.stringify(body), 'application/json'), field);
      assert.equal(await runCount(), runs);
      assert.equal(await timeline(runId), events);
      const pb = await h.get(`${API}/playbooks/${playbookId}`);
      assert.deepEqual(pb.body.checklists, []);
    });

    test('NUL in a v4 body is a 400, unauthenticated login included', async () => {
      refusesPlaybooks(await send('POST', `${V4}/users/login`, JSON.stringify({ login_id: `admin${NUL}`, password: 'x' }), 'application/json', null), 'login_id');
      refusesPlaybooks(await send('POST', `${V4}/users/${h.admin.id}/tokens`, JSON.stringify({ description: NUL }), 'application/json'), 'description');
    });

    test('NUL in an RPC body is a 400 in the RPC form, and nothing is declared', async () => {
      const runs = await runCount();
      const events = await timeline(runId);
      const rpc = (method: string, body: unknown) => send('POST', `${RPC}/${method}`, JSON.stringify(body), 'application/json');
      refusesRpc(await rpc('IncidentsService.CreateIncident', { title: NUL }), 'title');
      refusesRpc(await rpc('IncidentsService.CreateIncident', { title: 'ok', labels: [{ label: `l${NUL}` }] }), 'labels.0.label');
      refusesRpc(await rpc('IncidentsService.AddLabel', { incidentID: runId, label: { label: NUL } }), 'label.label');
      refusesRpc(await rpc('ActivityService.AddActivity', { incidentID: runId, activityKind: 'userNote', body: NUL }), 'body');
      refusesRpc(await rpc('TasksService.AddTask', { incidentID: runId, text: NUL }), 'text');
      refusesRpc(await rpc('IncidentsService.QueryIncidents', { query: { queryString: `title:"${NUL}"` } }), 'query.queryString');
      assert.equal(await runCount(), runs);
      assert.equal(await timeline(runId), events);
    });

    test('NUL in a query or path parameter is a 400 naming it, on every facade and the incoming webhook', async () => {
      const get = (path: string) => send('GET', path, '');
      refusesPlaybooks(await get(`${API}/runs?team_id=${h.teamId}&search_term=%00`), 'search_term');
      refusesPlaybooks(await get(`${API}/playbooks?search_term=a%00`), 'search_term');
      refusesPlaybooks(await get(`${API}/runs?statuses=InProgress&statuses=%00`), 'statuses');
      refusesPlaybooks(await get(`${API}/runs/${runId.slice(0, 25)}%00`), 'id');
      refusesPlaybooks(await get(`${V4}/users?in_team=%00`), 'in_team');
      const hook = await send('POST', `${RPC}/incoming-webhooks/grafana.incident.create?title=a%00b&token=${h.admin.token}`, '{}', undefined, null);
      refusesRpc(hook, 'title');
    });

    test('numbers past what a column holds are a 400 naming the field, in queries and bodies', async () => {
      const events = await timeline(runId);
      const huge = await send('GET', `${API}/runs?team_id=${h.teamId}&started_gte=99999999999999999999999`, '');
      refusesPlaybooks(huge, 'started_gte', /must be <=/);
      const body = await send('POST', `${API}/runs/${runId}/checklists/0/add`, JSON.stringify({ title: 't', due_date: 1e300 }), 'application/json');
      refusesPlaybooks(body, 'due_date', /must be <=/);
      const reminder = await send('POST', `${API}/runs/${runId}/reminder`, JSON.stringify({ new_reminder_seconds: -1e20 }), 'application/json');
      assert.equal(reminder.status, 400, JSON.stringify(reminder.body));
      assert.equal(await timeline(runId), events);
      // `integer` (int4) columns: role ids, role sizes, severity levels.
      for (const [method, request, field] of [
        ['RolesService.ArchiveRole', { roleID: 2 ** 31 }, 'roleID'],
        ['RolesService.CreateRole', { role: { name: 'big', maxPeople: 2 ** 31 } }, 'role.maxPeople'],
        ['SeveritiesService.CreateSeverity', { displayLabel: 'big', level: -(2 ** 31) - 1 }, 'level'],
      ] as const) {
        const res = await send('POST', `${RPC}/${method}`, JSON.stringify(request), 'application/json');
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.match(res.body.error, new RegExp(`invalid field ${field.replace('.', '\\.')}: must be [<>]=`));
      }
    });

    test('__proto__ and constructor.prototype are refused, and the run is unchanged', async () => {
      for (const raw of ['{"__proto__":{"name":"renamed"}}', '{"constructor":{"prototype":{"name":"renamed"}}}', '{"x":[{"__proto__":{}}]}']) {
        refusesPlaybooks(await send('PATCH', `${API}/runs/${runId}`, raw, 'application/json'), 'body', /__proto__/);
        refusesPlaybooks(await send('PATCH', `${API}/runs/${runId}`, raw, 'text/plain;charset=UTF-8'), 'body', /__proto__/);
        const rpc = await send('POST', `${RPC}/IncidentsService.UpdateTitle`, raw, 'application/json');
        assert.equal(rpc.status, 400);
        assert.match(rpc.body.error, /__proto__/);
      }
      assert.equal((await h.get(`${API}/runs/${runId}`)).body.name, 'Hostile');
    });

    test('Playbooks bodies are JSON with no Content-Type, text/plain, or application/json with a charset', async () => {
      const runs = await runCount();
      const create = JSON.stringify({ name: 'Plain', owner_user_id: h.admin.id, team_id: h.teamId });
      assert.equal((await send('POST', `${API}/runs`, create)).status, 201);
      assert.equal((await send('POST', `${API}/runs`, create, 'text/plain;charset=UTF-8')).status, 201);
      assert.equal((await send('POST', `${API}/runs`, create, 'application/json; charset=utf-8')).status, 201);
      assert.equal(await runCount(), runs + 3);

      const status = await send('POST', `${API}/runs/${runId}/status`, JSON.stringify({ message: 'all good' }), 'text/plain;charset=UTF-8');
      assert.equal(status.status, 200, JSON.stringify(status.body));
      const check = await send('PUT', `${API}/runs/${runId}/checklists/0/item/0/state`, JSON.stringify({ new_state: 'closed' }));
      assert.equal(check.status, 200, JSON.stringify(check.body));
      const run = (await h.get(`${API}/runs/${runId}`)).body;
      assert.equal(run.checklists[0].items[0].state, 'closed');
      assert.equal(run.status_posts.length, 1);

      const pb = await send('POST', `${API}/playbooks`, JSON.stringify({ title: 'Plain PB', team_id: h.teamId }), 'text/plain;charset=UTF-8');
      assert.equal(pb.status, 201, JSON.stringify(pb.body));
      const save = await send('PUT', `${API}/playbooks/${pb.body.id}`, JSON.stringify({ title: 'Saved', team_id: h.teamId }));
      assert.equal(save.status, 200, JSON.stringify(save.body));
      assert.equal((await h.get(`${API}/playbooks/${pb.body.id}`)).body.title, 'Saved');

      const login = await send('POST', `${V4}/users/login`, JSON.stringify({ login_id: 'nobody', password: 'nope' }), 'text/plain', null);
      assert.equal(login.status, 401);
    });

    test('a body that is not JSON is a 400 naming the body; past 1 MiB is a 413; whatever the Content-Type', async () => {
      const runs = await runCount();
      for (const type of [undefined, 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded']) {
        const bad = await send('POST', `${API}/runs`, 'name=x', type);
        refusesPlaybooks(bad, 'body', /not valid JSON/);
        const big = await send('POST', `${API}/runs`, JSON.stringify({ name: 'x'.repeat(1024 * 1024) }), type);
        assert.equal(big.status, 413);
        assert.equal(big.body.details, 'field: body');
      }
      assert.equal(await runCount(), runs);
    });
  });
}
