import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newId } from '../../src/lib/ids.ts';
import { json } from '../../src/store/db.ts';
import { API, startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';


/** A playbook row written directly: this suite is about run permissions, not the playbook API. */
async function insertPlaybook(h: Harness, opts: { public: boolean; privateRuns: boolean; members: string[] }): Promise<string> {
  const id = newId();
  const now = Date.now();
  await h.ctx.db
    .insertInto('playbooks')
    .values({
      id,
      team_id: h.teamId,
      title: `pb ${id}`,
      public: opts.public,
      create_public_playbook_run: !opts.privateRuns,
      checklists: json([{ title: 'Triage', items: [{ title: 'Look', description: '', command: '' }] }]),
      settings: json({}),
      created_by: h.admin.id,
      create_at: now,
      update_at: now,
    })
    .execute();
  for (const userId of opts.members) {
    await h.ctx.db.insertInto('playbook_members').values({ playbook_id: id, user_id: userId, roles: json(['playbook_member']) }).execute();
  }
  return id;
}

// The matrix of playbooks-api notes §4 (Cypress runs/permissions_spec @2022): who may see and change a run.
for (const kind of testDatabases()) {
  describe(`${kind}: run permissions`, () => {
    let h: Harness;
    let owner: TestUser; // participant (owner) of every run
    let teammate: TestUser; // same team, not a participant
    let pbMember: TestUser; // member of the private playbook, not a participant
    let follower: TestUser; // follows the runs, not a participant
    let outsider: TestUser; // not in the team
    let sysadmin: TestUser; // system admin, not in the team
    let publicRun: string;
    let privateRun: string;

    before(async () => {
      h = await startHarness(kind);
      owner = await h.user('owner1');
      teammate = await h.user('teammate1');
      pbMember = await h.user('pbmember1');
      follower = await h.user('follower1');
      outsider = await h.user('outsider1', { team: false });
      sysadmin = await h.user('sysadmin1', { team: false, admin: true });
      const publicPlaybook = await insertPlaybook(h, { public: true, privateRuns: false, members: [] });
      const privatePlaybook = await insertPlaybook(h, { public: false, privateRuns: true, members: [owner.id, pbMember.id] });
      const create = async (playbookId: string) => {
        const res = await h.post(`${API}/runs`, { name: `run ${playbookId}`, owner_user_id: owner.id, team_id: h.teamId, playbook_id: playbookId }, owner.token);
        assert.equal(res.status, 201, res.text);
        return res.body.id as string;
      };
      publicRun = await create(publicPlaybook);
      privateRun = await create(privatePlaybook);
      for (const run of [publicRun, privateRun]) {
        await h.ctx.db.insertInto('incident_followers').values({ incident_id: run, user_id: follower.id }).execute();
      }
    });
    after(async () => {
      await h.close();
    });

    const viewCases: Array<[string, () => TestUser, 'public' | 'private', number]> = [
      ['participant sees a public-playbook run', () => owner, 'public', 200],
      ['team member sees a public-playbook run', () => teammate, 'public', 200],
      ['follower sees a public-playbook run', () => follower, 'public', 200],
      ['system admin sees a public-playbook run', () => sysadmin, 'public', 200],
      ['non-team user does not see a public-playbook run', () => outsider, 'public', 403],
      ['participant sees a private-playbook run', () => owner, 'private', 200],
      ['playbook member sees a private-playbook run', () => pbMember, 'private', 200],
      ['follower sees a private-playbook run', () => follower, 'private', 200],
      ['system admin sees a private-playbook run', () => sysadmin, 'private', 200],
      ['plain team member does not see a private-playbook run', () => teammate, 'private', 403],
      ['non-team user does not see a private-playbook run', () => outsider, 'private', 403],
    ];
    for (const [name, who, which, status] of viewCases) {
      test(`view: ${name}`, async () => {
        const run = which === 'public' ? publicRun : privateRun;
        const res = await h.get(`${API}/runs/${run}`, who().token);
        assert.equal(res.status, status, res.text);
        if (status === 403) assert.ok(res.body.error && res.body.details);
      });
    }

    test('list: each user sees exactly the runs they may view', async () => {
      const ids = async (user: TestUser) =>
        ((await h.get(`${API}/runs?per_page=100`, user.token)).body.items as Array<{ id: string }>).map((r) => r.id).sort();
      assert.deepEqual(await ids(owner), [publicRun, privateRun].sort());
      assert.deepEqual(await ids(teammate), [publicRun]);
      assert.deepEqual(await ids(pbMember), [publicRun, privateRun].sort());
      assert.deepEqual(await ids(follower), [publicRun, privateRun].sort());
      assert.deepEqual(await ids(outsider), []);
      assert.deepEqual(await ids(sysadmin), [publicRun, privateRun].sort());
    });

    // Changing a run: participants and admins always; team members only when the run's channel is public.
    const modifyCases: Array<[string, () => TestUser, 'public' | 'private', number]> = [
      ['participant changes a run', () => owner, 'private', 200],
      ['system admin changes a run', () => sysadmin, 'private', 200],
      ['team member changes a run whose channel is public', () => teammate, 'public', 200],
      ['playbook member who is not a participant cannot change a private-channel run', () => pbMember, 'private', 403],
      ['team member cannot change a private-channel run', () => teammate, 'private', 403],
      ['non-team user cannot change a run', () => outsider, 'public', 403],
    ];
    for (const [name, who, which, status] of modifyCases) {
      test(`modify: ${name}`, async () => {
        const run = which === 'public' ? publicRun : privateRun;
        const previous = await h.get(`${API}/runs/${run}`);
        const res = await h.put(`${API}/runs/${run}/checklists/0/item/0/state`, { new_state: 'in_progress' }, who().token);
        assert.equal(res.status, status, res.text);
        const afterRun = await h.get(`${API}/runs/${run}`);
        if (status !== 200) assert.deepEqual(afterRun.body.timeline_events, previous.body.timeline_events);
        // Put it back so the next case starts from the same state.
        await h.put(`${API}/runs/${run}/checklists/0/item/0/state`, { new_state: '' });
      });
    }
  });
}
