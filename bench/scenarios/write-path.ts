import { openScratchPglite, pgliteInserts } from '../baseline/pglite-inserts.ts';
import { createScratchTable, pgbenchInserts } from '../baseline/pgbench.ts';
import { Api, createMember, createRun, PLAYBOOKS, RPC, type Member } from '../lib/api.ts';
import { freshTarget, rounds, startOn, type BenchContext, type Scenario } from '../lib/context.ts';
import { describeLoad, requireAllOk, runLoad, type LoadResult } from '../lib/load.ts';
import { ADMIN_TOKEN } from '../lib/muster.ts';
import { statementsPerRequest } from '../lib/pglog.ts';
import { ratioFigure, valueFigure, type ScenarioReport } from '../lib/report.ts';
import { percentile, round } from '../lib/stats.ts';

const CLIENTS = 32;

/** Playbooks status updates on one run: POST /runs/{id}/status {message, reminder: 0}. */
export function statusUpdateRequest(member: Member, runId: string) {
  let n = 0;
  return {
    method: 'POST' as const,
    path: `${PLAYBOOKS}/runs/${runId}/status`,
    headers: { authorization: `Bearer ${member.api.token}`, 'content-type': 'application/json' },
    setupRequest: (req: any) => ({ ...req, body: JSON.stringify({ message: `status update ${++n}`, reminder: 0 }) }),
  };
}

/** RPC notes on one incident: ActivityService.AddActivity {incidentID, activityKind: "userNote", body}. */
export function addNoteRequest(member: Member, incidentId: string) {
  let n = 0;
  return {
    method: 'POST' as const,
    path: `${RPC}/ActivityService.AddActivity`,
    headers: { authorization: `Bearer ${member.api.token}`, 'content-type': 'application/json' },
    setupRequest: (req: any) => ({ ...req, body: JSON.stringify({ incidentID: incidentId, activityKind: 'userNote', body: `note ${++n}` }) }),
  };
}

async function measure(url: string, request: object, seconds: number, what: string): Promise<LoadResult> {
  const result = await runLoad({ url, connections: CLIENTS, duration: seconds, requests: [request] });
  requireAllOk(what, result);
  return result;
}

export const writePath: Scenario = {
  name: 'write-path',
  title: 'Write path: 32 clients appending to one timeline vs raw single-row insert transactions',
  async run(ctx: BenchContext, report: ScenarioReport) {
    const seconds = ctx.smoke ? 1 : 5;
    for (const kind of ctx.kinds) {
      const target = await freshTarget(ctx, kind);
      const server = await startOn(target);
      const lite = kind === 'pglite' ? await openScratchPglite() : undefined;
      try {
        const member = await createMember(new Api(server.url, ADMIN_TOKEN), 'writer');
        const runId = await createRun(member, 'Write path');
        const status = statusUpdateRequest(member, runId);
        const note = addNoteRequest(member, runId);
        if (target.databaseUrl) await createScratchTable(target.databaseUrl);
        const baseline = (s: number) => (lite ? pgliteInserts(lite, CLIENTS, s) : pgbenchInserts(target.databaseUrl!, CLIENTS, s));

        if (!ctx.smoke) {
          // Warm-up (JIT, caches, pool): not recorded.
          await baseline(1);
          await measure(server.url, status, 2, 'warm-up status updates');
          await measure(server.url, note, 2, 'warm-up notes');
        }
        const measured = await rounds(ctx, async (i) => {
          const raw = await baseline(seconds);
          const s = await measure(server.url, status, seconds, `${kind} status updates`);
          const n = await measure(server.url, note, seconds, `${kind} AddActivity`);
          ctx.log(`  ${kind} round ${i + 1}: raw inserts ${Math.round(raw)} tx/s; status ${describeLoad(s)}; notes ${describeLoad(n)}`);
          return { raw, s, n };
        });
        const raw = measured.map((m) => m.raw);
        report.figures.push(
          ratioFigure(`${kind}: Playbooks status update`, 'req/s', measured.map((m) => m.s.rps), raw, 0.5),
          ratioFigure(`${kind}: RPC AddActivity note`, 'req/s', measured.map((m) => m.n.rps), raw, 0.5),
          valueFigure(`${kind}: raw single-row insert transactions (baseline)`, 'tx/s', raw),
          valueFigure(`${kind}: status update p99 at ${CLIENTS} clients`, 'ms', measured.map((m) => percentile(m.s.latencies, 99))),
          valueFigure(`${kind}: AddActivity p99 at ${CLIENTS} clients`, 'ms', measured.map((m) => percentile(m.n.latencies, 99))),
        );

        if (kind === 'postgres' && ctx.cluster && target.databaseUrl) {
          const n = ctx.smoke ? 5 : 50;
          let i = 0;
          const perStatus = await statementsPerRequest(ctx.cluster, target.databaseUrl, n, async () => {
            await member.api.ok('POST', `${PLAYBOOKS}/runs/${runId}/status`, { message: `counted ${++i}`, reminder: 0 });
          });
          const perNote = await statementsPerRequest(ctx.cluster, target.databaseUrl, n, async () => {
            await member.api.ok('POST', `${RPC}/ActivityService.AddActivity`, { incidentID: runId, activityKind: 'userNote', body: `counted ${++i}` });
          });
          report.notes.push(
            `SQL statements per request (PostgreSQL log, BEGIN/COMMIT included; same code on PGlite): status update ≈ ${round(perStatus)}, AddActivity ≈ ${round(perNote)}; the baseline transaction is 1 statement.`,
          );
        }
      } finally {
        await server.stop();
        await lite?.close();
      }
    }
    report.notes.push(
      `Each round: ${seconds} s of the baseline, then ${seconds} s of status updates, then ${seconds} s of AddActivity notes, all with ${CLIENTS} concurrent clients on one incident (autocannon, keep-alive connections, one request in flight per connection). The load runs as a regular team member who owns the run.`,
      'Baselines: PostgreSQL `pgbench -n -c 32 -j 2 -T <s> -f insert.sql` (one INSERT per transaction) on a scratch table in the same database; PGlite: 32 concurrent loops of `transaction(INSERT)` in a PGlite the bench opens on its own temp dir.',
    );
  },
};
