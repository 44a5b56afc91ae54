import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startMuster, type Muster } from '../../src/app.ts';
import { REMINDER_TIMER, reminderKey } from '../../src/domain/incidents/status.ts';
import { JobRunner, type JobHandler } from '../../src/jobs/runner.ts';
import { transaction } from '../../src/store/db.ts';
import { jobsRepo } from '../../src/store/jobs.repo.ts';
import { outboxRepo } from '../../src/store/outbox.repo.ts';
import { startHarness, testDatabases, type Harness } from '../helpers/harness.ts';
import { startReceiver, type Receiver } from '../helpers/receiver.ts';

const PLAYBOOKS = '/plugins/playbooks/api/v0';

for (const kind of testDatabases()) {
  describe(`${kind}: job engine`, () => {
    let h: Harness;
    let pub: Receiver;
    before(async () => {
      pub = await startReceiver('127.0.0.2');
      h = await startHarness(kind, { fakeClock: true, env: { MUSTER_OUTBOUND_ALLOWLIST: '127.0.0.2' } });
    });
    after(async () => {
      await h.close();
      await pub.close();
    });

    test('a stalled owner that resumes after its lease finds its completion refused (fencing)', async () => {
      let release!: () => void;
      const stalled = new Promise<void>((resolve) => (release = resolve));
      let calls = 0;
      const marks: string[] = [];
      const handler: JobHandler = async () => {
        const me = ++calls;
        if (me === 1) await stalled;
        return { done: true, write: async () => void marks.push(`run ${me}`) };
      };
      const a = new JobRunner(h.ctx, { fencing_test: handler }, { concurrency: 2, leaseMs: 1000 });
      const b = new JobRunner(h.ctx, { fencing_test: handler }, { concurrency: 2, leaseMs: 1000 });
      await transaction(h.ctx.db, (tx) => jobsRepo.enqueue(tx, { kind: 'fencing_test', key: 'fence:1', due_at: h.clock!.now(), now: h.clock!.now() }));
      const aDone = a.tick();
      while (calls === 0) await new Promise((r) => setImmediate(r));
      assert.equal(await b.tick(), 0, 'the lease holds: the peer takes nothing');
      h.clock!.advance(1001);
      assert.equal(await b.tick(), 1, 'past the lease the peer takes and finishes the job');
      release();
      assert.equal(await aDone, 0);
      assert.equal(a.fencedOut, 1);
      assert.deepEqual(marks, ['run 2'], "the stalled owner's write never happened");
      assert.equal(await jobsRepo.byKey(h.ctx.db, 'fence:1'), undefined);
    });

    test('a handler that throws is retried later with backoff, and the failure is kept on the job', async () => {
      let calls = 0;
      const runner = new JobRunner(h.ctx, { flaky_test: async () => (++calls === 1 ? Promise.reject(new Error('first time fails')) : { done: true }) }, { concurrency: 1, leaseMs: 60_000 });
      await transaction(h.ctx.db, (tx) => jobsRepo.enqueue(tx, { kind: 'flaky_test', key: 'flaky:1', due_at: h.clock!.now(), now: h.clock!.now() }));
      assert.equal(await runner.tick(), 0);
      const job = await jobsRepo.byKey(h.ctx.db, 'flaky:1');
      assert.equal(job!.failures, 1);
      assert.match(job!.last_error, /first time fails/);
      assert.ok(job!.due_at >= h.clock!.now() + 2500, 'backoff of at least half of 5 s');
      h.clock!.advance(5001);
      assert.equal(await runner.tick(), 1);
      assert.equal(calls, 2);
    });

    if (kind !== 'postgres') return;

    describe('two server instances on one PostgreSQL', () => {
      let other: Muster;
      before(async () => {
        other = await startMuster(h.muster.config, { clock: h.clock, runTimers: false, listen: false });
      });
      after(async () => {
        await other.close();
      });

      test('200 reminders due at once are each posted exactly once', async () => {
        const runs: Array<{ id: string; channel_id: string }> = [];
        for (let i = 0; i < 200; i++) {
          const res = await h.post(`${PLAYBOOKS}/runs`, { name: `Reminder ${i}`, owner_user_id: h.admin.id, team_id: h.teamId });
          assert.equal(res.status, 201, res.text);
          runs.push(res.body);
        }
        const now = h.clock!.now();
        await transaction(h.ctx.db, async (tx) => {
          for (const run of runs) await jobsRepo.enqueue(tx, { kind: REMINDER_TIMER, key: reminderKey(run.id), due_at: now + 1000, payload: { incident_id: run.id }, now });
        });
        h.clock!.advance(1000);
        const [x, y] = await Promise.all([h.muster.jobs.tick(), other.jobs.tick()]);
        assert.equal(x + y, 200);
        const posts = await h.ctx.db
          .selectFrom('posts')
          .select(['channel_id'])
          .where('type', '=', 'custom_update_status')
          .where('channel_id', 'in', runs.map((r) => r.channel_id))
          .execute();
        assert.equal(posts.length, 200);
        assert.equal(new Set(posts.map((p) => p.channel_id)).size, 200);
      });

      test('200 deliveries are each delivered once', async () => {
        const run = (await h.post(`${PLAYBOOKS}/runs`, { name: 'Deliveries', owner_user_id: h.admin.id, team_id: h.teamId })).body;
        const now = h.clock!.now();
        await transaction(h.ctx.db, async (tx) => {
          for (let i = 0; i < 200; i++) {
            await outboxRepo.insert(tx, { source: 'playbooks', event: 'run_created', url: pub.url('/many'), incident_id: run.id, payload: { n: i }, now });
          }
        });
        await Promise.all([h.muster.jobs.tick(), other.jobs.tick()]);
        const got = pub.at('/many');
        assert.equal(got.length, 200);
        assert.equal(new Set(got.map((r) => r.headers['webhook-id'])).size, 200);
        const rows = await outboxRepo.forIncident(h.ctx.db, run.id);
        assert.deepEqual([...new Set(rows.map((r) => `${r.status}/${r.attempts}`))], ['delivered/1']);
      });
    });
  });
}
