import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, testDatabases, type Harness, type Response } from '../helpers/harness.ts';

// Requests exactly as the real clients send them (playbooks-api notes §7): the Go client at v0.7.0
// (`<base>/plugins/playbooks/api/v0/...`, Bearer token, Go's JSON with zero values and nil slices as null)
// and the webapp (cookie session + X-Requested-With, repeated `statuses`).
const GO = '/plugins/playbooks/api/v0';

function goHeaders(token: string): Record<string, string> {
  return {
    authorization: `Bearer ${token}`,
    'x-requested-with': 'XMLHttpRequest',
    'user-agent': 'mattermost-7.1.0',
    'accept-encoding': 'gzip',
  };
}

for (const kind of testDatabases()) {
  describe(`${kind}: real client request forms`, () => {
    let h: Harness;
    let go: (method: string, path: string, body?: unknown) => Promise<Response<any>>;
    before(async () => {
      h = await startHarness(kind);
      go = (method, path, body) => h.request(method, GO + path, { body, token: null, headers: goHeaders(h.admin.token) });
    });
    after(async () => {
      await h.close();
    });

    test('Go client v0.7.0: playbooks Create/Get/List/Update/Archive', async () => {
      // Go marshals every field of the Playbook struct, zero values and nil slices (null) included.
      const playbook = {
        id: '',
        title: 'Go playbook',
        description: '',
        team_id: h.teamId,
        create_public_playbook_run: true,
        delete_at: 0,
        num_stages: 0,
        num_steps: 0,
        num_runs: 0,
        num_actions: 0,
        last_run_at: 0,
        checklists: [{ id: '', title: 'Stage 1', items: [{ id: '', title: 'Step', state: '', command: '', description: '' }] }],
        member_ids: null,
        broadcast_channel_ids: null,
        reminder_message_template: '',
        reminder_timer_default_seconds: 86400,
        invited_user_ids: null,
        invited_group_ids: null,
        invite_users_enabled: false,
        default_owner_id: '',
        default_owner_enabled: false,
        broadcast_enabled: false,
        webhook_on_creation_urls: null,
        webhook_on_creation_enabled: false,
        webhook_on_status_update_urls: null,
        webhook_on_status_update_enabled: false,
        message_on_join: '',
        message_on_join_enabled: false,
        retrospective_reminder_interval_seconds: 0,
        retrospective_template: '',
        signal_any_keywords: null,
        signal_any_keywords_enabled: false,
        category_name: '',
        categorize_channel_enabled: false,
      };
      const created = await go('POST', '/playbooks', playbook);
      assert.equal(created.status, 201, created.text);
      const id = created.body.id as string;
      assert.match(id, /^[a-z0-9]{26}$/);
      assert.ok(created.headers.get('location')?.endsWith(`/playbooks/${id}`));

      const got = await go('GET', `/playbooks/${id}`);
      assert.equal(got.status, 200);
      assert.equal(got.body.title, 'Go playbook');
      assert.equal(got.body.checklists[0].items[0].title, 'Step');

      const list = await go('GET', `/playbooks?team_id=${h.teamId}&page=0&per_page=100&sort=title&direction=asc&search_term=&with_archived=false`);
      assert.equal(list.status, 200);
      assert.ok(list.body.items.some((p: any) => p.id === id));

      const updated = await go('PUT', `/playbooks/${id}`, { ...got.body, title: 'Go playbook v2' });
      assert.equal(updated.status, 200, updated.text);
      assert.equal((await go('GET', `/playbooks/${id}`)).body.title, 'Go playbook v2');

      const archived = await go('DELETE', `/playbooks/${id}`);
      assert.equal(archived.status, 204);
      const listed = await go('GET', `/playbooks?team_id=${h.teamId}&page=0&per_page=100&with_archived=true`);
      assert.ok(listed.body.items.some((p: any) => p.id === id && p.delete_at > 0));
    });

    test('Go client v0.7.0: Settings Get/Update (admin only)', async () => {
      const got = await go('GET', '/settings');
      assert.equal(got.status, 200);
      assert.deepEqual(got.body.playbook_creators_user_ids, []);
      const put = await go('PUT', '/settings', { playbook_creators_user_ids: [h.admin.id] });
      assert.equal(put.status, 200, put.text);
      assert.deepEqual((await go('GET', '/settings')).body.playbook_creators_user_ids, [h.admin.id]);
      const user = await h.user();
      const denied = await h.put(`${GO}/settings`, { playbook_creators_user_ids: [] }, user.token);
      assert.equal(denied.status, 403);
      // Only the listed creators (and admins) may create playbooks now.
      const notCreator = await h.post(`${GO}/playbooks`, { title: 'Nope', team_id: h.teamId }, user.token);
      assert.equal(notCreator.status, 403, notCreator.text);
      const bad = await go('PUT', '/settings', { playbook_creators_user_ids: ['nope'] });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error, /playbook_creators_user_ids/);
      assert.equal((await go('PUT', '/settings', { playbook_creators_user_ids: null })).status, 200);
      assert.deepEqual((await go('GET', '/settings')).body.playbook_creators_user_ids, []);
      assert.equal((await h.post(`${GO}/playbooks`, { title: 'Yes', team_id: h.teamId }, user.token)).status, 201);
    });

    test('Go client v0.7.0: runs Create/Get/GetByChannelID/GetMetadata/List/UpdateStatus/Finish and checklists', async () => {
      const created = await go('POST', '/runs', {
        name: 'Go run',
        owner_user_id: h.admin.id,
        team_id: h.teamId,
        description: 'from the Go client',
        playbook_id: '',
      });
      assert.equal(created.status, 201, created.text);
      const run = created.body;

      assert.equal((await go('GET', `/runs/${run.id}`)).body.name, 'Go run');
      assert.equal((await go('GET', `/runs/channel/${run.channel_id}`)).body.id, run.id);
      const meta = await go('GET', `/runs/${run.id}/metadata`);
      assert.equal(meta.status, 200);
      assert.equal(typeof meta.body.channel_name, 'string');

      // List: the client's query, empty and zero values included.
      const qs =
        `team_id=${h.teamId}&sort=create_at&direction=desc&statuses=InProgress&statuses=Finished&owner_user_id=&participant_id=` +
        `&participant_or_follower=&search_term=&playbook_id=&active_gte=0&active_lt=0&started_gte=0&started_lt=0&page=0&per_page=50`;
      const list = await go('GET', `/runs?${qs}`);
      assert.equal(list.status, 200, list.text);
      assert.ok(list.body.items.some((r: any) => r.id === run.id));

      // Checklists: CreateChecklist, RenameChecklist ({"Title"}), AddChecklistItem (a whole Go struct), MoveChecklist(Item), RemoveChecklist.
      const c1 = await go('POST', `/runs/${run.id}/checklists`, { id: '', title: 'Go list', items: [] });
      assert.ok([200, 201].includes(c1.status), c1.text);
      const rename = await go('PUT', `/runs/${run.id}/checklists/1/rename`, { Title: 'Renamed by Go' });
      assert.equal(rename.status, 200, rename.text);
      const item = {
        id: '',
        title: 'Go item',
        state: '',
        state_modified: 0,
        assignee_id: '',
        assignee_modified: 0,
        command: '',
        command_last_run: 0,
        description: '',
        delete_at: 0,
        due_date: 0,
      };
      assert.ok([200, 201].includes((await go('POST', `/runs/${run.id}/checklists/1/add`, item)).status));
      assert.ok([200, 201].includes((await go('POST', `/runs/${run.id}/checklists/1/add`, { ...item, title: 'Go item 2' })).status));
      const moveItem = await go('POST', `/runs/${run.id}/checklists/move-item`, {
        source_checklist_idx: 1,
        source_item_idx: 1,
        dest_checklist_idx: 1,
        dest_item_idx: 0,
      });
      assert.equal(moveItem.status, 200, moveItem.text);
      const move = await go('POST', `/runs/${run.id}/checklists/move`, { source_checklist_idx: 1, dest_checklist_idx: 0 });
      assert.equal(move.status, 200, move.text);
      let current = (await go('GET', `/runs/${run.id}`)).body;
      assert.deepEqual(current.checklists.map((c: any) => c.title), ['Renamed by Go', 'Checklist']);
      assert.deepEqual(current.checklists[0].items.map((i: any) => i.title), ['Go item 2', 'Go item']);
      const removed = await go('DELETE', `/runs/${run.id}/checklists/1`);
      assert.ok(removed.status >= 200 && removed.status < 300, removed.text);

      const status = await go('POST', `/runs/${run.id}/status`, { message: 'Investigating', reminder: 600 });
      assert.equal(status.status, 200, status.text);
      const finish = await go('PUT', `/runs/${run.id}/finish`);
      assert.equal(finish.status, 200);
      current = (await go('GET', `/runs/${run.id}`)).body;
      assert.equal(current.current_status, 'Finished');
      assert.deepEqual(current.checklists.map((c: any) => c.title), ['Renamed by Go']);
      assert.equal(current.status_posts.length, 1);
    });

    test('webapp: cookie session, repeated statuses, status dialog, owner, item state and assignee, followers', async () => {
      const user = await h.user('webappuser');
      const cookie = { cookie: `MMAUTHTOKEN=${user.token}`, 'x-requested-with': 'XMLHttpRequest' };
      const web = (method: string, path: string, body?: unknown) => h.request(method, GO + path, { body, token: null, headers: cookie });

      const created = await web('POST', '/runs', { name: 'Webapp run', owner_user_id: user.id, team_id: h.teamId });
      assert.equal(created.status, 201, created.text);
      const id = created.body.id;
      const list = await web('GET', `/runs?page=0&per_page=1000&sort=create_at&direction=desc&team_id=${h.teamId}&statuses=InProgress&statuses=Finished&participant_or_follower_id=me`);
      assert.equal(list.status, 200, list.text);
      assert.ok(list.body.items.some((r: any) => r.id === id));

      // A cookie session without X-Requested-With cannot write (CSRF).
      const csrf = await h.request('POST', `${GO}/runs/${id}/status`, { body: { message: 'x', reminder: 60 }, token: null, headers: { cookie: cookie.cookie } });
      assert.equal(csrf.status, 401);

      const dialog = await web('POST', `/runs/${id}/update-status-dialog`, {
        type: 'dialog_submission',
        callback_id: '',
        state: '',
        user_id: user.id,
        channel_id: created.body.channel_id,
        team_id: h.teamId,
        submission: { message: 'From the dialog', reminder: '900' },
        cancelled: false,
      });
      assert.equal(dialog.status, 200, dialog.text);

      assert.equal((await web('PUT', `/runs/${id}/checklists/0/add`, { title: 'Web item' })).status, 201);
      assert.equal((await web('PUT', `/runs/${id}/checklists/0/item/0/state`, { new_state: 'closed' })).status, 200);
      assert.equal((await web('PUT', `/runs/${id}/checklists/0/item/0/assignee`, { assignee_id: h.admin.id })).status, 200);
      assert.equal((await web('POST', `/runs/${id}/owner`, { owner_id: h.admin.id })).status, 200);
      assert.equal((await web('PUT', `/runs/${id}/followers`)).status, 200);
      const run = (await web('GET', `/runs/${id}`)).body;
      assert.equal(run.owner_user_id, h.admin.id);
      assert.equal(run.checklists[0].items[0].state, 'closed');
      assert.equal(run.checklists[0].items[0].assignee_id, h.admin.id);
      assert.ok(run.follower_ids.includes(user.id));
      const types = run.timeline_events.map((e: any) => e.event_type);
      for (const t of ['incident_created', 'status_updated', 'task_state_modified', 'assignee_changed', 'owner_changed']) {
        assert.ok(types.includes(t), `missing ${t} in ${types}`);
      }
      const event = run.timeline_events.find((e: any) => e.event_type === 'assignee_changed');
      assert.equal((await web('DELETE', `/runs/${id}/timeline/${event.id}/`)).status, 204);
      const afterDelete = (await web("GET", `/runs/${id}`)).body;
      assert.ok(!afterDelete.timeline_events.some((e: any) => e.id === event.id));
    });
  });
}
