import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newId } from '../../src/lib/ids.ts';
import { channelsRepo } from '../../src/store/channels.repo.ts';
import { startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';

const V4 = '/api/v4';
const UNKNOWN_ID = 'a'.repeat(26);

/** A 400 whose message names the field, in the `{error, details}` form. */
function assertBadRequest(res: { status: number; body: any }, field: string): void {
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.match(res.body.error, new RegExp(field));
  assert.equal(typeof res.body.details, 'string');
}

for (const kind of testDatabases()) {
  describe(`${kind}: Mattermost v4 identity`, () => {
    let h: Harness;
    let alice: TestUser; // a member of the default team
    let bob: TestUser; // in no team

    before(async () => {
      h = await startHarness(kind);
      alice = await h.user('alice');
      bob = await h.user('bob', { team: false });
    });
    after(async () => {
      await h.close();
    });

    describe('authentication', () => {
      test('GET /users/me answers the caller, never the password hash', async () => {
        const res = await h.get(`${V4}/users/me`, alice.token);
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), 'application/json');
        assert.equal(res.body.id, alice.id);
        assert.equal(res.body.username, 'alice');
        assert.equal(res.body.roles, 'system_user');
        assert.equal(res.body.password_hash, undefined);
        assert.equal(res.body.password, undefined);
        const admin = await h.get(`${V4}/users/me`);
        assert.equal(admin.body.roles, 'system_admin system_user');
      });

      test('the Token scheme works as well as Bearer, in any case', async () => {
        for (const scheme of ['Token', 'token', 'Bearer', 'BEARER']) {
          const res = await h.request('GET', `${V4}/users/me`, { token: null, headers: { authorization: `${scheme} ${alice.token}` } });
          assert.equal(res.status, 200, scheme);
          assert.equal(res.body.id, alice.id);
        }
      });

      test('no token, an unknown token or a malformed header is a JSON 401', async () => {
        const none = await h.get(`${V4}/users/me`, null);
        assert.equal(none.status, 401);
        assert.ok(none.body.error && none.body.details);
        assert.equal((await h.get(`${V4}/users/me`, 'mst_not-a-real-token')).status, 401);
        const basic = await h.request('GET', `${V4}/users/me`, { token: null, headers: { authorization: 'Basic YWxpY2U6eA==' } });
        assert.equal(basic.status, 401);
        assert.match(basic.body.error, /Bearer/);
      });

      test('every route but login is a 401 without a token', async () => {
        const id = alice.id;
        const routes: Array<[string, string, unknown?]> = [
          ['GET', `${V4}/users/me`],
          ['GET', `${V4}/users/me/teams`],
          ['GET', `${V4}/users/${id}`],
          ['GET', `${V4}/users`],
          ['POST', `${V4}/users`, { username: 'anon', email: 'anon@example.com', password: 'password-123' }],
          ['POST', `${V4}/teams`, { name: 'anon', display_name: 'Anon' }],
          ['GET', `${V4}/teams/${h.teamId}`],
          ['POST', `${V4}/teams/${h.teamId}/members`, { team_id: h.teamId, user_id: id }],
          ['GET', `${V4}/channels/${UNKNOWN_ID}`],
          ['GET', `${V4}/channels/${UNKNOWN_ID}/posts`],
          ['POST', `${V4}/users/${id}/tokens`, { description: 'x' }],
          ['GET', `${V4}/users/${id}/tokens`],
          ['POST', `${V4}/users/tokens/revoke`, { token_id: UNKNOWN_ID }],
        ];
        for (const [method, path, body] of routes) {
          const res = await h.request(method, path, { token: null, body });
          assert.equal(res.status, 401, `${method} ${path}`);
          assert.ok(res.body.error && res.body.details, `${method} ${path}`);
        }
      });

      test('GET /users/me/teams lists the caller\'s teams; [] for a user in none', async () => {
        const mine = await h.get(`${V4}/users/me/teams`, alice.token);
        assert.equal(mine.status, 200);
        assert.deepEqual(mine.body.map((t: any) => t.id), [h.teamId]);
        const none = await h.get(`${V4}/users/me/teams`, bob.token);
        assert.deepEqual(none.body, []);
      });
    });

    describe('users', () => {
      test('GET /users/{id}: any signed-in user may look a user up; 404 unknown; 400 malformed', async () => {
        const res = await h.get(`${V4}/users/${alice.id}`, bob.token);
        assert.equal(res.status, 200);
        assert.equal(res.body.id, alice.id);
        assert.equal(res.body.email, 'alice@example.com');
        const unknown = await h.get(`${V4}/users/${UNKNOWN_ID}`);
        assert.equal(unknown.status, 404);
        assert.equal(unknown.body.error, 'Not found');
        assertBadRequest(await h.get(`${V4}/users/not-an-id`), 'id');
        assert.equal((await h.get(`${V4}/users/${alice.id}`, null)).status, 401);
      });

      test('GET /users pages through users ordered by username', async () => {
        const all = await h.get(`${V4}/users?per_page=200`);
        assert.equal(all.status, 200);
        const names = all.body.map((u: any) => u.username);
        assert.ok(names.includes('admin') && names.includes('alice') && names.includes('bob'));
        assert.deepEqual(names, [...names].sort());
        const second = await h.get(`${V4}/users?page=1&per_page=1`);
        assert.equal(second.status, 200);
        assert.deepEqual(second.body.map((u: any) => u.username), [names[1]]);
        const beyond = await h.get(`${V4}/users?page=1000&per_page=10`);
        assert.deepEqual(beyond.body, []);
        assertBadRequest(await h.get(`${V4}/users?per_page=many`), 'per_page');
        assertBadRequest(await h.get(`${V4}/users?page=-1`), 'page');
      });

      test('POST /users: a system admin creates a user (201)', async () => {
        const res = await h.post(`${V4}/users`, {
          username: 'Carol',
          email: 'carol@example.com',
          password: 'correct horse',
          first_name: 'Carol',
          last_name: 'Jones',
          nickname: 'cj',
        });
        assert.equal(res.status, 201);
        assert.equal(res.headers.get('content-type'), 'application/json');
        assert.match(res.body.id, /^[a-z0-9]{26}$/);
        assert.equal(res.body.username, 'carol');
        assert.equal(res.body.first_name, 'Carol');
        assert.equal(res.body.last_name, 'Jones');
        assert.equal(res.body.nickname, 'cj');
        assert.equal(res.body.roles, 'system_user');
        assert.equal(res.body.password_hash, undefined);
        assert.deepEqual((await h.get(`${V4}/users/${res.body.id}`)).body, res.body);
      });

      test('POST /users: 403 for a non-admin, 401 without a token', async () => {
        const body = { username: 'mallory', email: 'mallory@example.com', password: 'password-123' };
        const res = await h.post(`${V4}/users`, body, alice.token);
        assert.equal(res.status, 403);
        assert.ok(res.body.error && res.body.details);
        assert.equal((await h.post(`${V4}/users`, body, null)).status, 401);
        assert.equal((await h.get(`${V4}/users?per_page=200`)).body.some((u: any) => u.username === 'mallory'), false);
      });

      // Mattermost answers 400 for a taken username or email (not 409); Muster follows it.
      test('POST /users: a taken username or email is a 400 naming the field', async () => {
        assertBadRequest(await h.post(`${V4}/users`, { username: 'alice', email: 'other@example.com', password: 'password-123' }), 'username');
        assertBadRequest(await h.post(`${V4}/users`, { username: 'alice2', email: 'ALICE@example.com', password: 'password-123' }), 'email');
      });

      test('POST /users: bad bodies are 400s naming the field', async () => {
        const ok = { username: 'dave', email: 'dave@example.com', password: 'password-123' };
        const cases: Array<[unknown, string]> = [
          [{ ...ok, username: undefined }, 'username'],
          [{ ...ok, email: undefined }, 'email'],
          [{ ...ok, password: undefined }, 'password'],
          [{ ...ok, username: 5 }, 'username'],
          [{ ...ok, username: '1nvalid name' }, 'username'],
          [{ ...ok, email: 'not-an-email' }, 'email'],
          [{ ...ok, password: 'short' }, 'password'],
          [{ ...ok, nickname: true }, 'nickname'],
        ];
        for (const [body, field] of cases) assertBadRequest(await h.post(`${V4}/users`, body), field);
        assertBadRequest(await h.post(`${V4}/users`, '{"username":'), 'body');
        assert.equal((await h.get(`${V4}/users?per_page=200`)).body.some((u: any) => u.username === 'dave'), false);
      });
    });

    describe('login', () => {
      before(async () => {
        const res = await h.post(`${V4}/users`, { username: 'erin', email: 'erin@example.com', password: 'erin-password' });
        assert.equal(res.status, 201);
      });

      test('POST /users/login is public and returns the user with a Token header that authenticates', async () => {
        for (const loginId of ['erin', 'ERIN@example.com']) {
          const res = await h.post(`${V4}/users/login`, { login_id: loginId, password: 'erin-password' }, null);
          assert.equal(res.status, 200, loginId);
          assert.equal(res.headers.get('content-type'), 'application/json');
          assert.equal(res.body.username, 'erin');
          const token = res.headers.get('token');
          assert.ok(token, 'Token header');
          assert.match(res.headers.get('set-cookie') ?? '', /^MMAUTHTOKEN=/);
          const me = await h.get(`${V4}/users/me`, token);
          assert.equal(me.status, 200);
          assert.equal(me.body.id, res.body.id);
        }
      });

      test('a wrong password, an unknown login, or a user without a password is a 401', async () => {
        const wrong = await h.post(`${V4}/users/login`, { login_id: 'erin', password: 'not-her-password' }, null);
        assert.equal(wrong.status, 401);
        assert.ok(wrong.body.error && wrong.body.details);
        assert.equal(wrong.headers.get('token'), null);
        assert.equal((await h.post(`${V4}/users/login`, { login_id: 'nobody', password: 'erin-password' }, null)).status, 401);
        // The Playbooks bot has no password at all.
        assert.equal((await h.post(`${V4}/users/login`, { login_id: 'playbooks', password: 'anything-at-all' }, null)).status, 401);
      });

      test('a bad login body is a 400 naming the field', async () => {
        assertBadRequest(await h.post(`${V4}/users/login`, { login_id: 'erin' }, null), 'password');
        assertBadRequest(await h.post(`${V4}/users/login`, { login_id: 7, password: 'erin-password' }, null), 'login_id');
      });
    });

    describe('teams', () => {
      test('POST /teams: an admin creates a team (201); name is normalised', async () => {
        const res = await h.post(`${V4}/teams`, { name: 'Platform', display_name: 'Platform team', type: 'I' });
        assert.equal(res.status, 201);
        assert.equal(res.headers.get('content-type'), 'application/json');
        assert.match(res.body.id, /^[a-z0-9]{26}$/);
        assert.equal(res.body.name, 'platform');
        assert.equal(res.body.display_name, 'Platform team');
        assert.equal(res.body.type, 'I');
        assert.equal(res.body.allow_open_invite, false);
        // As in Mattermost, a team is invite only unless created open (Muster's default was open before).
        const unsaid = await h.post(`${V4}/teams`, { name: 'ops', display_name: 'Ops' });
        assert.equal(unsaid.status, 201);
        assert.equal(unsaid.body.type, 'I');
        const open = await h.post(`${V4}/teams`, { name: 'ops2', display_name: 'Ops', type: 'O' });
        assert.equal(open.status, 201);
        assert.equal(open.body.type, 'O');
      });

      test('POST /teams: 403 non-admin, 401 anonymous, 400 taken name or bad body', async () => {
        assert.equal((await h.post(`${V4}/teams`, { name: 'mine', display_name: 'Mine' }, alice.token)).status, 403);
        assert.equal((await h.post(`${V4}/teams`, { name: 'mine', display_name: 'Mine' }, null)).status, 401);
        assertBadRequest(await h.post(`${V4}/teams`, { name: 'incidents', display_name: 'Again' }), 'name');
        assertBadRequest(await h.post(`${V4}/teams`, { name: 'x y', display_name: 'Bad' }), 'name');
        assertBadRequest(await h.post(`${V4}/teams`, { name: 'fine', display_name: '   ' }), 'display_name');
        assertBadRequest(await h.post(`${V4}/teams`, { name: 'fine' }), 'display_name');
        assertBadRequest(await h.post(`${V4}/teams`, { name: 'fine', display_name: 'Fine', type: 'P' }), 'type');
      });

      test('GET /teams/{id}: open teams are visible to all, invite-only ones to members and admins', async () => {
        const closed = (await h.post(`${V4}/teams`, { name: 'secret', display_name: 'Secret', type: 'I' })).body;
        const open = (await h.post(`${V4}/teams`, { name: 'lobby', display_name: 'Lobby', type: 'O' })).body;
        const seen = await h.get(`${V4}/teams/${open.id}`, bob.token);
        assert.equal(seen.status, 200);
        assert.deepEqual(seen.body, open);
        assert.equal((await h.get(`${V4}/teams/${closed.id}`, bob.token)).status, 403);
        assert.equal((await h.get(`${V4}/teams/${closed.id}`)).status, 200);
        assert.equal((await h.get(`${V4}/teams/${h.teamId}`, alice.token)).status, 200);
        const unknown = await h.get(`${V4}/teams/${UNKNOWN_ID}`);
        assert.equal(unknown.status, 404);
        assert.equal(unknown.body.error, 'Not found');
        assertBadRequest(await h.get(`${V4}/teams/short`), 'id');
        assert.equal((await h.get(`${V4}/teams/${open.id}`, null)).status, 401);
      });

      test('POST /teams/{id}/members adds a user (201) and the team shows in their teams', async () => {
        const team = (await h.post(`${V4}/teams`, { name: 'sre', display_name: 'SRE', type: 'I' })).body;
        const res = await h.post(`${V4}/teams/${team.id}/members`, { team_id: team.id, user_id: bob.id });
        assert.equal(res.status, 201);
        assert.equal(res.headers.get('content-type'), 'application/json');
        assert.equal(res.body.team_id, team.id);
        assert.equal(res.body.user_id, bob.id);
        assert.equal(res.body.roles, 'team_user');
        const teams = await h.get(`${V4}/users/me/teams`, bob.token);
        assert.ok(teams.body.some((t: any) => t.id === team.id));
        assert.equal((await h.get(`${V4}/teams/${team.id}`, bob.token)).status, 200);
      });

      test('POST /teams/{id}/members: errors', async () => {
        const team = (await h.post(`${V4}/teams`, { name: 'dba', display_name: 'DBA', type: 'I' })).body;
        const path = `${V4}/teams/${team.id}/members`;
        assertBadRequest(await h.post(path, { team_id: h.teamId, user_id: bob.id }), 'team_id');
        assertBadRequest(await h.post(path, { team_id: team.id }), 'user_id');
        assertBadRequest(await h.post(path, { team_id: team.id, user_id: 'bob' }), 'user_id');
        assert.equal((await h.post(`${V4}/teams/${UNKNOWN_ID}/members`, { team_id: UNKNOWN_ID, user_id: bob.id })).status, 404);
        assert.equal((await h.post(path, { team_id: team.id, user_id: UNKNOWN_ID })).status, 404);
        // Only admins add others to an invite-only team; users may join open teams themselves.
        assert.equal((await h.post(path, { team_id: team.id, user_id: alice.id }, alice.token)).status, 403);
        assert.equal((await h.post(path, { team_id: team.id, user_id: bob.id }, null)).status, 401);
        const unsaid = (await h.post(`${V4}/teams`, { name: 'quiet', display_name: 'Quiet' })).body;
        assert.equal((await h.post(`${V4}/teams/${unsaid.id}/members`, { team_id: unsaid.id, user_id: alice.id }, alice.token)).status, 403);
        const outsider = await h.user(undefined, { team: false });
        const bootstrapTeam = `${V4}/teams/${h.teamId}/members`;
        assert.equal((await h.post(bootstrapTeam, { team_id: h.teamId, user_id: outsider.id }, outsider.token)).status, 403);
        const open = (await h.post(`${V4}/teams`, { name: 'everyone', display_name: 'Everyone', type: 'O' })).body;
        const joined = await h.post(`${V4}/teams/${open.id}/members`, { team_id: open.id, user_id: alice.id }, alice.token);
        assert.equal(joined.status, 201);
        assert.equal((await h.get(`${V4}/users/me/teams`, alice.token)).body.some((t: any) => t.id === open.id), true);
      });
    });

    describe('channels', () => {
      let publicChannel: string;
      let privateChannel: string;
      let carol: TestUser; // in the default team, not in the private channel
      const posts: string[] = []; // oldest first

      before(async () => {
        carol = await h.user('carol2');
        const now = Date.UTC(2026, 0, 1);
        publicChannel = newId();
        privateChannel = newId();
        await channelsRepo.insert(h.ctx.db, {
          id: publicChannel,
          team_id: h.teamId,
          name: 'war-room',
          display_name: 'War room',
          type: 'O',
          header: 'the header',
          purpose: 'the purpose',
          creator_id: h.admin.id,
          create_at: now,
          update_at: now + 1,
        });
        await channelsRepo.insert(h.ctx.db, {
          id: privateChannel,
          team_id: h.teamId,
          name: 'private-room',
          display_name: 'Private room',
          type: 'P',
          creator_id: h.admin.id,
          create_at: now,
          update_at: now,
        });
        await channelsRepo.addMember(h.ctx.db, privateChannel, alice.id, now);
        for (let i = 0; i < 3; i++) {
          const id = newId();
          await channelsRepo.insertPost(h.ctx.db, {
            id,
            channel_id: publicChannel,
            user_id: alice.id,
            message: `message ${i}`,
            props: { n: i },
            create_at: now + i * 1000,
          });
          posts.push(id);
        }
        const deleted = newId();
        await channelsRepo.insertPost(h.ctx.db, { id: deleted, channel_id: publicChannel, user_id: alice.id, message: 'gone', create_at: now + 5000 });
        await channelsRepo.deletePost(h.ctx.db, deleted, now + 6000);
      });

      test('GET /channels/{id} answers the channel in Mattermost form', async () => {
        const res = await h.get(`${V4}/channels/${publicChannel}`, alice.token);
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), 'application/json');
        assert.deepEqual(res.body, {
          id: publicChannel,
          create_at: Date.UTC(2026, 0, 1),
          update_at: Date.UTC(2026, 0, 1) + 1,
          delete_at: 0,
          team_id: h.teamId,
          type: 'O',
          display_name: 'War room',
          name: 'war-room',
          header: 'the header',
          purpose: 'the purpose',
          creator_id: h.admin.id,
        });
      });

      test('GET /channels/{id}: admins, members, and team members of public channels; else 403', async () => {
        assert.equal((await h.get(`${V4}/channels/${publicChannel}`)).status, 200);
        assert.equal((await h.get(`${V4}/channels/${publicChannel}`, carol.token)).status, 200);
        assert.equal((await h.get(`${V4}/channels/${publicChannel}`, bob.token)).status, 403);
        assert.equal((await h.get(`${V4}/channels/${privateChannel}`, alice.token)).status, 200);
        assert.equal((await h.get(`${V4}/channels/${privateChannel}`)).status, 200);
        const denied = await h.get(`${V4}/channels/${privateChannel}`, carol.token);
        assert.equal(denied.status, 403);
        assert.ok(denied.body.error && denied.body.details);
        assert.equal((await h.get(`${V4}/channels/${UNKNOWN_ID}`)).status, 404);
        assertBadRequest(await h.get(`${V4}/channels/nope`), 'id');
        assert.equal((await h.get(`${V4}/channels/${publicChannel}`, null)).status, 401);
      });

      test('GET /channels/{id}/posts: newest first, deleted posts left out, paged', async () => {
        const res = await h.get(`${V4}/channels/${publicChannel}/posts`, carol.token);
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), 'application/json');
        assert.deepEqual(res.body.order, [...posts].reverse());
        assert.deepEqual(Object.keys(res.body.posts).sort(), [...posts].sort());
        const first = res.body.posts[posts[0]!];
        assert.equal(first.message, 'message 0');
        assert.equal(first.channel_id, publicChannel);
        assert.equal(first.user_id, alice.id);
        assert.equal(first.root_id, '');
        assert.equal(first.type, '');
        assert.deepEqual(first.props, { n: 0 });
        assert.equal(first.create_at, Date.UTC(2026, 0, 1));
        assert.equal(first.delete_at, 0);
        const page = await h.get(`${V4}/channels/${publicChannel}/posts?page=1&per_page=2`);
        assert.deepEqual(page.body.order, [posts[0]]);
        const empty = await h.get(`${V4}/channels/${privateChannel}/posts`, alice.token);
        assert.deepEqual(empty.body, { order: [], posts: {} });
      });

      test('GET /channels/{id}/posts: same visibility rule and errors', async () => {
        assert.equal((await h.get(`${V4}/channels/${publicChannel}/posts`, bob.token)).status, 403);
        assert.equal((await h.get(`${V4}/channels/${privateChannel}/posts`, carol.token)).status, 403);
        assert.equal((await h.get(`${V4}/channels/${UNKNOWN_ID}/posts`)).status, 404);
        assert.equal((await h.get(`${V4}/channels/${publicChannel}/posts`, null)).status, 401);
        assertBadRequest(await h.get(`${V4}/channels/${publicChannel}/posts?per_page=x`), 'per_page');
      });
    });

    describe('personal access tokens', () => {
      test('a user creates a token for themselves (200) and it authenticates; "me" works too', async () => {
        const res = await h.post(`${V4}/users/${alice.id}/tokens`, { description: 'ci' }, alice.token);
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), 'application/json');
        assert.match(res.body.id, /^[a-z0-9]{26}$/);
        assert.equal(res.body.user_id, alice.id);
        assert.equal(res.body.description, 'ci');
        assert.equal(typeof res.body.create_at, 'number');
        assert.equal(typeof res.body.token, 'string');
        const me = await h.get(`${V4}/users/me`, res.body.token);
        assert.equal(me.body.id, alice.id);
        const viaMe = await h.post(`${V4}/users/me/tokens`, { description: 'laptop' }, alice.token);
        assert.equal(viaMe.status, 200);
        assert.equal(viaMe.body.user_id, alice.id);
      });

      test('only admins create tokens for others; errors', async () => {
        assert.equal((await h.post(`${V4}/users/${bob.id}/tokens`, { description: 'x' }, alice.token)).status, 403);
        const forBob = await h.post(`${V4}/users/${bob.id}/tokens`, { description: 'by admin' });
        assert.equal(forBob.status, 200);
        assert.equal((await h.get(`${V4}/users/me`, forBob.body.token)).body.id, bob.id);
        assert.equal((await h.post(`${V4}/users/${UNKNOWN_ID}/tokens`, { description: 'x' })).status, 404);
        assertBadRequest(await h.post(`${V4}/users/${alice.id}/tokens`, {}, alice.token), 'description');
        assertBadRequest(await h.post(`${V4}/users/${alice.id}/tokens`, { description: '' }, alice.token), 'description');
        assertBadRequest(await h.post(`${V4}/users/${alice.id}/tokens`, { description: 3 }, alice.token), 'description');
        assertBadRequest(await h.post(`${V4}/users/not-an-id/tokens`, { description: 'x' }), 'id');
        assert.equal((await h.post(`${V4}/users/${alice.id}/tokens`, { description: 'x' }, null)).status, 401);
      });

      test('GET /users/{id}/tokens lists tokens without their secrets', async () => {
        const issued = (await h.post(`${V4}/users/${alice.id}/tokens`, { description: 'listed' }, alice.token)).body;
        const res = await h.get(`${V4}/users/${alice.id}/tokens`, alice.token);
        assert.equal(res.status, 200);
        const listed = res.body.find((t: any) => t.id === issued.id);
        assert.deepEqual(listed, { id: issued.id, user_id: alice.id, description: 'listed', create_at: issued.create_at, is_active: true });
        assert.ok(res.body.every((t: any) => t.token === undefined && t.token_hash === undefined));
        assert.equal(!res.text.includes(issued.token), true);
        assert.deepEqual((await h.get(`${V4}/users/me/tokens`, alice.token)).body, res.body);
        assert.deepEqual((await h.get(`${V4}/users/${alice.id}/tokens`)).body, res.body);
        assert.equal((await h.get(`${V4}/users/${alice.id}/tokens`, bob.token)).status, 403);
        assert.equal((await h.get(`${V4}/users/${UNKNOWN_ID}/tokens`)).status, 404);
        assert.equal((await h.get(`${V4}/users/${alice.id}/tokens`, null)).status, 401);
      });

      test('POST /users/tokens/revoke: the revoked token is a 401 from then on', async () => {
        const issued = (await h.post(`${V4}/users/${alice.id}/tokens`, { description: 'short-lived' }, alice.token)).body;
        assert.equal((await h.get(`${V4}/users/me`, issued.token)).status, 200);
        // Someone else's token is not found for a non-admin: its existence is not revealed.
        assert.equal((await h.post(`${V4}/users/tokens/revoke`, { token_id: issued.id }, bob.token)).status, 404);
        assert.equal((await h.get(`${V4}/users/me`, issued.token)).status, 200);
        const res = await h.post(`${V4}/users/tokens/revoke`, { token_id: issued.id }, alice.token);
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, { status: 'OK' });
        const revoked = await h.get(`${V4}/users/me`, issued.token);
        assert.equal(revoked.status, 401);
        assert.ok(revoked.body.error && revoked.body.details);
        const listed = (await h.get(`${V4}/users/${alice.id}/tokens`, alice.token)).body.find((t: any) => t.id === issued.id);
        assert.equal(listed.is_active, false);
        // The caller's own session still works.
        assert.equal((await h.get(`${V4}/users/me`, alice.token)).status, 200);
      });

      test('an admin may revoke anyone\'s token; revoke errors', async () => {
        const issued = (await h.post(`${V4}/users/${bob.id}/tokens`, { description: 'admin revokes' }, bob.token)).body;
        assert.equal((await h.post(`${V4}/users/tokens/revoke`, { token_id: issued.id })).status, 200);
        assert.equal((await h.get(`${V4}/users/me`, issued.token)).status, 401);
        assert.equal((await h.post(`${V4}/users/tokens/revoke`, { token_id: UNKNOWN_ID })).status, 404);
        assertBadRequest(await h.post(`${V4}/users/tokens/revoke`, { token_id: 'x' }), 'token_id');
        assertBadRequest(await h.post(`${V4}/users/tokens/revoke`, {}), 'token_id');
        assert.equal((await h.post(`${V4}/users/tokens/revoke`, { token_id: issued.id }, null)).status, 401);
      });

      test('a session from login is not a personal access token: it is listed and revoked under /sessions', async () => {
        const login = await h.post(`${V4}/users/login`, { login_id: 'alice', password: 'password-123' }, null);
        assert.equal(login.status, 200);
        const session = login.headers.get('token')!;
        const tokens = (await h.get(`${V4}/users/me/tokens`, session)).body;
        assert.equal(tokens.some((t: any) => t.description === 'session'), false);
        const sessions = (await h.get(`${V4}/users/me/sessions`, session)).body;
        assert.equal(sessions.length, 1);
        const revoke = await h.post(`${V4}/users/me/sessions/revoke`, { session_id: sessions[0].id }, session);
        assert.equal(revoke.status, 200);
        assert.equal((await h.get(`${V4}/users/me`, session)).status, 401);
      });
    });
  });
}
