import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { RPC, startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';

const PLAYBOOKS = '/plugins/playbooks/api/v0';
const HOOK = '/api/plugins/grafana-incident-app/resources/api/v1/incoming-webhooks/grafana.incident.create';
const ALL_EVENTS = [
  'grafana.incident.created',
  'grafana.incident.updated.role',
  'grafana.incident.updated.status',
  'grafana.incident.updated.title',
  'grafana.incident.updated.severity',
  'grafana.incident.added.label',
  'grafana.incident.removed.label',
  'grafana.incident.closed',
];

for (const kind of testDatabases()) {
  describe(`${kind}: Grafana Incident webhooks`, () => {
    let h: Harness;
    let member: TestUser;
    const call = (method: string, body: unknown, token?: string | null) => h.request('POST', `${RPC}/${method}`, { body, token });

    before(async () => {
      h = await startHarness(kind, { fakeClock: true });
      member = await h.user('hookmember');
    });
    after(async () => {
      await h.close();
    });

    async function deliveries(incidentId: string) {
      return h.ctx.db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('incident_id', '=', incidentId)
        .where('source', '=', 'incident')
        .orderBy('create_at')
        .orderBy('event')
        .execute();
    }
    /** The events delivered to `url` for the incident, in order of creation. */
    async function eventsTo(incidentId: string, url: string) {
      return (await deliveries(incidentId)).filter((d) => d.url === url).map((d) => d.event);
    }
    async function subscribe(url: string, events?: string[]) {
      const res = await call('WebhooksService.CreateOutgoingWebhook', events ? { url, events } : { url });
      assert.equal(res.status, 200, res.text);
      return res.body.webhook as { id: string; url: string; events: string[]; secret: string };
    }
    async function unsubscribeAll() {
      for (const w of (await call('WebhooksService.ListOutgoingWebhooks', {})).body.webhooks) {
        await call('WebhooksService.DeleteOutgoingWebhook', { id: w.id });
      }
    }

    describe('WebhooksService (admin API)', () => {
      beforeEach(unsubscribeAll);

      test('CreateOutgoingWebhook shows the secret once; List hides it; Delete removes', async () => {
        const all = await subscribe('https://hooks.example.com/grafana');
        assert.match(all.id, /^[a-z0-9]{26}$/);
        assert.equal(all.url, 'https://hooks.example.com/grafana');
        assert.deepEqual(all.events, ALL_EVENTS, 'no events means every event');
        assert.ok(all.secret.length >= 32);
        const some = await subscribe('http://127.0.0.1:9/closed', ['grafana.incident.closed', 'grafana.incident.closed']);
        assert.deepEqual(some.events, ['grafana.incident.closed']);
        assert.notEqual(some.secret, all.secret);

        const list = await call('WebhooksService.ListOutgoingWebhooks', {});
        assert.equal(list.status, 200);
        assert.deepEqual(list.body.webhooks.map((w: any) => w.id).sort(), [all.id, some.id].sort(), 'same create time: ordered by id');
        for (const w of list.body.webhooks) {
          assert.equal('secret' in w, false);
          assert.equal(w.enabled, true);
          assert.match(w.createdTime, /^\d{4}-\d{2}-\d{2}T/);
        }

        const deleted = await call('WebhooksService.DeleteOutgoingWebhook', { id: some.id });
        assert.equal(deleted.status, 200);
        assert.deepEqual(deleted.body, { error: '' });
        assert.deepEqual((await call('WebhooksService.ListOutgoingWebhooks', {})).body.webhooks.map((w: any) => w.id), [all.id]);
        const again = await call('WebhooksService.DeleteOutgoingWebhook', { id: some.id });
        assert.equal(again.status, 404);
      });

      test('bad input is a 400 naming the field; non-admins get 403; no token 401', async () => {
        const cases: Array<[unknown, RegExp]> = [
          [{}, /url/],
          [{ url: '/relative/path' }, /url/],
          [{ url: 'ftp://example.com/x' }, /url/],
          [{ url: 'not a url' }, /url/],
          [{ url: 42 }, /url/],
          [{ url: 'https://example.com', events: ['grafana.incident.exploded'] }, /events\.0/],
          [{ url: 'https://example.com', events: 'grafana.incident.closed' }, /events/],
        ];
        for (const [body, pattern] of cases) {
          const res = await call('WebhooksService.CreateOutgoingWebhook', body);
          assert.equal(res.status, 400, JSON.stringify(body));
          assert.match(res.body.error, pattern);
        }
        assert.deepEqual((await call('WebhooksService.ListOutgoingWebhooks', {})).body.webhooks, []);
        assert.equal((await call('WebhooksService.DeleteOutgoingWebhook', {})).status, 400);

        const hook = await subscribe('https://example.com/h');
        for (const [method, body] of [
          ['WebhooksService.CreateOutgoingWebhook', { url: 'https://example.com/x' }],
          ['WebhooksService.ListOutgoingWebhooks', {}],
          ['WebhooksService.DeleteOutgoingWebhook', { id: hook.id }],
        ] as const) {
          assert.equal((await call(method, body, member.token)).status, 403, method);
          assert.equal((await call(method, body, null)).status, 401, method);
        }
        assert.equal((await call('WebhooksService.ListOutgoingWebhooks', {})).body.webhooks.length, 1);
      });
    });

    describe('outgoing deliveries', () => {
      let everything: { id: string; url: string; secret: string };
      let closedOnly: { id: string; url: string; secret: string };
      before(async () => {
        await unsubscribeAll();
        everything = await subscribe('https://receiver.example.com/all');
        closedOnly = await subscribe('https://receiver.example.com/closed', ['grafana.incident.closed']);
      });

      /**
       * Checks the envelope of a recorded delivery and that it belongs to the subscription. Signatures are made
       * at send time (test/api/webhook-delivery.test.ts verifies them at a real receiver).
       */
      function checkDelivery(d: Awaited<ReturnType<typeof deliveries>>[number], subscription: { id: string }, incidentId: string) {
        assert.equal(typeof d.payload, 'string', 'the body is stored as the exact signed text');
        const body = d.payload as string;
        const payload = JSON.parse(body);
        assert.deepEqual(Object.keys(payload), ['version', 'id', 'source', 'time', 'event', 'incident']);
        assert.equal(payload.version, 'v1.0.0');
        assert.match(payload.id, /^webhook-out-[a-z0-9]{26}$/);
        assert.equal(payload.source, '/grafana/incident');
        assert.equal(payload.time, new Date(h.clock!.now()).toISOString().replace('.000Z', 'Z'));
        assert.equal(payload.event, d.event);
        assert.equal(payload.incident.incidentID, incidentId);
        assert.ok(Array.isArray(payload.incident.labels) && Array.isArray(payload.incident.roles));
        assert.equal(typeof payload.incident.taskList, 'object');
        assert.equal(d.headers['Content-Type'], 'application/json');
        assert.equal(d.headers['GI-Signature'], undefined, 'signed at send time, not stored');
        assert.equal(d.subscription_id, subscription.id);
        assert.equal(d.status, 'pending');
        return payload;
      }

      test('every documented event is recorded for changes made through the RPC API', async () => {
        const created = await call('IncidentsService.CreateIncident', { title: 'Webhooks via RPC' });
        const id = created.body.incident.incidentID;
        const [first] = await deliveries(id);
        assert.equal(first!.event, 'grafana.incident.created');
        const payload = checkDelivery(first!, everything, id);
        assert.equal(payload.incident.title, 'Webhooks via RPC');
        assert.equal(payload.incident.status, 'active');

        const steps: Array<[string, Record<string, unknown>, string[]]> = [
          ['IncidentsService.UpdateTitle', { title: 'Webhooks via RPC, renamed' }, ['grafana.incident.updated.title']],
          ['IncidentsService.UpdateSeverity', { severity: 'major' }, ['grafana.incident.updated.severity']],
          ['IncidentsService.AddLabel', { label: { label: 'db' } }, ['grafana.incident.added.label']],
          ['IncidentsService.RemoveLabel', { label: 'db' }, ['grafana.incident.removed.label']],
          ['IncidentsService.AssignRole', { userID: member.id, role: 'investigator' }, ['grafana.incident.updated.role']],
          ['IncidentsService.AssignRole', { userID: h.admin.id, role: 'commander' }, ['grafana.incident.updated.role']],
          ['IncidentsService.UnassignRole', { userID: member.id, role: 'investigator' }, ['grafana.incident.updated.role']],
          ['IncidentsService.UpdateStatus', { status: 'resolved' }, ['grafana.incident.closed', 'grafana.incident.updated.status']],
          ['IncidentsService.UpdateStatus', { status: 'active' }, ['grafana.incident.updated.status']],
        ];
        for (const [method, body, expected] of steps) {
          h.clock!.advance(1000);
          const seen = (await deliveries(id)).length;
          const res = await call(method, { incidentID: id, ...body });
          assert.equal(res.status, 200, `${method}: ${res.text}`);
          const added = (await deliveries(id)).slice(seen);
          const toAll = added.filter((d) => d.url === everything.url);
          assert.deepEqual(toAll.map((d) => d.event).sort(), expected, method);
          for (const d of toAll) checkDelivery(d, everything, id);
          const toClosed = added.filter((d) => d.url === closedOnly.url);
          assert.deepEqual(toClosed.map((d) => d.event), expected.includes('grafana.incident.closed') ? ['grafana.incident.closed'] : [], method);
          for (const d of toClosed) checkDelivery(d, closedOnly, id);
        }
        // The payload is the incident after the change.
        const closed = (await deliveries(id)).find((d) => d.event === 'grafana.incident.closed')!;
        const closedPayload = JSON.parse(closed.payload as string);
        assert.equal(closedPayload.incident.status, 'resolved');
        assert.equal(closedPayload.incident.severity, 'major');
        assert.equal(closedPayload.incident.title, 'Webhooks via RPC, renamed');
      });

      test('changes made through the Playbooks API are recorded too (finish → updated.status and closed)', async () => {
        const run = await h.post(`${PLAYBOOKS}/runs`, { name: 'Webhooks via Playbooks', owner_user_id: h.admin.id, team_id: h.teamId });
        assert.equal(run.status, 201, run.text);
        const id = run.body.id;
        assert.deepEqual(await eventsTo(id, everything.url), ['grafana.incident.created']);

        h.clock!.advance(1000);
        assert.equal((await h.put(`${PLAYBOOKS}/runs/${id}/finish`)).status, 200);
        const finished = (await deliveries(id)).filter((d) => d.create_at === h.clock!.now());
        assert.deepEqual(finished.filter((d) => d.url === everything.url).map((d) => d.event).sort(), ['grafana.incident.closed', 'grafana.incident.updated.status']);
        for (const d of finished) {
          const payload = checkDelivery(d, d.url === everything.url ? everything : closedOnly, id);
          assert.equal(payload.incident.status, 'resolved');
          assert.equal(payload.incident.title, 'Webhooks via Playbooks');
        }
        assert.deepEqual(await eventsTo(id, closedOnly.url), ['grafana.incident.closed']);

        h.clock!.advance(1000);
        assert.equal((await h.put(`${PLAYBOOKS}/runs/${id}/restore`)).status, 200);
        h.clock!.advance(1000);
        assert.equal((await h.patch(`${PLAYBOOKS}/runs/${id}`, { name: 'Renamed in Playbooks' })).status, 200);
        h.clock!.advance(1000);
        assert.equal((await h.post(`${PLAYBOOKS}/runs/${id}/owner`, { owner_id: member.id })).status, 200);
        assert.deepEqual((await eventsTo(id, everything.url)).slice(3), [
          'grafana.incident.updated.status',
          'grafana.incident.updated.title',
          'grafana.incident.updated.role',
        ]);
        const last = (await deliveries(id)).at(-1)!;
        const payload = checkDelivery(last, everything, id);
        assert.equal(payload.incident.title, 'Renamed in Playbooks');
        assert.equal(payload.incident.roles.find((r: any) => r.role === 'commander').user.userID, `grafana-incident:${member.id}`);
      });

      test('unmapped changes, failed changes and no-ops record nothing', async () => {
        const id = (await call('IncidentsService.CreateIncident', { title: 'Quiet' })).body.incident.incidentID;
        const count = (await deliveries(id)).length;
        // A status update, a drill flag, a checklist edit: no documented event.
        assert.equal((await h.post(`${PLAYBOOKS}/runs/${id}/status`, { message: 'all fine', reminder: 600 })).status, 200);
        assert.equal((await call('IncidentsService.UpdateIncidentIsDrill', { incidentID: id, isDrill: true })).status, 200);
        // Refused: nothing happened, nothing recorded.
        assert.equal((await call('IncidentsService.UpdateTitle', { incidentID: id, title: '   ' })).status, 400);
        assert.equal((await call('IncidentsService.RemoveLabel', { incidentID: id, label: 'never-there' })).status, 404);
        // No change: same severity again.
        assert.equal((await call('IncidentsService.UpdateSeverity', { incidentID: id, severity: 'pending' })).status, 200);
        assert.equal((await deliveries(id)).length, count);
      });

      test('a resolved declaration raises created, updated.status and closed; disabled or deleted subscriptions get nothing', async () => {
        const id = (await call('IncidentsService.CreateIncident', { title: 'Retrospective', status: 'resolved' })).body.incident.incidentID;
        assert.deepEqual((await eventsTo(id, everything.url)).sort(), ['grafana.incident.closed', 'grafana.incident.created', 'grafana.incident.updated.status']);
        assert.deepEqual(await eventsTo(id, closedOnly.url), ['grafana.incident.closed']);

        await h.ctx.db.updateTable('webhook_subscriptions').set({ enabled: false }).where('url', '=', closedOnly.url).execute();
        await unsubscribeAll();
        await subscribe(closedOnly.url, ['grafana.incident.updated.title']);
        await h.ctx.db.updateTable('webhook_subscriptions').set({ enabled: false }).where('url', '=', closedOnly.url).execute();
        const quiet = (await call('IncidentsService.CreateIncident', { title: 'Unheard' })).body.incident.incidentID;
        await call('IncidentsService.UpdateTitle', { incidentID: quiet, title: 'Still unheard' });
        assert.deepEqual(await deliveries(quiet), []);
      });
    });

    describe('incoming webhook', () => {
      const hookUrl = (params: Record<string, string>, path = HOOK) => `${path}?${new URLSearchParams(params)}`;
      const fire = (params: Record<string, string>, body?: unknown, opts: { token?: string | null; path?: string; headers?: Record<string, string> } = {}) =>
        h.request('POST', hookUrl(params, opts.path), { body, token: opts.token, headers: opts.headers });

      async function incidentByTitle(title: string) {
        return h.ctx.db.selectFrom('incidents').selectAll().where('name', '=', title).executeTakeFirstOrThrow();
      }
      async function notes(incidentId: string) {
        return h.ctx.db
          .selectFrom('timeline_events')
          .selectAll()
          .where('incident_id', '=', incidentId)
          .where('event_type', 'in', ['user_note', 'context_attached'])
          .orderBy('seq')
          .execute();
      }

      test('declares an incident from every parameter and attaches the JSON body', async () => {
        await unsubscribeAll();
        const watcher = await subscribe('https://receiver.example.com/incoming');
        const body = { alert: 'CPU high', values: [1, 2, 3], nested: { host: 'db-1' } };
        const res = await fire(
          {
            title: 'CPU on fire',
            severity: 'critical',
            status: 'active',
            drill: 'true',
            labels: 'cpu, db ,cpu,,',
            roomprefix: 'inc',
            url: 'https://grafana.example.com/d/abc',
            caption: 'Dashboard',
            includes: 'incident',
          },
          body,
        );
        assert.equal(res.status, 200, res.text);
        assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
        assert.deepEqual(res.body.processingErrors, []);
        const incident = res.body.incident;
        assert.equal(incident.title, 'CPU on fire');
        assert.equal(incident.severity, 'critical');
        assert.equal(incident.severityID, 'critical');
        assert.equal(incident.status, 'active');
        assert.equal(incident.isDrill, true);
        assert.deepEqual(incident.labels.map((l: any) => l.label).sort(), ['cpu', 'db']);
        assert.equal(incident.createdByUser.userID, `grafana-incident:${h.admin.id}`);
        assert.equal(incident.taskList.tasks.length, 3, 'the Grafana system tasks of an RPC incident');

        const row = await incidentByTitle('CPU on fire');
        assert.equal(row.origin, 'rpc');
        const channel = await h.ctx.db.selectFrom('channels').select('name').where('id', '=', row.channel_id).executeTakeFirstOrThrow();
        assert.match(channel.name, /^inc-cpu-on-fire/);
        const [link, note] = await notes(row.id);
        assert.equal(link!.url, 'https://grafana.example.com/d/abc');
        assert.equal(link!.summary, 'Dashboard');
        assert.equal(note!.summary, JSON.stringify(body, null, 2));
        // The note is visible through the Playbooks API as well.
        const run = await h.get(`${PLAYBOOKS}/runs/${row.id}`);
        assert.ok(run.body.timeline_events.some((e: any) => e.summary === JSON.stringify(body, null, 2)));
        // And it raised the outgoing created webhook.
        assert.deepEqual(await eventsTo(row.id, watcher.url), ['grafana.incident.created']);
      });

      test('minimal call: token in ?token=, no includes → no incident in the answer; defaults apply', async () => {
        const res = await fire({ title: 'Token in query', token: member.token }, undefined, { token: null });
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(res.body, { processingErrors: [] });
        const row = await incidentByTitle('Token in query');
        assert.equal(row.severity, 'pending');
        assert.equal(row.status, 'active');
        assert.equal(row.is_drill, false);
        assert.equal(row.reporter_user_id, member.id);
        assert.deepEqual(await notes(row.id), [], 'no body, no note');
      });

      test('status=resolved declares a resolved incident; the include spelling works too', async () => {
        const res = await fire({ title: 'Already over', status: 'resolved', include: 'incident' });
        assert.equal(res.status, 200);
        assert.equal(res.body.incident.status, 'resolved');
        assert.notEqual(res.body.incident.closedTime, '');
      });

      test('non-fatal problems are listed in processingErrors and the incident is still declared', async () => {
        const res = await fire(
          {
            title: 'Odd parameters',
            severity: 'apocalyptic',
            status: 'exploding',
            drill: 'maybe',
            labels: `ok,${'x'.repeat(129)}`,
            url: 'javascript:alert(1)',
            includes: 'incident,everything',
          },
          'this is not json',
          { headers: { 'content-type': 'text/plain' } },
        );
        assert.equal(res.status, 200, res.text);
        const problems: string[] = res.body.processingErrors;
        assert.equal(problems.length, 7, problems.join('\n'));
        assert.ok(problems.some((p) => /severity "apocalyptic".*pending/.test(p)));
        assert.ok(problems.some((p) => /status "exploding"/.test(p)));
        assert.ok(problems.some((p) => /drill/.test(p)));
        assert.ok(problems.some((p) => /label .*128/.test(p)));
        assert.ok(problems.some((p) => /url/.test(p)));
        assert.ok(problems.some((p) => /includes value "everything"/.test(p)));
        assert.ok(problems.some((p) => /not valid JSON/.test(p)));
        const incident = res.body.incident;
        assert.equal(incident.severity, 'pending');
        assert.equal(incident.status, 'active');
        assert.equal(incident.isDrill, false);
        assert.deepEqual(incident.labels.map((l: any) => l.label), ['ok']);
        const [note] = await notes(incident.incidentID);
        assert.equal(note!.summary, 'this is not json');
        assert.equal(note!.url, '', 'the bad url was not attached');

        const caption = await fire({ title: 'Caption only', caption: 'lonely', includes: 'incident' });
        assert.deepEqual(caption.body.processingErrors, ['caption was given without url: nothing was attached']);

        // NUL cannot be stored: escaped in JSON it stays escaped; raw in text it is replaced.
        const jsonNul = await fire({ title: 'JSON NUL', includes: 'incident' }, '{"a":"x\\u0000y"}');
        assert.deepEqual(jsonNul.body.processingErrors, []);
        assert.equal((await notes(jsonNul.body.incident.incidentID))[0]!.summary, '{\n  "a": "x\\u0000y"\n}');
        const textNul = await fire({ title: 'Text NUL', includes: 'incident' }, 'a\u0000b', { headers: { 'content-type': 'text/plain' } });
        assert.equal(textNul.status, 200);
        assert.equal((await notes(textNul.body.incident.incidentID))[0]!.summary, 'a\uFFFDb');
      });

      test('a custom or archived severity: used when usable, else pending with a processing error', async () => {
        const sev = (await call('SeveritiesService.CreateSeverity', { displayLabel: 'hook-sev', level: 2 })).body.severity;
        const used = await fire({ title: 'Custom via hook', severity: sev.severityID, includes: 'incident' });
        assert.equal(used.body.incident.severity, 'hook-sev');
        assert.equal(used.body.incident.severityID, sev.severityID);
        await call('SeveritiesService.ArchiveSeverity', { severityID: sev.severityID });
        const archived = await fire({ title: 'Archived via hook', severity: 'hook-sev', includes: 'incident' });
        assert.equal(archived.body.incident.severity, 'pending');
        assert.equal(archived.body.processingErrors.length, 1);
      });

      test('a large body is attached truncated to 64 KiB; over 1 MiB is a 413', async () => {
        const big = { data: 'y'.repeat(100_000) };
        const res = await fire({ title: 'Big body' }, big);
        assert.equal(res.status, 200);
        assert.equal(res.body.processingErrors.length, 1);
        assert.match(res.body.processingErrors[0], /truncated/);
        const [note] = await notes((await incidentByTitle('Big body')).id);
        assert.equal(note!.summary.length, 64 * 1024);
        assert.ok(JSON.stringify(big, null, 2).startsWith(note!.summary));

        const huge = await fire({ title: 'Huge body' }, { data: 'z'.repeat(1024 * 1024) });
        assert.equal(huge.status, 413);
        assert.equal(typeof huge.body.error, 'string');
        const none = await h.ctx.db.selectFrom('incidents').select('id').where('name', '=', 'Huge body').execute();
        assert.deepEqual(none, []);
      });

      test('both plugin ids, the experimental path and a collapsed // all answer', async () => {
        const paths = [
          '/api/plugins/grafana-irm-app/resources/api/v1/incoming-webhooks/grafana.incident.create',
          '/api/plugins/grafana-incident-app/resources/api/experimental/incoming-webhook/grafana.incident.create',
          '/api/plugins/grafana-irm-app/resources/api/experimental/incoming-webhook/grafana.incident.create',
          '//api/plugins/grafana-incident-app/resources/api/v1/incoming-webhooks/grafana.incident.create',
        ];
        for (const [i, path] of paths.entries()) {
          const res = await fire({ title: `Path ${i}`, includes: 'incident' }, { i }, { path });
          assert.equal(res.status, 200, `${path}: ${res.text}`);
          assert.equal(res.body.incident.title, `Path ${i}`);
        }
      });

      test('auth and title errors: 401 and 400 with {"error"}, nothing declared', async () => {
        const incidentCount = (await h.ctx.db.selectFrom('incidents').select('id').execute()).length;
        const noToken = await fire({ title: 'No token' }, {}, { token: null });
        assert.equal(noToken.status, 401);
        assert.equal(typeof noToken.body.error, 'string');
        const badToken = await fire({ title: 'Bad token', token: 'nope' }, {}, { token: null });
        assert.equal(badToken.status, 401);
        assert.match(badToken.body.error, /invalid/);
        const badHeader = await fire({ title: 'Bad header' }, {}, { token: null, headers: { authorization: 'Basic abc' } });
        assert.equal(badHeader.status, 401);
        const badBearer = await fire({ title: 'Bad bearer' }, {}, { token: 'nope' });
        assert.equal(badBearer.status, 401);
        for (const params of [{}, { title: '   ' }] as Array<Record<string, string>>) {
          const res = await fire(params, {});
          assert.equal(res.status, 400);
          assert.match(res.body.error, /title/);
        }
        const tooLong = await fire({ title: 'x'.repeat(300) }, {});
        assert.equal(tooLong.status, 400);
        assert.match(tooLong.body.error, /title/);
        const nul = await fire({ title: 'nul\u0000byte' }, {});
        assert.equal(nul.status, 400);
        assert.match(nul.body.error, /title/);
        const get = await h.request('GET', hookUrl({ title: 'By GET' }));
        assert.equal(get.status, 404, 'declaring takes a POST');
        assert.equal((await h.ctx.db.selectFrom('incidents').select('id').execute()).length, incidentCount);
      });

      test('a user in no team cannot declare (400 saying so)', async () => {
        const loner = await h.user('hookloner', { team: false });
        const res = await fire({ title: 'Nowhere' }, {}, { token: loner.token });
        assert.equal(res.status, 400);
        assert.match(res.body.error, /not a member of any team/);
      });
    });
  });
}
