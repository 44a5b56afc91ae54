import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { newId } from '../../src/lib/ids.ts';
import { incidentsRepo } from '../../src/store/incidents.repo.ts';
import { API, startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';


interface Received {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  form: URLSearchParams;
}

/** A slash-command endpoint on loopback: records every request and answers by path. */
async function startCommandEndpoint(host = '127.0.0.1') {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      received.push({
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
      });
      switch (url.pathname) {
        case '/json':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ response_type: 'in_channel', text: 'Deployed build 42' }));
          return;
        case '/text':
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end('pong from GET');
          return;
        case '/silent':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ text: '' }));
          return;
        case '/redirect':
          res.writeHead(302, { location: '/json' });
          res.end();
          return;
        case '/hang':
          return; // never answers: the server's outbound timeout must end the call
        case '/bad-json':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"text":');
          return;
        default:
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('boom');
      }
    });
  });
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const base = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    base,
    received,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

for (const kind of testDatabases()) {
  describe(`${kind}: checklist item run and slash commands`, () => {
    let h: Harness;
    let endpoint: Awaited<ReturnType<typeof startCommandEndpoint>>;
    let alice: TestUser;
    let outsider: TestUser;
    // Every address the server dialed (the outbound guard's spy); the endpoint's own address is allow-listed.
    const dialed: string[] = [];
    let unlisted: Awaited<ReturnType<typeof startCommandEndpoint>>;

    before(async () => {
      endpoint = await startCommandEndpoint();
      unlisted = await startCommandEndpoint('127.0.0.3');
      h = await startHarness(kind, {
        fakeClock: true,
        env: { MUSTER_OUTBOUND_ALLOWLIST: '127.0.0.1', MUSTER_WEBHOOK_TIMEOUT_MS: '300' },
        outbound: { onDial: (address) => void dialed.push(address) },
      });
      alice = await h.user('alice');
      outsider = await h.user('outsider', { team: false });
    });
    after(async () => {
      await h.close();
      await endpoint.close();
      await unlisted.close();
    });

    /** A run (owned by the admin) whose first checklist holds one item per command. */
    async function runWithCommands(...commands: string[]) {
      const created = await h.post(`${API}/runs`, { name: `Run ${newId().slice(0, 6)}`, owner_user_id: h.admin.id, team_id: h.teamId });
      assert.equal(created.status, 201);
      const run = created.body;
      const [list] = await incidentsRepo.checklists(h.ctx.db, run.id);
      const now = h.clock!.now();
      for (const [position, command] of commands.entries()) {
        await incidentsRepo.insertItem(h.ctx.db, {
          id: newId(),
          checklist_id: list!.id,
          incident_id: run.id,
          position,
          title: `Item ${position}`,
          command,
          create_at: now,
          update_at: now,
        });
      }
      return { id: run.id as string, channelId: run.channel_id as string };
    }

    const runPath = (runId: string, c: number | string, i: number | string) => `${API}/runs/${runId}/checklists/${c}/item/${i}/run`;

    async function createCommand(body: Record<string, unknown>) {
      const res = await h.post(`${API}/commands`, body);
      assert.equal(res.status, 201, res.text);
      return res.body as { id: string; token: string; trigger: string; url: string; method: string; team_id: string };
    }

    async function itemOf(runId: string, c: number, i: number) {
      const run = (await h.get(`${API}/runs/${runId}`)).body;
      return { item: run.checklists[c].items[i], events: run.timeline_events as Array<{ event_type: string; summary: string }> };
    }

    const postsIn = (channelId: string) =>
      h.ctx.db.selectFrom('posts').selectAll().where('channel_id', '=', channelId).orderBy('create_at').orderBy('id').execute();

    async function botId() {
      return (await h.ctx.db.selectFrom('users').select('id').where('username', '=', 'playbooks').executeTakeFirstOrThrow()).id;
    }

    test('an HTTP command (POST) gets the Mattermost form and token, and its reply is posted in the run channel', async () => {
      const command = await createCommand({ trigger: 'deploy', url: `${endpoint.base}/json`, description: 'Deploys' });
      assert.match(command.id, /^[a-z0-9]{26}$/);
      assert.match(command.token, /^[a-z0-9]{26}$/);
      assert.equal(command.method, 'POST');
      assert.equal(command.team_id, '');
      const run = await runWithCommands('/deploy  now please ');
      h.clock!.advance(60_000);
      const receivedBefore = endpoint.received.length;

      const res = await h.post(runPath(run.id, 0, 0), undefined, alice.token);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers.get('content-type'), 'application/json');
      assert.match(res.body.trigger_id, /^[a-z0-9]{26}$/);

      assert.equal(endpoint.received.length, receivedBefore + 1);
      const got = endpoint.received.at(-1)!;
      assert.equal(got.method, 'POST');
      assert.equal(got.path, '/json');
      assert.equal(got.headers.authorization, `Token ${command.token}`);
      assert.equal(got.headers['content-type'], 'application/x-www-form-urlencoded');
      const channel = await h.ctx.db.selectFrom('channels').selectAll().where('id', '=', run.channelId).executeTakeFirstOrThrow();
      const team = await h.ctx.db.selectFrom('teams').selectAll().where('id', '=', h.teamId).executeTakeFirstOrThrow();
      assert.deepEqual(Object.fromEntries(got.form), {
        channel_id: run.channelId,
        channel_name: channel.name,
        command: '/deploy',
        response_url: '',
        team_domain: team.name,
        team_id: h.teamId,
        text: 'now please',
        token: command.token,
        trigger_id: res.body.trigger_id,
        user_id: alice.id,
        user_name: 'alice',
      });
      assert.equal(dialed.at(-1), '127.0.0.1');

      const reply = (await postsIn(run.channelId)).find((p) => p.message === 'Deployed build 42');
      assert.ok(reply, 'the reply is posted in the run channel');
      assert.equal(reply.user_id, await botId());

      const { item, events } = await itemOf(run.id, 0, 0);
      assert.equal(item.command_last_run, h.clock!.now());
      const ran = events.filter((e) => e.event_type === 'ran_slash_command');
      assert.deepEqual(ran.map((e) => e.summary), ['ran the slash command: `/deploy  now please`']);
    });

    test('PUT works too; a GET command gets the form in its query and a plain-text reply is posted', async () => {
      await createCommand({ trigger: 'ping', url: `${endpoint.base}/text?keep=1`, method: 'GET' });
      const run = await runWithCommands('/ping hello world');
      const res = await h.put(runPath(run.id, 0, 0), undefined);
      assert.equal(res.status, 200, res.text);
      const got = endpoint.received.at(-1)!;
      assert.equal(got.method, 'GET');
      assert.equal(got.path, '/text');
      assert.equal(got.query.get('keep'), '1');
      assert.equal(got.query.get('command'), '/ping');
      assert.equal(got.query.get('text'), 'hello world');
      assert.equal(got.query.get('user_name'), h.admin.username);
      assert.equal(got.form.toString(), '');
      assert.ok((await postsIn(run.channelId)).some((p) => p.message === 'pong from GET'));
    });

    test('an empty reply posts nothing but still records the run', async () => {
      await createCommand({ trigger: 'quiet', url: `${endpoint.base}/silent` });
      const run = await runWithCommands('/quiet');
      const postsBefore = (await postsIn(run.channelId)).length;
      const res = await h.post(runPath(run.id, 0, 0));
      assert.equal(res.status, 200, res.text);
      assert.equal((await postsIn(run.channelId)).length, postsBefore);
      const { item, events } = await itemOf(run.id, 0, 0);
      assert.equal(item.command_last_run, h.clock!.now());
      assert.equal(events.filter((e) => e.event_type === 'ran_slash_command').length, 1);
    });

    test('a failing endpoint is a 502 naming the command, and nothing is recorded', async () => {
      await createCommand({ trigger: 'broken', url: `${endpoint.base}/fail` });
      await createCommand({ trigger: 'moved', url: `${endpoint.base}/redirect` });
      await createCommand({ trigger: 'garbled', url: `${endpoint.base}/bad-json` });
      await createCommand({ trigger: 'down', url: 'http://127.0.0.1:1/' });
      await createCommand({ trigger: 'slow', url: `${endpoint.base}/hang` });
      const cases: Array<[string, RegExp]> = [
        ['/broken', /"\/broken".*HTTP 500/],
        ['/moved', /"\/moved".*HTTP 302/],
        ['/garbled', /"\/garbled".*invalid JSON/],
        ['/down', /"\/down"/],
        ['/slow', /"\/slow".*timeout.*within 0.3 s/],
      ];
      const run = await runWithCommands(...cases.map(([command]) => command));
      const postsBefore = (await postsIn(run.channelId)).length;
      const redirectTargetHits = endpoint.received.filter((r) => r.path === '/json').length;
      for (const [i, [command, pattern]] of cases.entries()) {
        const res = await h.post(runPath(run.id, 0, i));
        assert.equal(res.status, 502, `${command}: ${res.text}`);
        assert.match(res.body.error, pattern);
      }
      assert.equal(endpoint.received.filter((r) => r.path === '/json').length, redirectTargetHits, 'redirects are not followed');
      const afterRun = (await h.get(`${API}/runs/${run.id}`)).body;
      assert.deepEqual(afterRun.checklists[0].items.map((i: any) => i.command_last_run), [0, 0, 0, 0, 0]);
      assert.equal(afterRun.timeline_events.filter((e: any) => e.event_type === 'ran_slash_command').length, 0);
      assert.equal((await postsIn(run.channelId)).length, postsBefore);
    });

    test('a non-admin running an item cannot make the server dial a loopback address that is not allow-listed', async () => {
      const port = new URL(unlisted.base).port;
      const targets = [unlisted.base, `http://[::1]:${port}`, `http://[::ffff:127.0.0.3]:${port}`, `http://2130706435:${port}`, `http://0.0.0.0:${port}`];
      for (const [i, url] of targets.entries()) await createCommand({ trigger: `internal${i}`, url: `${url}/json` });
      const run = await runWithCommands(...targets.map((_, i) => `/internal${i}`));
      const dialedBefore = dialed.length;
      for (const [i, url] of targets.entries()) {
        const res = await h.post(runPath(run.id, 0, i), undefined, alice.token);
        assert.equal(res.status, 502, `${url}: ${res.text}`);
        assert.match(res.body.error, /ssrf_refused/, url);
      }
      assert.equal(dialed.length, dialedBefore, 'nothing was dialed');
      assert.equal(unlisted.connections(), 0, 'the unlisted endpoint saw no connection');
    });

    test('an unknown or empty command is a 400 naming it, and nothing is recorded', async () => {
      const run = await runWithCommands('/foo bar', '', 'no slash', '/playbook frobnicate', '/playbook check x', '/echo', '/playbook owner @nobody');
      const cases: Array<[number, RegExp]> = [
        [0, /unknown command "\/foo"/],
        [1, /no command/],
        [2, /"no slash".*must start with "\/"/],
        [3, /\/playbook frobnicate.*unknown subcommand "frobnicate"/],
        [4, /\/playbook check x/],
        [5, /\/echo needs a message/],
        [6, /unknown user @nobody/],
      ];
      for (const [i, pattern] of cases) {
        const res = await h.post(runPath(run.id, 0, i));
        assert.equal(res.status, 400, `item ${i}: ${res.text}`);
        assert.match(res.body.error, pattern);
        assert.match(res.body.details, /command/);
      }
      const afterRun = (await h.get(`${API}/runs/${run.id}`)).body;
      assert.ok(afterRun.checklists[0].items.every((i: any) => i.command_last_run === 0));
      assert.equal(afterRun.timeline_events.filter((e: any) => e.event_type === 'ran_slash_command').length, 0);
    });

    test('bad paths, no token, no permission', async () => {
      const run = await runWithCommands('/echo hi');
      const unknownRun = await h.post(runPath('a'.repeat(26), 0, 0));
      assert.equal(unknownRun.status, 404);
      assert.equal(unknownRun.body.error, 'Not found');
      const noChecklist = await h.post(runPath(run.id, 5, 0));
      assert.equal(noChecklist.status, 400);
      assert.match(noChecklist.body.error, /no checklist 5/);
      assert.equal(noChecklist.body.details, 'field: checklist');
      const noItem = await h.post(runPath(run.id, 0, 9));
      assert.equal(noItem.status, 400);
      assert.match(noItem.body.error, /no item 9/);
      assert.equal(noItem.body.details, 'field: item');
      const badIndex = await h.post(runPath(run.id, 'x', 0));
      assert.equal(badIndex.status, 400);
      assert.match(badIndex.body.error, /checklist/);
      const badId = await h.post(runPath('short', 0, 0));
      assert.equal(badId.status, 400);
      assert.match(badId.body.error, /id/);
      assert.equal((await h.post(runPath(run.id, 0, 0), undefined, null)).status, 401);
      const forbidden = await h.post(runPath(run.id, 0, 0), undefined, outsider.token);
      assert.equal(forbidden.status, 403);
      const { item } = await itemOf(run.id, 0, 0);
      assert.equal(item.command_last_run, 0);
    });

    test('a team command wins over a global one with the same trigger', async () => {
      await createCommand({ trigger: 'scoped', url: `${endpoint.base}/fail` });
      await createCommand({ trigger: 'scoped', url: `${endpoint.base}/json`, team_id: h.teamId });
      const run = await runWithCommands('/scoped');
      const res = await h.post(runPath(run.id, 0, 0));
      assert.equal(res.status, 200, res.text);
      assert.equal(endpoint.received.at(-1)!.path, '/json');
    });

    test('built-in /echo posts the text in the run channel as the caller', async () => {
      const run = await runWithCommands('/echo hello   there');
      const res = await h.post(runPath(run.id, 0, 0), undefined, alice.token);
      assert.equal(res.status, 200, res.text);
      assert.match(res.body.trigger_id, /^[a-z0-9]{26}$/);
      const echoed = (await postsIn(run.channelId)).find((p) => p.message === 'hello   there');
      assert.ok(echoed);
      assert.equal(echoed.user_id, alice.id);
      const { item, events } = await itemOf(run.id, 0, 0);
      assert.equal(item.command_last_run, h.clock!.now());
      assert.equal(events.at(-1)!.event_type, 'ran_slash_command');
      assert.equal(events.at(-1)!.summary, 'ran the slash command: `/echo hello   there`');
    });

    test('built-in /playbook check toggles an item of this run', async () => {
      const run = await runWithCommands('/playbook check 0 1', 'no command here');
      const first = await h.post(runPath(run.id, 0, 0));
      assert.equal(first.status, 200, first.text);
      assert.equal((await itemOf(run.id, 0, 1)).item.state, 'closed');
      const second = await h.post(runPath(run.id, 0, 0));
      assert.equal(second.status, 200, second.text);
      const { item, events } = await itemOf(run.id, 0, 1);
      assert.equal(item.state, '');
      assert.equal(events.filter((e) => e.event_type === 'ran_slash_command').length, 2);
      const missing = await runWithCommands('/playbook check 3 3');
      const res = await h.post(runPath(missing.id, 0, 0));
      assert.equal(res.status, 400);
      assert.match(res.body.error, /no checklist item 3 3/);
    });

    test('built-in /playbook update posts a status update', async () => {
      const run = await runWithCommands('/playbook update All systems\nnominal');
      const res = await h.post(runPath(run.id, 0, 0));
      assert.equal(res.status, 200, res.text);
      const got = (await h.get(`${API}/runs/${run.id}`)).body;
      assert.equal(got.status_posts.length, 1);
      const post = await h.ctx.db.selectFrom('posts').selectAll().where('id', '=', got.status_posts[0].id).executeTakeFirstOrThrow();
      assert.match(post.message, /All systems\nnominal/);
      assert.ok(got.timeline_events.some((e: any) => e.event_type === 'status_updated'));
    });

    test('built-in /playbook owner changes the owner', async () => {
      const run = await runWithCommands('/playbook owner @alice');
      const res = await h.post(runPath(run.id, 0, 0));
      assert.equal(res.status, 200, res.text);
      const got = (await h.get(`${API}/runs/${run.id}`)).body;
      assert.equal(got.owner_user_id, alice.id);
      assert.ok(got.timeline_events.some((e: any) => e.event_type === 'owner_changed'));
    });

    test('built-in /playbook finish finishes the run', async () => {
      const run = await runWithCommands('/playbook finish');
      const res = await h.post(runPath(run.id, 0, 0));
      assert.equal(res.status, 200, res.text);
      const got = (await h.get(`${API}/runs/${run.id}`)).body;
      assert.equal(got.current_status, 'Finished');
      assert.deepEqual(
        got.timeline_events.filter((e: any) => ['run_finished', 'ran_slash_command'].includes(e.event_type)).map((e: any) => e.event_type),
        ['run_finished', 'ran_slash_command'],
      );
    });

    test('admin API: validation, permissions, listing and deletion', async () => {
      const cases: Array<[Record<string, unknown>, number, RegExp]> = [
        [{ trigger: '/slash', url: `${endpoint.base}/json` }, 400, /trigger.*leading "\/"/],
        [{ trigger: 'Bad Trigger', url: `${endpoint.base}/json` }, 400, /trigger/],
        [{ trigger: 'x'.repeat(65), url: `${endpoint.base}/json` }, 400, /trigger/],
        [{ trigger: 'playbook', url: `${endpoint.base}/json` }, 400, /trigger.*built-in/],
        [{ trigger: 'echo', url: `${endpoint.base}/json` }, 400, /trigger.*built-in/],
        [{ trigger: 'ok', url: 'ftp://example.com/x' }, 400, /url/],
        [{ trigger: 'ok', url: '/relative' }, 400, /url/],
        [{ trigger: 'ok', url: `${endpoint.base}/json`, method: 'PUT' }, 400, /method/],
        [{ trigger: 'ok', url: `${endpoint.base}/json`, team_id: 'short' }, 400, /team_id/],
        [{ trigger: 'ok' }, 400, /url/],
        [{ trigger: 'ok', url: `${endpoint.base}/json`, team_id: 'a'.repeat(26) }, 404, /team/],
        [{ trigger: 'deploy', url: `${endpoint.base}/json` }, 409, /deploy/],
      ];
      for (const [body, status, pattern] of cases) {
        const res = await h.post(`${API}/commands`, body);
        assert.equal(res.status, status, `${JSON.stringify(body)}: ${res.text}`);
        assert.match(res.body.error, pattern);
      }
      assert.equal((await h.post(`${API}/commands`, { trigger: 'mine', url: `${endpoint.base}/json` }, alice.token)).status, 403);
      assert.equal((await h.post(`${API}/commands`, { trigger: 'mine', url: `${endpoint.base}/json` }, null)).status, 401);
      assert.equal((await h.get(`${API}/commands`, alice.token)).status, 403);

      const created = await createCommand({ trigger: 'gone', url: `${endpoint.base}/json`, team_id: h.teamId });
      const list = await h.get(`${API}/commands`);
      assert.equal(list.status, 200);
      const listed = list.body.find((c: any) => c.id === created.id);
      assert.deepEqual(
        { id: listed.id, token: listed.token, trigger: listed.trigger, url: listed.url, method: listed.method, team_id: listed.team_id },
        { id: created.id, token: created.token, trigger: 'gone', url: `${endpoint.base}/json`, method: 'POST', team_id: h.teamId },
      );
      const teamOnly = await h.get(`${API}/commands?team_id=${h.teamId}`);
      assert.ok(teamOnly.body.every((c: any) => c.team_id === h.teamId));

      const run = await runWithCommands('/gone');
      assert.equal((await h.delete(`${API}/commands/${created.id}`, alice.token)).status, 403);
      const deleted = await h.delete(`${API}/commands/${created.id}`);
      assert.equal(deleted.status, 204);
      assert.equal((await h.delete(`${API}/commands/${created.id}`)).status, 404);
      const res = await h.post(runPath(run.id, 0, 0));
      assert.equal(res.status, 400);
      assert.match(res.body.error, /unknown command "\/gone"/);
    });
  });
}
