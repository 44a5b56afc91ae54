import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createWarRoom } from '../../src/domain/channels/channels.ts';
import { API, startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';


/** Every field GET /playbooks/{id} promises (the explicit presenter). */
const PLAYBOOK_FIELDS = [
  'id', 'title', 'description', 'team_id', 'create_public_playbook_run', 'public', 'create_at', 'update_at',
  'delete_at', 'num_stages', 'num_steps', 'num_runs', 'active_runs', 'num_actions', 'last_run_at', 'checklists',
  'member_ids', 'members', 'broadcast_channel_ids', 'broadcast_enabled', 'broadcast_webhook_urls', 'invited_user_ids', 'invited_group_ids',
  'invite_users_enabled', 'default_owner_id', 'default_owner_enabled', 'webhook_on_creation_url',
  'webhook_on_creation_urls', 'webhook_on_creation_enabled', 'webhook_on_status_update_url',
  'webhook_on_status_update_urls', 'webhook_on_status_update_enabled', 'reminder_message_template',
  'reminder_timer_default_seconds', 'status_update_enabled', 'message_on_join', 'message_on_join_enabled',
  'retrospective_reminder_interval_seconds', 'retrospective_template', 'retrospective_enabled',
  'signal_any_keywords', 'signal_any_keywords_enabled', 'category_name', 'categorize_channel_enabled',
  'export_channel_on_finished_enabled', 'run_summary_template', 'channel_name_template', 'metrics',
].sort();

for (const kind of testDatabases()) {
  describe(`${kind}: playbooks`, () => {
    let h: Harness;
    let member: TestUser; // on the default team
    let outsider: TestUser; // on no team

    before(async () => {
      h = await startHarness(kind, { fakeClock: true });
      member = await h.user('pbmember');
      outsider = await h.user('pboutsider', { team: false });
    });
    after(async () => {
      await h.close();
    });

    async function create(body: Record<string, unknown>, token?: string): Promise<string> {
      const res = await h.post(`${API}/playbooks`, { team_id: h.teamId, ...body }, token);
      assert.equal(res.status, 201, res.text);
      return res.body.id;
    }

    async function playbookCount(): Promise<number> {
      const row = await h.ctx.db.selectFrom('playbooks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    }

    test('POST creates a playbook: 201 {id}, Location, and GET returns the full playbook', async () => {
      const res = await h.post(`${API}/playbooks`, {
        title: '  Cloud outage  ',
        description: 'When the cloud is down',
        team_id: h.teamId,
        create_public_playbook_run: true,
        public: true,
        checklists: [
          { title: 'Triage', items: [{ title: 'Gather info', command: '/echo hi', description: 'Ask' }, { title: 'Page' }] },
          { title: 'Fix', items: [{ title: 'Deploy' }] },
        ],
      });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.headers.get('content-type'), 'application/json');
      assert.deepEqual(Object.keys(res.body), ['id']);
      assert.match(res.body.id, /^[a-z0-9]{26}$/);
      assert.equal(res.headers.get('location'), `/plugins/playbooks/api/v0/playbooks/${res.body.id}`);

      const got = await h.get(`${API}/playbooks/${res.body.id}`);
      assert.equal(got.status, 200);
      assert.equal(got.headers.get('content-type'), 'application/json');
      const pb = got.body;
      assert.deepEqual(Object.keys(pb).sort(), PLAYBOOK_FIELDS);
      assert.equal(pb.title, 'Cloud outage');
      assert.equal(pb.description, 'When the cloud is down');
      assert.equal(pb.team_id, h.teamId);
      assert.equal(pb.public, true);
      assert.equal(pb.create_public_playbook_run, true);
      assert.equal(pb.create_at, h.clock!.now());
      assert.equal(pb.delete_at, 0);
      assert.equal(pb.num_stages, 2);
      assert.equal(pb.num_steps, 3);
      assert.equal(pb.num_runs, 0);
      assert.equal(pb.last_run_at, 0);
      assert.equal(pb.num_actions, 0);
      assert.deepEqual(pb.checklists[0], {
        title: 'Triage',
        items: [
          { title: 'Gather info', description: 'Ask', command: '/echo hi', state: '', state_modified: 0, assignee_id: '', assignee_modified: 0, command_last_run: 0, due_date: 0 },
          { title: 'Page', description: '', command: '', state: '', state_modified: 0, assignee_id: '', assignee_modified: 0, command_last_run: 0, due_date: 0 },
        ],
      });
      assert.deepEqual(pb.member_ids, [h.admin.id]);
      assert.deepEqual(pb.members, [{ user_id: h.admin.id, roles: ['playbook_member', 'playbook_admin'], scheme_roles: ['member', 'admin'] }]);
      assert.equal(pb.reminder_timer_default_seconds, 86400);
      for (const field of ['broadcast_channel_ids', 'invited_user_ids', 'invited_group_ids', 'webhook_on_creation_urls', 'webhook_on_status_update_urls', 'signal_any_keywords', 'metrics']) {
        assert.deepEqual(pb[field], [], field);
      }
      assert.equal(pb.webhook_on_creation_url, '');
    });

    test('POST accepts the 2021 form: member_ids make it private, string default_owner_enabled, announcement channel, single webhook URL', async () => {
      const announce = await createWarRoom(h.ctx.db, { teamId: h.teamId, displayName: 'announcements', type: 'O', creatorId: h.admin.id, now: h.clock!.now() });
      const id = await create({
        title: 'Legacy form',
        create_public_playbook_run: false,
        checklists: [],
        member_ids: [member.id],
        invited_user_ids: [member.id],
        invite_users_enabled: true,
        default_owner_id: member.id,
        default_owner_enabled: 'true',
        announcement_channel_id: announce,
        announcement_channel_enabled: true,
        webhook_on_creation_url: 'https://hooks.example.com/created',
        webhook_on_creation_enabled: true,
        webhook_on_status_update_url: 'http://hooks.example.com/status',
        webhook_on_status_update_enabled: false,
        reminder_timer_default_seconds: 0,
        signal_any_keywords: ['down', 'down', ' outage '],
      });
      const pb = (await h.get(`${API}/playbooks/${id}`)).body;
      assert.equal(pb.public, false);
      assert.equal(pb.create_public_playbook_run, false);
      assert.deepEqual([...pb.member_ids].sort(), [h.admin.id, member.id].sort());
      const creator = pb.members.find((m: any) => m.user_id === h.admin.id);
      assert.deepEqual(creator.roles, ['playbook_member', 'playbook_admin']);
      assert.deepEqual(pb.members.find((m: any) => m.user_id === member.id).roles, ['playbook_member']);
      assert.equal(pb.default_owner_enabled, true);
      assert.equal(pb.default_owner_id, member.id);
      assert.deepEqual(pb.broadcast_channel_ids, [announce]);
      assert.equal(pb.broadcast_enabled, true);
      assert.deepEqual(pb.webhook_on_creation_urls, ['https://hooks.example.com/created']);
      assert.equal(pb.webhook_on_creation_url, 'https://hooks.example.com/created');
      assert.deepEqual(pb.webhook_on_status_update_urls, ['http://hooks.example.com/status']);
      assert.equal(pb.webhook_on_status_update_enabled, false);
      assert.equal(pb.reminder_timer_default_seconds, 86400);
      assert.deepEqual(pb.signal_any_keywords, ['down', 'outage']);
      // invite users, default owner, broadcast, creation webhook
      assert.equal(pb.num_actions, 4);

      const explicitFalse = await create({ title: 'Owner off', default_owner_enabled: 'false', default_owner_id: member.id });
      assert.equal((await h.get(`${API}/playbooks/${explicitFalse}`)).body.default_owner_enabled, false);
      const emptyMembers = await create({ title: 'No members listed', member_ids: [] });
      assert.equal((await h.get(`${API}/playbooks/${emptyMembers}`)).body.public, true);
    });

    test('POST with the 2022 form keeps the given member roles', async () => {
      const id = await create({ title: 'Roles', public: false, members: [{ user_id: member.id, roles: ['playbook_member', 'playbook_admin'] }] });
      const pb = (await h.get(`${API}/playbooks/${id}`)).body;
      assert.equal(pb.public, false);
      assert.deepEqual(pb.members.find((m: any) => m.user_id === member.id).scheme_roles, ['member', 'admin']);
    });

    test('bad POST bodies are 400s naming the field, and nothing is written', async () => {
      const otherTeam = await h.team();
      const foreignChannel = await createWarRoom(h.ctx.db, { teamId: otherTeam, displayName: 'elsewhere', type: 'O', creatorId: h.admin.id, now: h.clock!.now() });
      const tooMany = Array.from({ length: 65 }, (_, i) => `https://example.com/${i}`);
      const cases: Array<[Record<string, unknown>, RegExp]> = [
        [{ id: 'a'.repeat(26), title: 'x', team_id: h.teamId }, /id/],
        [{ title: '   ', team_id: h.teamId }, /title/],
        [{ team_id: h.teamId }, /title/],
        [{ title: 5, team_id: h.teamId }, /title/],
        [{ title: 'x' }, /team_id/],
        [{ title: 'x', team_id: '' }, /team_id/],
        [{ title: 'x', team_id: 'short' }, /team_id/],
        [{ title: 'x', team_id: h.teamId, webhook_on_creation_url: 'ftp://example.com/x' }, /webhook_on_creation_url/],
        [{ title: 'x', team_id: h.teamId, webhook_on_creation_urls: ['/relative'] }, /webhook_on_creation_urls/],
        [{ title: 'x', team_id: h.teamId, webhook_on_status_update_urls: ['not a url'] }, /webhook_on_status_update_urls/],
        [{ title: 'x', team_id: h.teamId, webhook_on_creation_urls: tooMany }, /webhook_on_creation_urls/],
        [{ title: 'x', team_id: h.teamId, reminder_timer_default_seconds: -1 }, /reminder_timer_default_seconds/],
        [{ title: 'x', team_id: h.teamId, reminder_timer_default_seconds: '60' }, /reminder_timer_default_seconds/],
        [{ title: 'x', team_id: h.teamId, broadcast_channel_ids: [foreignChannel] }, /broadcast_channel_ids/],
        [{ title: 'x', team_id: h.teamId, broadcast_channel_ids: ['z'.repeat(26)] }, /broadcast_channel_ids/],
        [{ title: 'x', team_id: h.teamId, member_ids: ['z'.repeat(26)] }, /member_ids/],
        [{ title: 'x', team_id: h.teamId, members: [{ user_id: member.id, roles: ['owner'] }] }, /members/],
        [{ title: 'x', team_id: h.teamId, default_owner_enabled: 'yes' }, /default_owner_enabled/],
        [{ title: 'x', team_id: h.teamId, public: 'true' }, /public/],
        [{ title: 'x', team_id: h.teamId, checklists: [{ items: [] }] }, /checklists/],
        [{ title: 'x', team_id: h.teamId, category_name: 'c'.repeat(23) }, /category_name/],
      ];
      const countBefore = await playbookCount();
      for (const [body, pattern] of cases) {
        const res = await h.post(`${API}/playbooks`, body);
        assert.equal(res.status, 400, `${JSON.stringify(body).slice(0, 120)} → ${res.text}`);
        assert.match(res.body.error, pattern, JSON.stringify(body).slice(0, 120));
      }
      assert.equal(await playbookCount(), countBefore);
    });

    test('POST: a caller outside the team is 403, a team member may create', async () => {
      const res = await h.post(`${API}/playbooks`, { title: 'Not mine', team_id: h.teamId }, outsider.token);
      assert.equal(res.status, 403);
      assert.equal(typeof res.body.error, 'string');
      const id = await create({ title: 'By a member' }, member.token);
      const pb = (await h.get(`${API}/playbooks/${id}`, member.token)).body;
      assert.deepEqual(pb.members, [{ user_id: member.id, roles: ['playbook_member', 'playbook_admin'], scheme_roles: ['member', 'admin'] }]);
    });

    test('GET /playbooks/{id}: unknown is 404, malformed id is 400, no token is 401', async () => {
      const unknown = await h.get(`${API}/playbooks/${'a'.repeat(26)}`);
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error, 'Not found');
      assert.equal((await h.get(`${API}/playbooks/short`)).status, 400);
      const id = await create({ title: 'Auth check' });
      assert.equal((await h.get(`${API}/playbooks/${id}`, null)).status, 401);
    });

    test('PUT replaces the playbook; the URL id wins; members are kept when the body names none', async () => {
      const id = await create({ title: 'Before', public: true, member_ids: [], checklists: [{ title: 'A', items: [{ title: 'one' }] }] });
      const createdAt = h.clock!.now();
      h.clock!.advance(5000);
      const current = (await h.get(`${API}/playbooks/${id}`)).body;
      const body = {
        ...current,
        id: 'b'.repeat(26),
        title: 'After',
        checklists: [{ title: 'B', items: [{ title: 'two', due_date: 60000 }, { title: 'three' }] }, { title: 'C', items: [] }],
        webhook_on_creation_urls: ['https://example.com/new'],
        webhook_on_creation_url: 'https://example.com/stale',
        webhook_on_creation_enabled: true,
        members: undefined,
        member_ids: undefined,
      };
      const res = await h.put(`${API}/playbooks/${id}`, body);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.text, '');
      const pb = (await h.get(`${API}/playbooks/${id}`)).body;
      assert.equal(pb.id, id);
      assert.equal(pb.title, 'After');
      assert.equal(pb.num_stages, 2);
      assert.equal(pb.num_steps, 2);
      assert.equal(pb.checklists[0].items[0].due_date, 60000);
      assert.deepEqual(pb.webhook_on_creation_urls, ['https://example.com/new']);
      assert.equal(pb.create_at, createdAt);
      assert.equal(pb.update_at, createdAt + 5000);
      assert.deepEqual(pb.member_ids, [h.admin.id]);
      assert.equal((await h.get(`${API}/playbooks/${'b'.repeat(26)}`)).status, 404);

      // A GET body sent back unchanged is accepted as is.
      assert.equal((await h.put(`${API}/playbooks/${id}`, pb)).status, 200);
      assert.deepEqual((await h.get(`${API}/playbooks/${id}`)).body, pb);
    });

    test('PUT errors: blank title 400, other team 400, unknown 404, archived 400 "Playbook cannot be modified"', async () => {
      const id = await create({ title: 'Guarded' });
      assert.match((await h.put(`${API}/playbooks/${id}`, { title: ' ' })).body.error, /title/);
      const otherTeam = await h.team();
      const moved = await h.put(`${API}/playbooks/${id}`, { title: 'x', team_id: otherTeam });
      assert.equal(moved.status, 400);
      assert.match(moved.body.error, /team_id/);
      assert.equal((await h.put(`${API}/playbooks/${'c'.repeat(26)}`, { title: 'x' })).status, 404);
      assert.equal((await h.delete(`${API}/playbooks/${id}`)).status, 204);
      const archived = await h.put(`${API}/playbooks/${id}`, { title: 'x' });
      assert.equal(archived.status, 400);
      assert.equal(archived.body.error, 'Playbook cannot be modified');
      assert.equal((await h.get(`${API}/playbooks/${id}`)).body.title, 'Guarded');
    });

    test('member roles can be changed only by playbook admins, team admins and system admins', async () => {
      const editor = await h.user();
      const id = await create({ title: 'Role guard', public: true });
      const current = (await h.get(`${API}/playbooks/${id}`)).body;
      const promote = { ...current, members: [...current.members, { user_id: editor.id, roles: ['playbook_member', 'playbook_admin'] }] };
      const denied = await h.put(`${API}/playbooks/${id}`, promote, editor.token);
      assert.equal(denied.status, 403);
      // Adding a plain member is member management, which any editor of a public playbook may do.
      const addPlain = { ...current, members: [...current.members, { user_id: editor.id, roles: ['playbook_member'] }] };
      assert.equal((await h.put(`${API}/playbooks/${id}`, addPlain, editor.token)).status, 200);
      assert.equal((await h.put(`${API}/playbooks/${id}`, promote)).status, 200);
      const pb = (await h.get(`${API}/playbooks/${id}`)).body;
      assert.deepEqual(pb.members.find((m: any) => m.user_id === editor.id).roles, ['playbook_member', 'playbook_admin']);
    });

    test('DELETE archives (204) and PUT /restore unarchives (200); listing hides archived unless with_archived', async () => {
      const team = await h.team();
      const id = await h.post(`${API}/playbooks`, { title: 'Archivable', team_id: team }).then((r) => r.body.id);
      h.clock!.advance(1000);
      const del = await h.delete(`${API}/playbooks/${id}`);
      assert.equal(del.status, 204);
      assert.equal(del.text, '');
      assert.equal((await h.get(`${API}/playbooks/${id}`)).body.delete_at, h.clock!.now());
      assert.equal((await h.get(`${API}/playbooks?team_id=${team}`)).body.total_count, 0);
      const withArchived = await h.get(`${API}/playbooks?team_id=${team}&with_archived=true`);
      assert.deepEqual(withArchived.body.items.map((p: any) => p.id), [id]);
      const restored = await h.put(`${API}/playbooks/${id}/restore`);
      assert.equal(restored.status, 200);
      assert.equal((await h.get(`${API}/playbooks/${id}`)).body.delete_at, 0);
      assert.equal((await h.get(`${API}/playbooks?team_id=${team}`)).body.total_count, 1);
      assert.equal((await h.delete(`${API}/playbooks/${'d'.repeat(26)}`)).status, 404);
      assert.equal((await h.put(`${API}/playbooks/${'d'.repeat(26)}/restore`)).status, 404);
    });

    test('GET /playbooks pages like the real server', async () => {
      const team = await h.team();
      for (const title of ['A', 'B', 'C']) await h.post(`${API}/playbooks`, { title, team_id: team });
      const page0 = await h.get(`${API}/playbooks?team_id=${team}&page=0&per_page=2`);
      assert.equal(page0.status, 200);
      assert.equal(page0.headers.get('content-type'), 'application/json');
      assert.deepEqual(
        { total: page0.body.total_count, pages: page0.body.page_count, more: page0.body.has_more, n: page0.body.items.length },
        { total: 3, pages: 2, more: true, n: 2 },
      );
      const page1 = await h.get(`${API}/playbooks?team_id=${team}&page=1&per_page=2`);
      assert.equal(page1.body.has_more, false);
      assert.deepEqual(page1.body.items.map((p: any) => p.title), ['C']);
      const far = await h.get(`${API}/playbooks?team_id=${team}&page=9999&per_page=2`);
      assert.equal(far.status, 200);
      assert.deepEqual(far.body.items, []);
      for (const query of ['per_page=0', 'per_page=', 'page=&per_page=']) {
        const all = await h.get(`${API}/playbooks?team_id=${team}&${query}`);
        assert.equal(all.status, 200, query);
        assert.equal(all.body.items.length, 3, query);
        assert.equal(all.body.page_count, 1, query);
      }
      const badQueries: Array<[string, string]> = [
        ['page=-1', 'page'],
        ['page=abc', 'page'],
        ['page=1.5', 'page'],
        ['page=99999999999999999999', 'page'],
        ['per_page=-1', 'per_page'],
        ['with_archived=maybe', 'with_archived'],
        ['team_id=nope', 'team_id'],
      ];
      for (const [query, field] of badQueries) {
        const url = query.startsWith('team_id') ? `${API}/playbooks?${query}` : `${API}/playbooks?team_id=${team}&${query}`;
        const res = await h.get(url);
        assert.equal(res.status, 400, query);
        assert.match(res.body.error, new RegExp(field), query);
      }
    });

    test('GET /playbooks sorts by title, stages, steps, runs and last_run_at, case-insensitively', async () => {
      const team = await h.team();
      const make = async (title: string, checklists: unknown[]) =>
        (await h.post(`${API}/playbooks`, { title, team_id: team, checklists })).body.id as string;
      const a = await make('alpha', [{ title: '1', items: [{ title: 'x' }, { title: 'y' }, { title: 'z' }] }]);
      const b = await make('Bravo', [{ title: '1', items: [] }, { title: '2', items: [] }]);
      const c = await make('charlie', [{ title: '1', items: [{ title: 'x' }] }, { title: '2', items: [] }, { title: '3', items: [{ title: 'y' }] }]);
      // Runs: bravo twice (the later one last), alpha once.
      for (const playbookId of [b, a, b]) {
        h.clock!.advance(1000);
        const run = await h.post(`${API}/runs`, { name: 'run', owner_user_id: h.admin.id, team_id: team, playbook_id: playbookId });
        assert.equal(run.status, 201, run.text);
      }
      const order = async (query: string) => {
        const res = await h.get(`${API}/playbooks?team_id=${team}&${query}`);
        assert.equal(res.status, 200, `${query}: ${res.text}`);
        return res.body.items.map((p: any) => p.id);
      };
      assert.deepEqual(await order(''), [a, b, c]);
      assert.deepEqual(await order('sort=TITLE&direction=DESC'), [c, b, a]);
      assert.deepEqual(await order('sort=stages'), [a, b, c]);
      assert.deepEqual(await order('sort=stages&direction=desc'), [c, b, a]);
      assert.deepEqual(await order('sort=steps'), [b, c, a]);
      assert.deepEqual(await order('sort=runs&direction=desc'), [b, a, c]);
      assert.deepEqual(await order('sort=last_run_at'), [c, a, b]);
      const items = (await h.get(`${API}/playbooks?team_id=${team}&sort=title`)).body.items;
      assert.deepEqual(items.map((p: any) => [p.num_stages, p.num_steps, p.num_runs, p.active_runs]), [[1, 3, 1, 1], [2, 0, 2, 2], [3, 2, 0, 0]]);
      assert.equal(items[1].last_run_at, h.clock!.now());
      assert.equal(items[2].last_run_at, 0);
      assert.equal(items[0].checklists[0].items.length, 3);

      const badSort = await h.get(`${API}/playbooks?team_id=${team}&sort=test`);
      assert.equal(badSort.status, 400);
      assert.match(badSort.body.error, /sort/);
      assert.match(badSort.body.error, /test/);
      const badDirection = await h.get(`${API}/playbooks?team_id=${team}&direction=up`);
      assert.equal(badDirection.status, 400);
      assert.match(badDirection.body.error, /direction/);

      const search = await h.get(`${API}/playbooks?team_id=${team}&search_term=RAV`);
      assert.deepEqual(search.body.items.map((p: any) => p.id), [b]);
      const literal = await h.get(`${API}/playbooks?team_id=${team}&search_term=%25`);
      assert.deepEqual(literal.body.items, []);
    });

    test('permission matrix: public playbooks for the team, private ones for members and admins', async () => {
      const team = await h.team();
      const owner = await h.user(undefined, { team });
      const teammate = await h.user(undefined, { team });
      const privateMember = await h.user(undefined, { team });
      const stranger = await h.user(undefined, { team: h.teamId }); // on another team only
      const publicId = (await h.post(`${API}/playbooks`, { title: 'Open', team_id: team, public: true }, owner.token)).body.id;
      const privateId = (
        await h.post(`${API}/playbooks`, { title: 'Closed', team_id: team, public: false, members: [{ user_id: privateMember.id, roles: ['playbook_member'] }] }, owner.token)
      ).body.id;

      // Public: any team member may view and edit; a non-team user may not.
      assert.equal((await h.get(`${API}/playbooks/${publicId}`, teammate.token)).status, 200);
      assert.equal((await h.put(`${API}/playbooks/${publicId}`, { title: 'Open (edited)' }, teammate.token)).status, 200);
      assert.equal((await h.get(`${API}/playbooks/${publicId}`, stranger.token)).status, 403);
      assert.equal((await h.put(`${API}/playbooks/${publicId}`, { title: 'nope' }, stranger.token)).status, 403);
      assert.equal((await h.delete(`${API}/playbooks/${publicId}`, stranger.token)).status, 403);
      assert.equal((await h.get(`${API}/playbooks/${publicId}`, outsider.token)).status, 403);

      // Private: members and admins only.
      assert.equal((await h.get(`${API}/playbooks/${privateId}`, privateMember.token)).status, 200);
      assert.equal((await h.get(`${API}/playbooks/${privateId}`, h.admin.token)).status, 200);
      const denied = await h.get(`${API}/playbooks/${privateId}`, teammate.token);
      assert.equal(denied.status, 403);
      assert.equal(typeof denied.body.error, 'string');
      assert.equal((await h.put(`${API}/playbooks/${privateId}`, { title: 'nope' }, teammate.token)).status, 403);
      assert.equal((await h.delete(`${API}/playbooks/${privateId}`, teammate.token)).status, 403);
      assert.equal((await h.get(`${API}/playbooks/${privateId}`)).body.title, 'Closed');

      // Listing respects it.
      const ids = async (token: string, query = `team_id=${team}`) =>
        (await h.get(`${API}/playbooks?${query}`, token)).body.items.map((p: any) => p.id).sort();
      assert.deepEqual(await ids(teammate.token), [publicId]);
      assert.deepEqual(await ids(teammate.token, ''), [publicId]);
      assert.deepEqual(await ids(privateMember.token), [publicId, privateId].sort());
      assert.deepEqual(await ids(h.admin.token), [publicId, privateId].sort());
      assert.equal((await h.get(`${API}/playbooks?team_id=${team}`, stranger.token)).status, 403);
      assert.ok(!(await ids(stranger.token, '')).includes(publicId));
      assert.deepEqual(await ids(outsider.token, ''), []);
    });

    test('autofollows: a bare array; self or admin may change it; the user must see the playbook', async () => {
      const id = await create({ title: 'Followed', public: true });
      const empty = await h.get(`${API}/playbooks/${id}/autofollows`, member.token);
      assert.equal(empty.status, 200);
      assert.equal(empty.headers.get('content-type'), 'application/json');
      assert.deepEqual(empty.body, []);

      assert.equal((await h.put(`${API}/playbooks/${id}/autofollows/${member.id}`, undefined, member.token)).status, 200);
      assert.equal((await h.put(`${API}/playbooks/${id}/autofollows/${member.id}`, undefined, member.token)).status, 200);
      assert.deepEqual((await h.get(`${API}/playbooks/${id}/autofollows`)).body, [member.id]);

      const other = await h.user();
      assert.equal((await h.put(`${API}/playbooks/${id}/autofollows/${other.id}`, undefined, member.token)).status, 403);
      assert.equal((await h.delete(`${API}/playbooks/${id}/autofollows/${member.id}`, other.token)).status, 403);
      assert.equal((await h.put(`${API}/playbooks/${id}/autofollows/${other.id}`)).status, 200);
      assert.deepEqual([...(await h.get(`${API}/playbooks/${id}/autofollows`)).body].sort(), [member.id, other.id].sort());

      assert.equal((await h.delete(`${API}/playbooks/${id}/autofollows/${member.id}`, member.token)).status, 200);
      assert.deepEqual((await h.get(`${API}/playbooks/${id}/autofollows`)).body, [other.id]);

      // An outsider cannot see the playbook, so cannot follow it, even when an admin asks.
      assert.equal((await h.put(`${API}/playbooks/${id}/autofollows/${outsider.id}`)).status, 403);
      assert.equal((await h.put(`${API}/playbooks/${id}/autofollows/${outsider.id}`, undefined, outsider.token)).status, 403);
      assert.equal((await h.get(`${API}/playbooks/${id}/autofollows`, outsider.token)).status, 403);
      assert.equal((await h.get(`${API}/playbooks/${'e'.repeat(26)}/autofollows`)).status, 404);
      assert.equal((await h.put(`${API}/playbooks/${'e'.repeat(26)}/autofollows/${member.id}`, undefined, member.token)).status, 404);
      assert.equal((await h.put(`${API}/playbooks/${id}/autofollows/${'f'.repeat(26)}`)).status, 404);
    });

    test('the playbook paths answer under the legacy prefixes too', async () => {
      const id = await create({ title: 'Prefixes' });
      for (const prefix of ['/plugins/com.mattermost.plugin-incident-management/api/v0', '/api/v0']) {
        assert.equal((await h.get(`${prefix}/playbooks/${id}`)).status, 200, prefix);
      }
    });
  });
}
