import type autocannon from 'autocannon';
import { Api, createMember, PLAYBOOKS, RPC, type Member } from '../lib/api.ts';
import { freshTarget, rounds, startOn, type BenchContext, type Scenario } from '../lib/context.ts';
import { BenchFailure, describeLoad, runLoad } from '../lib/load.ts';
import { ADMIN_TOKEN } from '../lib/muster.ts';
import { statementsPerRequest } from '../lib/pglog.ts';
import { budgetFigure, valueFigure, type ScenarioReport } from '../lib/report.ts';
import { percentile, round as roundTo } from '../lib/stats.ts';

const DECLARATIONS = 1000;
const SMOKE_DECLARATIONS = 40;
const P99_BUDGET_MS = 250;

/** One declaration per connection: even connections POST /runs, odd ones CreateIncident; every name distinct. */
function declaration(member: Member, round: number, index: number, accepted: Set<string>, failed: string[]): autocannon.Request[] {
  const name = `storm ${round}-${index}`;
  const auth = { authorization: `Bearer ${member.api.token}`, 'content-type': 'application/json' };
  const onResponse = (status: number, body: string) => {
    if (status >= 200 && status < 300) accepted.add(name);
    else failed.push(`${name}: ${status} ${body.slice(0, 200)}`);
  };
  if (index % 2 === 0) {
    return [
      {
        method: 'POST',
        path: `${PLAYBOOKS}/runs`,
        headers: auth,
        body: JSON.stringify({ name, owner_user_id: member.userId, team_id: member.teamId }),
        onResponse,
      },
    ];
  }
  return [{ method: 'POST', path: `${RPC}/IncidentsService.CreateIncident`, headers: auth, body: JSON.stringify({ title: name }), onResponse }];
}

/** Every run the member can see, by name (GET /runs, 1000 per page). */
async function listedNames(member: Member): Promise<string[]> {
  const names: string[] = [];
  for (let page = 0; ; page++) {
    const res = await member.api.ok<{ items: Array<{ name: string }>; has_more: boolean }>(
      'GET',
      `${PLAYBOOKS}/runs?team_id=${member.teamId}&per_page=1000&page=${page}&statuses=InProgress&statuses=Finished`,
    );
    names.push(...res.items.map((r) => r.name));
    if (!res.has_more) return names;
  }
}

export const declarationStorm: Scenario = {
  name: 'declaration-storm',
  title: `Declaration storm: ${DECLARATIONS} concurrent declarations (POST /runs and CreateIncident, 50/50), all listed afterwards`,
  async run(ctx: BenchContext, report: ScenarioReport) {
    const count = ctx.smoke ? SMOKE_DECLARATIONS : DECLARATIONS;
    for (const kind of ctx.kinds) {
      const target = await freshTarget(ctx, kind);
      const server = await startOn(target);
      try {
        const member = await createMember(new Api(server.url, ADMIN_TOKEN), 'declarer');
        const measured = await rounds(ctx, async (round) => {
          const accepted = new Set<string>();
          const failed: string[] = [];
          const result = await runLoad({
            url: server.url,
            connections: count,
            amount: count,
            timeoutS: 300,
            perConnection: (index) => declaration(member, round, index, accepted, failed),
          });
          ctx.log(`  ${kind} round ${round + 1}: ${describeLoad(result)}`);
          const serverErrors = Object.entries(result.statusCounts).filter(([code]) => code.startsWith('5'));
          report.checks.push({
            name: `${kind} round ${round + 1}: no 5xx`,
            ok: serverErrors.length === 0,
            detail: serverErrors.length === 0 ? `statuses ${JSON.stringify(result.statusCounts)}` : failed.slice(0, 3).join('; '),
          });
          if (accepted.size !== count || result.errors > 0) {
            throw new BenchFailure(`${kind}: ${accepted.size} of ${count} declarations accepted, ${result.errors} errors: ${failed.slice(0, 3).join('; ')}`);
          }
          const listed = (await listedNames(member)).filter((name) => name.startsWith(`storm ${round}-`));
          const missing = [...accepted].filter((name) => !listed.includes(name));
          const once = new Set(listed).size === listed.length;
          const ok = missing.length === 0 && once && listed.length === accepted.size;
          report.checks.push({
            name: `${kind} round ${round + 1}: every declaration listed once`,
            ok,
            detail: `${accepted.size} accepted, ${listed.length} listed by GET /runs, ${missing.length} missing${once ? '' : ', duplicates listed'}`,
          });
          if (!ok) throw new BenchFailure(`${kind}: declarations lost: ${missing.slice(0, 5).join(', ')}`);
          return {
            p50: percentile(result.latencies, 50),
            p99: percentile(result.latencies, 99),
            rate: result.ok / result.durationS,
            seconds: result.durationS,
          };
        });
        if (kind === 'postgres' && ctx.cluster && target.databaseUrl) {
          let i = 0;
          const perRun = await statementsPerRequest(ctx.cluster, target.databaseUrl, 10, async () => {
            await member.api.ok('POST', `${PLAYBOOKS}/runs`, { name: `counted ${++i}`, owner_user_id: member.userId, team_id: member.teamId });
          });
          const perRpc = await statementsPerRequest(ctx.cluster, target.databaseUrl, 10, async () => {
            await member.api.ok('POST', `${RPC}/IncidentsService.CreateIncident`, { title: `counted ${++i}` });
          });
          report.notes.push(`SQL statements per declaration (PostgreSQL log, BEGIN/COMMIT included): POST /runs ≈ ${roundTo(perRun)}, CreateIncident ≈ ${roundTo(perRpc)}.`);
        }
        report.figures.push(
          budgetFigure(`${kind}: declaration p99 (${count} at once)`, measured.map((m) => m.p99), P99_BUDGET_MS),
          valueFigure(`${kind}: declaration p50`, 'ms', measured.map((m) => m.p50)),
          valueFigure(`${kind}: declarations completed per second`, 'decl/s', measured.map((m) => m.rate)),
          valueFigure(`${kind}: time until all ${count} were answered`, 's', measured.map((m) => m.seconds)),
        );
      } finally {
        await server.stop();
      }
    }
    report.notes.push(
      `Each round opens ${count} connections at once, each sending one declaration (autocannon amount=${count}); names are distinct per round. Afterwards every accepted name must appear exactly once in GET /runs (per_page=1000, all statuses). The p99 includes connection setup and queueing: it is the latency an alert storm sees.`,
      `Latency target convention: baseline = the ${P99_BUDGET_MS} ms budget, ratio = budget / measured p99, target 1 (met when ratio ≥ 1).`,
    );
  },
};
