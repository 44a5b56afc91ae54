import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { API, startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';

const MINUTE = 60_000;
const at = (hhmm: string) => `2026-11-01T${hhmm}:00Z`;

for (const kind of testDatabases()) {
  describe(`${kind}: RPC QueryIncidents / QueryIncidentPreviews`, () => {
    let h: Harness;
    let rita: TestUser;
    let ivy: TestUser;
    let cara: TestUser;
    let outsider: TestUser;
    /** The fixture, declared 12:00-12:04 on 2026-11-01; everything else is created later. */
    const f = { A: '', B: '', C: '', D: '', E: '' };
    let fixture: string[];
    const name = (id: string) => Object.entries(f).find(([, v]) => v === id)?.[0] ?? 'other';
    const names = (ids: string[]) => ids.map(name);

    const ok = (method: string, body: unknown, token?: string) => h.rpcOk(method, body, token);
    async function create(body: Record<string, unknown>, token?: string): Promise<string> {
      return (await ok('IncidentsService.CreateIncident', body, token)).incident.incidentID;
    }
    const rejects = (method: string, body: unknown, pattern: RegExp, status = 400, token?: string | null) => h.rpcFails(method, body, status, pattern, token);

    /** Fixture incidents (by letter) matching structured IncidentsQuery filters, in response order. */
    async function matching(query: Record<string, unknown>, token?: string): Promise<string[]> {
      const body = await ok('IncidentsService.QueryIncidents', { query: { limit: 100, ...query } }, token);
      return names(body.incidents.map((i: any) => i.incidentID).filter((id: string) => fixture.includes(id)));
    }
    /** Fixture incidents matching a queryString, as a sorted set of letters. */
    async function matchingString(queryString: string): Promise<string[]> {
      return (await matching({ queryString, orderDirection: 'ASC' })).sort();
    }
    async function previews(query: Record<string, unknown>, extra: Record<string, unknown> = {}) {
      return ok('IncidentsService.QueryIncidentPreviews', { query: { limit: 100, ...query }, ...extra });
    }
    /** Fixture previews in the order asked for (scoped to the fixture's declaration window). */
    async function ordered(orderField: string, orderDirection: string): Promise<any[]> {
      const body = await previews({ orderField, orderDirection, queryString: `declared:${at('12:00')},${at('12:05')}` });
      return body.incidentPreviews;
    }

    before(async () => {
      h = await startHarness(kind, { fakeClock: true });
      rita = await h.user('rita');
      ivy = await h.user('ivy');
      cara = await h.user('cara');
      outsider = await h.user('outsider', { team: await h.team() });
      const clock = h.clock!;
      assert.equal(clock.now(), Date.parse(at('12:00')));

      f.A = await create({ title: 'Checkout errors', severity: 'major', roomPrefix: 'sec', labels: [{ label: 'security' }, { label: 'payments' }] });
      clock.advance(MINUTE);
      f.B = await create({ title: 'Database failover drill', severity: 'critical', isDrill: true, roomPrefix: 'drill', labels: [{ label: 'important' }] });
      clock.advance(MINUTE);
      // Declared through Playbooks by rita, who is its owner (the commander).
      const run = await h.post(
        `${API}/runs`,
        { name: 'Login latency', owner_user_id: rita.id, team_id: h.teamId, summary: 'Sessions expire after the token service slowed down', severity: 'minor' },
        rita.token,
      );
      assert.equal(run.status, 201, run.text);
      f.C = run.body.id;
      clock.advance(MINUTE);
      f.D = await create({ title: 'Disk full on db-2', roomPrefix: 'ops', labels: [{ label: 'customers affected' }] });
      clock.advance(MINUTE);
      f.E = await create({ title: 'Checkout retro', status: 'resolved', roomPrefix: 'aaa' });
      fixture = Object.values(f);

      clock.set(Date.parse(at('12:10')));
      await ok('IncidentsService.UpdateStatus', { incidentID: f.C, status: 'resolved' });
      await ok('IncidentsService.AssignRole', { incidentID: f.A, userID: `grafana-incident:${ivy.id}`, role: 'investigator' });
      await ok('IncidentsService.AssignRole', { incidentID: f.B, userID: `grafana-incident:${cara.id}`, role: 'commander' });
      await ok('ActivityService.AddActivity', { incidentID: f.D, activityKind: 'userNote', body: 'Root cause: a runaway cron job filled the disk' });
      await ok('IncidentsService.UpdateIncidentEventTime', { incidentID: f.D, eventTime: '2026-10-31T00:00:00Z', activityItemKind: 'incidentStart' });
      await ok('IncidentsService.UpdateIncidentEventTime', { incidentID: f.A, eventTime: at('12:30'), activityItemKind: 'incidentEnd' });
      clock.set(Date.parse('2026-11-01T13:00:00Z'));
    });
    after(async () => {
      await h.close();
    });

    test('QueryIncidents echoes the query with every default filled, for Go zero values, nulls and no query at all', async () => {
      const defaults = {
        limit: 25,
        includeStatuses: [],
        excludeStatuses: [],
        incidentLabels: [],
        dateFrom: '',
        dateTo: '',
        onlyDrills: false,
        orderDirection: 'DESC',
        severity: '',
        queryString: '',
      };
      const go = await ok('IncidentsService.QueryIncidents', {
        query: { limit: 0, includeStatuses: null, excludeStatuses: null, incidentLabels: null, dateFrom: '', dateTo: '', onlyDrills: false, orderDirection: '', severity: '', queryString: '' },
        cursor: { nextValue: '', hasMore: false },
      });
      assert.deepEqual(go.query, defaults);
      assert.deepEqual(go.cursor, { nextValue: '', hasMore: false });
      assert.deepEqual((await ok('IncidentsService.QueryIncidents', {})).query, defaults);
      assert.deepEqual((await ok('IncidentsService.QueryIncidents', { query: null, cursor: null })).query, defaults);

      const given = {
        limit: 7,
        includeStatuses: ['active'],
        excludeStatuses: ['resolved'],
        incidentLabels: ['security'],
        dateFrom: at('11:00'),
        dateTo: at('14:00'),
        onlyDrills: true,
        orderDirection: 'ASC',
        severity: 'major',
        queryString: '',
      };
      assert.deepEqual((await ok('IncidentsService.QueryIncidents', { query: given })).query, given);
      // Incidents are presented in the full Incident shape.
      const all = await ok('IncidentsService.QueryIncidents', { query: { limit: 100 } });
      const a = all.incidents.find((i: any) => i.incidentID === f.A);
      assert.deepEqual(a, (await ok('IncidentsService.GetIncident', { incidentID: f.A })).incident);
    });

    test('QueryIncidentPreviews echoes its query with defaults', async () => {
      const expected = { limit: 25, orderDirection: 'DESC', orderField: 'createdTime', queryString: '' };
      assert.deepEqual((await ok('IncidentsService.QueryIncidentPreviews', {})).query, expected);
      assert.deepEqual(
        (await ok('IncidentsService.QueryIncidentPreviews', { query: { limit: 0, orderDirection: '', orderField: '', queryString: '' }, cursor: null })).query,
        expected,
      );
      const given = { limit: 3, orderDirection: 'ASC', orderField: 'title', queryString: 'isdrill:false status:active' };
      assert.deepEqual((await ok('IncidentsService.QueryIncidentPreviews', { query: given })).query, given);
    });

    test('every structured IncidentsQuery filter', async () => {
      assert.deepEqual(await matching({ orderDirection: 'ASC' }), ['A', 'B', 'C', 'D', 'E']);
      assert.deepEqual(await matching({}), ['E', 'D', 'C', 'B', 'A']);
      assert.deepEqual(await matching({ orderDirection: 'ASC', includeStatuses: ['resolved'] }), ['C', 'E']);
      assert.deepEqual(await matching({ orderDirection: 'ASC', includeStatuses: ['active', 'resolved'] }), ['A', 'B', 'C', 'D', 'E']);
      assert.deepEqual(await matching({ orderDirection: 'ASC', excludeStatuses: ['resolved'] }), ['A', 'B', 'D']);
      assert.deepEqual(await matching({ orderDirection: 'ASC', includeStatuses: ['active'], excludeStatuses: ['active'] }), []);
      assert.deepEqual(await matching({ orderDirection: 'ASC', incidentLabels: ['security'] }), ['A']);
      assert.deepEqual(await matching({ orderDirection: 'ASC', incidentLabels: ['SECURITY', 'important'] }), ['A', 'B']);
      assert.deepEqual(await matching({ orderDirection: 'ASC', incidentLabels: ['customers affected'] }), ['D']);
      assert.deepEqual(await matching({ orderDirection: 'ASC', incidentLabels: [] }), ['A', 'B', 'C', 'D', 'E']);
      assert.deepEqual(await matching({ orderDirection: 'ASC', dateFrom: at('12:01') }), ['B', 'C', 'D', 'E']);
      assert.deepEqual(await matching({ orderDirection: 'ASC', dateTo: at('12:03') }), ['A', 'B', 'C']);
      assert.deepEqual(await matching({ orderDirection: 'ASC', dateFrom: '2026-11-01T13:01:00+01:00', dateTo: '2026-11-01T12:03:00Z' }), ['B', 'C']);
      assert.deepEqual(await matching({ orderDirection: 'ASC', onlyDrills: true }), ['B']);
      assert.deepEqual(await matching({ orderDirection: 'ASC', onlyDrills: false }), ['A', 'B', 'C', 'D', 'E']);
      assert.deepEqual(await matching({ orderDirection: 'ASC', severity: 'major' }), ['A']);
      assert.deepEqual(await matching({ orderDirection: 'ASC', severity: 'CRITICAL' }), ['B']);
      assert.deepEqual(await matching({ orderDirection: 'ASC', severity: 'pending' }), ['D', 'E']);
      assert.deepEqual(await matching({ orderDirection: 'ASC', severity: 'minor', includeStatuses: ['resolved'], dateTo: at('12:05') }), ['C']);
    });

    test('a non-empty queryString overrides the other filters', async () => {
      assert.deepEqual(await matching({ orderDirection: 'ASC', includeStatuses: ['resolved'], onlyDrills: true, severity: 'minor', queryString: 'status:active' }), [
        'A',
        'B',
        'D',
      ]);
      // Blank is no queryString: the filters apply.
      assert.deepEqual(await matching({ orderDirection: 'ASC', includeStatuses: ['resolved'], queryString: '   ' }), ['C', 'E']);
    });

    test('queryString keys: status, severity, isdrill, title, label, field', async () => {
      assert.deepEqual(await matchingString('status:active'), ['A', 'B', 'D']);
      assert.deepEqual(await matchingString('status:resolved'), ['C', 'E']);
      assert.deepEqual(await matchingString('severity:major'), ['A']);
      assert.deepEqual(await matchingString('severity:"pending"'), ['D', 'E']);
      assert.deepEqual(await matchingString('isdrill:true'), ['B']);
      assert.deepEqual(await matchingString('isdrill:false'), ['A', 'C', 'D', 'E']);
      assert.deepEqual(await matchingString('title:CHECKOUT'), ['A', 'E']);
      assert.deepEqual(await matchingString("title:'disk full'"), ['D']);
      assert.deepEqual(await matchingString('title:100%'), []);
      assert.deepEqual(await matchingString('label:security'), ['A']);
      assert.deepEqual(await matchingString('label:secur'), []);
      assert.deepEqual(await matchingString('field:labels:"customers affected"'), ['D']);
      assert.deepEqual(await matchingString('field:tags:important field:label:important'), ['B']);
      assert.deepEqual(await matchingString('status:active severity:major'), ['A']);
    });

    test('queryString keys: createdby, role with user.email, text', async () => {
      assert.deepEqual(await matchingString('createdby:rita@example.com'), ['C']);
      assert.deepEqual(await matchingString('createdby:RITA@example.com'), ['C']);
      assert.deepEqual(await matchingString('createdby:nobody@example.com'), []);
      assert.deepEqual(await matchingString('role:investigator user.email:ivy@example.com'), ['A']);
      assert.deepEqual(await matchingString('role:commander user.email:cara@example.com'), ['B']);
      assert.deepEqual(await matchingString('user.email:rita@example.com role:Commander'), ['C']);
      assert.deepEqual(await matchingString('role:investigator user.email:cara@example.com'), []);
      assert.deepEqual(await matchingString('role:commander'), ['B', 'C']);
      assert.deepEqual(await matchingString('role:investigator'), ['A']);
      assert.deepEqual(await matchingString('user.email:ivy@example.com'), ['A']);
      assert.deepEqual(await matchingString('or(user.email:ivy@example.com user.email:cara@example.com)'), ['A', 'B']);
      // The pair means "that user holds that role", not "someone holds the role and the user holds some role".
      await ok('IncidentsService.AssignRole', { incidentID: f.A, userID: `grafana-incident:${cara.id}`, role: 'observer' });
      assert.deepEqual(await matchingString('role:investigator user.email:cara@example.com'), []);
      assert.deepEqual(await matchingString('role:observer user.email:cara@example.com'), ['A']);
      assert.deepEqual(await matchingString('or(role:investigator user.email:cara@example.com)'), ['A', 'B']);
      await ok('IncidentsService.UnassignRole', { incidentID: f.A, userID: `grafana-incident:${cara.id}`, role: 'observer' });
      // text: searches the title, the summary and the timeline; every word must appear somewhere.
      assert.deepEqual(await matchingString('text:failover'), ['B']);
      assert.deepEqual(await matchingString('text:EXPIRE'), ['C']);
      assert.deepEqual(await matchingString('text:"runaway cron"'), ['D']);
      assert.deepEqual(await matchingString('text:"runaway checkout"'), []);
      await rejects('IncidentsService.QueryIncidents', { query: { queryString: 'role:scribe' } }, /unknown role "scribe"/);
    });

    test('queryString date ranges: declared, started, resolved, ended (either side open)', async () => {
      assert.deepEqual(await matchingString(`declared:${at('12:01')},${at('12:03')}`), ['B', 'C']);
      assert.deepEqual(await matchingString(`declared:${at('12:03')},`), ['D', 'E']);
      assert.deepEqual(await matchingString('started:,2026-11-01T00:00:00Z'), ['D']);
      assert.deepEqual(await matchingString(`started:${at('12:00')},${at('12:02')}`), ['A', 'B']);
      assert.deepEqual(await matchingString(`resolved:${at('12:05')},`), ['C']);
      assert.deepEqual(await matchingString(`resolved:,${at('12:05')}`), ['E']);
      assert.deepEqual(await matchingString(`ended:${at('12:20')},`), ['A']);
      assert.deepEqual(await matchingString(`ended:,${at('12:20')}`), ['C', 'E']);
      assert.deepEqual(await matchingString(`ended:'${at('12:00')},${at('13:00')}'`), ['A', 'C', 'E']);
    });

    test('queryString groups: or(...) and any(...) nest; juxtaposition is AND', async () => {
      assert.deepEqual(await matchingString('isdrill:false any(label:security label:important)'), ['A']);
      assert.deepEqual(await matchingString('isdrill:false or(label:security label:important)'), ['A']);
      assert.deepEqual(await matchingString('or(status:resolved severity:critical)'), ['B', 'C', 'E']);
      assert.deepEqual(await matchingString('or(severity:major any(isdrill:true title:latency))'), ['A', 'B', 'C']);
      assert.deepEqual(await matchingString(`status:resolved or(declared:${at('12:04')}, title:login)`), ['C', 'E']);
      assert.deepEqual((await previews({ queryString: 'isdrill:false status:active', orderDirection: 'ASC' })).incidentPreviews.filter((p: any) => fixture.includes(p.incidentID)).map((p: any) => name(p.incidentID)), ['A', 'D']);
    });

    test('a malformed queryString is a 400 with the position and what was expected, on both methods', async () => {
      for (const method of ['IncidentsService.QueryIncidents', 'IncidentsService.QueryIncidentPreviews']) {
        await rejects(method, { query: { queryString: 'or(status:active' } }, /^invalid query string at position 17: expected '\)' to close or\(/);
        await rejects(method, { query: { queryString: 'status:active checkout' } }, /^invalid query string at position 15: expected ':' after "checkout"/);
        await rejects(method, { query: { queryString: 'status:open' } }, /^invalid query string at position 8: invalid status "open": expected active or resolved/);
        await rejects(method, { query: { queryString: 'field:priority:high' } }, /^invalid query string at position 7: unknown field "priority"/);
        await rejects(method, { query: { queryString: 'title:"unterminated' } }, /^invalid query string at position 7: expected a closing "/);
        await rejects(method, { query: { queryString: 'declared:yesterday,' } }, /^invalid query string at position 10: invalid time "yesterday"/);
        await rejects(method, { query: { queryString: 42 } }, /query\.queryString/);
        await rejects(method, { query: { queryString: 'x'.repeat(4097) } }, /query\.queryString/);
      }
    });

    test('previews: every field, and the optional parts only when asked for', async () => {
      const incident = (await ok('IncidentsService.GetIncident', { incidentID: f.B })).incident;
      const plain = (await previews({ queryString: 'isdrill:true' })).incidentPreviews.find((p: any) => p.incidentID === f.B);
      const common = {
        incidentID: f.B,
        severityID: 'critical',
        severityLabel: 'critical',
        incidentType: 'internal',
        labels: incident.labels,
        isDrill: true,
        createdTime: at('12:01'),
        modifiedTime: incident.modifiedTime,
        closedTime: '',
        createdByUser: { userID: `grafana-incident:${h.admin.id}`, name: h.admin.username, photoURL: '' },
        title: 'Database failover drill',
        description: '',
        summary: '',
        heroImagePath: incident.heroImagePath,
        status: 'active',
        slug: 'database-failover-drill',
        incidentStart: at('12:01'),
        incidentEnd: '',
        version: incident.version,
      };
      assert.deepEqual(plain, common);
      assert.deepEqual(incident.labels, [{ label: 'important', description: '', colorHex: '', key: 'tags' }]);

      const full = (
        await previews({ queryString: 'isdrill:true' }, { includeCustomFieldValues: true, includeMembershipPreview: true, includeIncidentChannels: true })
      ).incidentPreviews.find((p: any) => p.incidentID === f.B);
      assert.deepEqual(full, {
        ...common,
        fieldValues: [],
        incidentMembershipPreview: {
          importantAssignments: [{ user: { userID: `grafana-incident:${cara.id}`, name: 'cara', photoURL: '' }, roleID: 1 }],
          totalAssignments: incident.incidentMembership.totalAssignments,
          totalParticipants: incident.incidentMembership.totalParticipants,
        },
        incidentChannels: incident.incidentChannels,
      });
      // Go's zero values (false) leave them out too.
      const go = (await previews({ queryString: 'isdrill:true' }, { includeCustomFieldValues: false, includeMembershipPreview: false, includeIncidentChannels: null }))
        .incidentPreviews[0];
      assert.deepEqual(Object.keys(go).sort(), Object.keys(common).sort());

      // Only important roles are previewed; observers count but are not listed.
      await ok('IncidentsService.AssignRole', { incidentID: f.A, userID: `grafana-incident:${cara.id}`, role: 'observer' });
      const a = (await previews({ queryString: 'label:security' }, { includeMembershipPreview: true })).incidentPreviews[0];
      assert.deepEqual(a.incidentMembershipPreview.importantAssignments, [{ user: { userID: `grafana-incident:${ivy.id}`, name: 'ivy', photoURL: '' }, roleID: 2 }]);
      assert.equal(a.incidentMembershipPreview.totalAssignments, 2);
      await ok('IncidentsService.UnassignRole', { incidentID: f.A, userID: `grafana-incident:${cara.id}`, role: 'observer' });

      const c = (await previews({ queryString: 'createdby:rita@example.com' })).incidentPreviews[0];
      assert.equal(c.description, 'Sessions expire after the token service slowed down');
      assert.equal(c.summary, c.description);
      assert.equal(c.closedTime, at('12:10'));
      assert.equal(c.severityID, 'minor');
    });

    test('previews order by every orderField, both directions (ties broken by id)', async () => {
      const ids = (list: any[]) => names(list.map((p) => p.incidentID));
      assert.deepEqual(ids(await ordered('createdTime', 'ASC')), ['A', 'B', 'C', 'D', 'E']);
      assert.deepEqual(ids(await ordered('', 'DESC')), ['E', 'D', 'C', 'B', 'A']);
      assert.deepEqual(ids(await ordered('title', 'ASC')), ['A', 'E', 'B', 'D', 'C']);
      assert.deepEqual(ids(await ordered('title', 'DESC')), ['C', 'D', 'B', 'E', 'A']);
      assert.deepEqual(ids(await ordered('severity', 'DESC')).slice(0, 3), ['B', 'A', 'C']);
      assert.deepEqual(ids(await ordered('severity', 'ASC')).slice(2), ['C', 'A', 'B']);
      assert.deepEqual(ids(await ordered('closedTime', 'DESC')).slice(0, 2), ['C', 'E']);
      assert.deepEqual(ids(await ordered('isDrill', 'DESC')).slice(0, 1), ['B']);
      assert.deepEqual(ids(await ordered('isDrill', 'ASC')).slice(4), ['B']);
      assert.deepEqual(ids(await ordered('incidentStart', 'ASC')), ['D', 'A', 'B', 'C', 'E']);
      assert.deepEqual(ids(await ordered('incidentEnd', 'DESC')).slice(0, 3), ['A', 'C', 'E']);
      assert.deepEqual(ids(await ordered('prefix', 'ASC')), ['E', 'B', 'C', 'D', 'A']);
      assert.deepEqual(ids(await ordered('status', 'ASC')).slice(3).sort(), ['C', 'E']);
      assert.deepEqual(ids(await ordered('incidentID', 'ASC')), names([...fixture].sort()));

      // Every field, checked against the presented values: sorted by (value, id) in the asked direction.
      const rank: Record<string, number> = { pending: 0, minor: 1, major: 2, critical: 3 };
      const time = (t: string) => (t ? Date.parse(t) : 0);
      const keys: Record<string, (p: any) => string | number> = {
        incidentID: (p) => p.incidentID,
        createdTime: (p) => time(p.createdTime),
        modifiedTime: (p) => time(p.modifiedTime),
        title: (p) => p.title.toLowerCase(),
        status: (p) => p.status,
        severity: (p) => rank[p.severityLabel]!,
        isDrill: (p) => (p.isDrill ? 1 : 0),
        incidentStart: (p) => time(p.incidentStart),
        incidentEnd: (p) => time(p.incidentEnd),
        closedTime: (p) => time(p.closedTime),
      };
      for (const [field, key] of Object.entries(keys)) {
        for (const direction of ['ASC', 'DESC']) {
          const got = await ordered(field, direction);
          const sign = direction === 'ASC' ? 1 : -1;
          const cmp = (x: string | number, y: string | number) => (x < y ? -1 : x > y ? 1 : 0);
          const expected = [...got].sort((p, q) => sign * (cmp(key(p), key(q)) || cmp(p.incidentID, q.incidentID)));
          assert.deepEqual(ids(got), ids(expected), `${field} ${direction}`);
          assert.equal(got.length, 5);
        }
      }
      // QueryIncidents always orders by created time.
      assert.deepEqual(await matching({ orderDirection: 'ASC', queryString: `declared:${at('12:00')},${at('12:05')}` }), ['A', 'B', 'C', 'D', 'E']);
    });

    test('limits: 0 is 25, at most 100, more or negative or fractional is a 400 naming query.limit', async () => {
      for (const method of ['IncidentsService.QueryIncidents', 'IncidentsService.QueryIncidentPreviews']) {
        assert.equal((await ok(method, { query: { limit: 100 } })).query.limit, 100);
        assert.equal((await ok(method, { query: { limit: 0 } })).query.limit, 25);
        await rejects(method, { query: { limit: 101 } }, /query\.limit.*at most 100/);
        await rejects(method, { query: { limit: -1 } }, /query\.limit/);
        await rejects(method, { query: { limit: 2.5 } }, /query\.limit/);
        await rejects(method, { query: { limit: '10' } }, /query\.limit/);
        await rejects(method, { query: { orderDirection: 'UP' } }, /query\.orderDirection/);
      }
      const scoped = { queryString: `declared:${at('12:00')},${at('12:05')}` };
      const five = await previews({ ...scoped, limit: 5 });
      assert.equal(five.incidentPreviews.length, 5);
      assert.deepEqual(five.cursor, { nextValue: '', hasMore: false });
      const four = await previews({ ...scoped, limit: 4 });
      assert.equal(four.incidentPreviews.length, 4);
      assert.equal(four.cursor.hasMore, true);
      assert.notEqual(four.cursor.nextValue, '');
    });

    test('bad filter values are 400s naming the field', async () => {
      await rejects('IncidentsService.QueryIncidents', { query: { includeStatuses: ['closed'] } }, /query\.includeStatuses/);
      await rejects('IncidentsService.QueryIncidents', { query: { excludeStatuses: 'active' } }, /query\.excludeStatuses/);
      await rejects('IncidentsService.QueryIncidents', { query: { dateFrom: 'yesterday' } }, /query\.dateFrom/);
      await rejects('IncidentsService.QueryIncidents', { query: { dateTo: '2026-13-01T00:00:00Z' } }, /query\.dateTo/);
      await rejects('IncidentsService.QueryIncidents', { query: { onlyDrills: 'yes' } }, /query\.onlyDrills/);
      await rejects('IncidentsService.QueryIncidents', { query: { incidentLabels: [1] } }, /query\.incidentLabels/);
      await rejects('IncidentsService.QueryIncidents', { query: [] }, /query/);
      await rejects('IncidentsService.QueryIncidentPreviews', { query: { orderField: 'colour' } }, /query\.orderField/);
      await rejects('IncidentsService.QueryIncidentPreviews', { includeMembershipPreview: 'yes' }, /includeMembershipPreview/);
      await rejects('IncidentsService.QueryIncidents', { cursor: { nextValue: 5 } }, /cursor\.nextValue/);
    });

    test('cursors: garbage, another query, another method or a forged value is a 400 naming cursor.nextValue', async () => {
      const scoped = { queryString: `declared:${at('12:00')},${at('12:05')}`, limit: 2 };
      const first = await ok('IncidentsService.QueryIncidents', { query: scoped });
      const cursor = first.cursor;
      assert.equal(cursor.hasMore, true);
      assert.match(cursor.nextValue, /^[A-Za-z0-9_-]+$/);
      // The same query with another limit may continue.
      await ok('IncidentsService.QueryIncidents', { query: { ...scoped, limit: 3 }, cursor });

      const bad = (body: unknown, pattern = /cursor\.nextValue/) => rejects('IncidentsService.QueryIncidents', body, pattern);
      await bad({ query: scoped, cursor: { nextValue: 'not a cursor!', hasMore: true } });
      await bad({ query: scoped, cursor: { nextValue: Buffer.from('hello').toString('base64url'), hasMore: true } });
      await bad({ query: scoped, cursor: { nextValue: Buffer.from('[1,2,3]').toString('base64url'), hasMore: true } });
      await bad({ query: { ...scoped, queryString: 'status:active' }, cursor }, /cursor\.nextValue.*different query/);
      await bad({ query: { ...scoped, orderDirection: 'ASC' }, cursor }, /different query/);
      await rejects('IncidentsService.QueryIncidentPreviews', { query: scoped, cursor }, /cursor\.nextValue.*different query/);
      const previewCursor = (await previews({ ...scoped, orderField: 'title' })).cursor;
      await rejects('IncidentsService.QueryIncidentPreviews', { query: { ...scoped, orderField: 'createdTime' }, cursor: previewCursor }, /different query/);
      const [hash, , id] = JSON.parse(Buffer.from(cursor.nextValue, 'base64url').toString());
      await bad({ query: scoped, cursor: { nextValue: Buffer.from(JSON.stringify([hash, 'text', id])).toString('base64url') } });
      await bad({ query: scoped, cursor: { nextValue: Buffer.from(JSON.stringify([hash, 1, 'short'])).toString('base64url') } });
      // The filters path has cursors too, bound to its filters.
      const filtered = await ok('IncidentsService.QueryIncidents', { query: { limit: 1, severity: 'pending' } });
      await bad({ query: { limit: 1, severity: 'major' }, cursor: filtered.cursor }, /different query/);
    });

    test('unauthenticated callers get 401; callers see only incidents they may see', async () => {
      await rejects('IncidentsService.QueryIncidents', { query: {} }, /./, 401, null);
      await rejects('IncidentsService.QueryIncidentPreviews', { query: {} }, /./, 401, 'not-a-token');
      assert.deepEqual(await matching({}, outsider.token), []);
      assert.deepEqual(await matching({ queryString: 'status:active' }, outsider.token), []);
      const own = await create({ title: 'Outsider incident' }, outsider.token);
      const seen = await ok('IncidentsService.QueryIncidents', { query: { limit: 100 } }, outsider.token);
      assert.deepEqual(seen.incidents.map((i: any) => i.incidentID), [own]);
      const seenPreviews = await ok('IncidentsService.QueryIncidentPreviews', { query: { limit: 100, queryString: 'isdrill:false' } }, outsider.token);
      assert.deepEqual(seenPreviews.incidentPreviews.map((p: any) => p.incidentID), [own]);
      // A team member sees the team's incidents without a playbook (they count as public).
      assert.deepEqual(await matching({ orderDirection: 'ASC' }, ivy.token), ['A', 'B', 'C', 'D', 'E']);
      // Admins see the outsider's incident too.
      assert.ok((await ok('IncidentsService.QueryIncidents', { query: { limit: 100 } })).incidents.some((i: any) => i.incidentID === own));
    });

    /** Pages through with `limit`, calling `between` after every page; returns every id in order. */
    async function pageThrough(method: string, query: Record<string, unknown>, between: () => Promise<void>): Promise<string[]> {
      const seen: string[] = [];
      let cursor = { nextValue: '', hasMore: false };
      for (let pages = 0; ; pages++) {
        assert.ok(pages < 50, 'paging does not end');
        const body = await ok(method, { query, cursor });
        const items = method.endsWith('Previews') ? body.incidentPreviews : body.incidents;
        seen.push(...items.map((i: any) => i.incidentID));
        assert.equal(body.cursor.hasMore, body.cursor.nextValue !== '');
        if (!body.cursor.hasMore) return seen;
        assert.equal(items.length, query.limit);
        cursor = body.cursor;
        await between();
      }
    }

    test('paging with limit 2 while incidents are being created: every original incident exactly once, no duplicates', async () => {
      for (const method of ['IncidentsService.QueryIncidents', 'IncidentsService.QueryIncidentPreviews']) {
        const everything = await ok(method, { query: { limit: 100 } });
        const original = (method.endsWith('Previews') ? everything.incidentPreviews : everything.incidents).map((i: any) => i.incidentID);
        assert.ok(original.length >= 6);
        const created: string[] = [];
        const newer = async () => {
          h.clock!.advance(MINUTE);
          created.push(await create({ title: `Created while paging ${created.length}` }));
        };
        // DESC (the default): new incidents sort before the cursor, so exactly the original set comes back.
        const desc = await pageThrough(method, { limit: 2 }, newer);
        assert.deepEqual(desc, original);
        assert.equal(created.length, Math.ceil(original.length / 2) - 1);
        assert.ok(created.length >= 2);

        // ASC: new incidents sort after everything, so they follow the original set; still no duplicates.
        const everythingAsc = await ok(method, { query: { limit: 100, orderDirection: 'ASC' } });
        const originalAsc = (method.endsWith('Previews') ? everythingAsc.incidentPreviews : everythingAsc.incidents).map((i: any) => i.incidentID);
        const createdAsc = created.length;
        const asc = await pageThrough(method, { limit: 2, orderDirection: 'ASC' }, newer);
        assert.equal(new Set(asc).size, asc.length, 'no duplicates');
        assert.deepEqual(asc.slice(0, originalAsc.length), originalAsc);
        assert.deepEqual(asc.slice(originalAsc.length), created.slice(createdAsc));
      }
    });

    test('paging through incidents declared at the same instant: ties are broken by id, none lost or repeated', async () => {
      const marker = `tie${kind}`;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await create({ title: `${marker} ${i}` }));
      for (const orderDirection of ['ASC', 'DESC']) {
        for (const method of ['IncidentsService.QueryIncidents', 'IncidentsService.QueryIncidentPreviews']) {
          const seen = await pageThrough(method, { limit: 1, orderDirection, queryString: `title:${marker}` }, async () => {});
          const sorted = [...ids].sort();
          assert.deepEqual(seen, orderDirection === 'ASC' ? sorted : sorted.reverse(), `${method} ${orderDirection}`);
        }
      }
      // Paging by title continues from the last title seen.
      const byTitle = await pageThrough('IncidentsService.QueryIncidentPreviews', { limit: 2, orderField: 'title', orderDirection: 'ASC', queryString: `title:${marker}` }, async () => {});
      assert.deepEqual(byTitle, ids);
    });
  });
}
