import { startBareServer } from '../baseline/bare.ts';
import { Api, createMember, PLAYBOOKS, RPC } from '../lib/api.ts';
import { freshTarget, rounds, startOn, type BenchContext, type Scenario } from '../lib/context.ts';
import { incidentWithHistory } from '../lib/fixtures.ts';
import { describeLoad, requireAllOk, runLoad } from '../lib/load.ts';
import { ADMIN_TOKEN } from '../lib/muster.ts';
import { statementsPerRequest } from '../lib/pglog.ts';
import { ratioFigure, type ScenarioReport } from '../lib/report.ts';
import { round } from '../lib/stats.ts';

const CLIENTS = 32;
const ITEMS = 20;
const EVENTS = 200;
// The smoke run only proves the path works.
const SMOKE_ITEMS = 5;
const SMOKE_EVENTS = 30;

export const readPath: Scenario = {
  name: 'read-path',
  title: `Read path: GET /runs/{id} and GetIncident (${ITEMS} items, ${EVENTS} events) vs a bare node:http server sending the same bytes`,
  async run(ctx: BenchContext, report: ScenarioReport) {
    const seconds = ctx.smoke ? 1 : 3;
    for (const kind of ctx.kinds) {
      const target = await freshTarget(ctx, kind);
      const server = await startOn(target);
      try {
        const member = await createMember(new Api(server.url, ADMIN_TOKEN), 'reader');
        const runId = await incidentWithHistory(member, 'Read path', ctx.smoke ? SMOKE_ITEMS : ITEMS, ctx.smoke ? SMOKE_EVENTS : EVENTS);
        const auth = { authorization: `Bearer ${member.api.token}` };
        const getRun = { method: 'GET' as const, path: `${PLAYBOOKS}/runs/${runId}`, headers: auth };
        const rpcBody = JSON.stringify({ incidentID: runId });
        const getIncident = {
          method: 'POST' as const,
          path: `${RPC}/IncidentsService.GetIncident`,
          headers: { ...auth, 'content-type': 'application/json' },
          body: rpcBody,
        };
        // The baseline sends exactly the bytes Muster answers.
        const runBytes = Buffer.from(await (await fetch(server.url + getRun.path, { headers: auth })).arrayBuffer());
        const rpcRes = await fetch(server.url + getIncident.path, { method: 'POST', headers: getIncident.headers, body: rpcBody });
        const rpcBytes = Buffer.from(await rpcRes.arrayBuffer());
        if (rpcRes.status !== 200) throw new Error(`GetIncident answered ${rpcRes.status}: ${rpcBytes.toString().slice(0, 200)}`);
        const bare = await startBareServer(runBytes, rpcBytes);
        try {
          const load = async (url: string, request: object, what: string) => {
            const result = await runLoad({ url, connections: CLIENTS, duration: seconds, requests: [request] });
            requireAllOk(what, result);
            return result;
          };
          if (!ctx.smoke) {
            await load(server.url, getRun, 'warm-up GET /runs/{id}');
            await load(server.url, getIncident, 'warm-up GetIncident');
            await load(bare.url, getRun, 'warm-up bare');
          }
          const measured = await rounds(ctx, async (i) => {
            const bareGet = await load(bare.url, getRun, 'bare GET');
            const run = await load(server.url, getRun, `${kind} GET /runs/{id}`);
            const barePost = await load(bare.url, getIncident, 'bare POST');
            const rpc = await load(server.url, getIncident, `${kind} GetIncident`);
            ctx.log(`  ${kind} round ${i + 1}: bare ${Math.round(bareGet.rps)}/${Math.round(barePost.rps)} req/s; GET /runs/{id} ${describeLoad(run)}; GetIncident ${describeLoad(rpc)}`);
            return { bareGet: bareGet.rps, run: run.rps, barePost: barePost.rps, rpc: rpc.rps };
          });
          report.figures.push(
            ratioFigure(`${kind}: GET /runs/{id} (${runBytes.length} B)`, 'req/s', measured.map((m) => m.run), measured.map((m) => m.bareGet), 0.4),
            ratioFigure(`${kind}: RPC GetIncident (${rpcBytes.length} B)`, 'req/s', measured.map((m) => m.rpc), measured.map((m) => m.barePost), 0.4),
          );
        } finally {
          await bare.stop();
        }
        if (kind === 'postgres' && ctx.cluster && target.databaseUrl) {
          const n = ctx.smoke ? 5 : 50;
          const perGet = await statementsPerRequest(ctx.cluster, target.databaseUrl, n, async () => {
            await member.api.ok('GET', getRun.path);
          });
          const perRpc = await statementsPerRequest(ctx.cluster, target.databaseUrl, n, async () => {
            await member.api.ok('POST', getIncident.path, { incidentID: runId });
          });
          report.notes.push(`SQL statements per request (PostgreSQL log): GET /runs/{id} ≈ ${round(perGet)}, GetIncident ≈ ${round(perRpc)}.`);
        }
      } finally {
        await server.stop();
      }
    }
    report.notes.push(
      `Each round: ${seconds} s per endpoint with ${CLIENTS} connections, alternating bare server and Muster. The run is read by a regular team member (its owner). The bare server answers every GET with the GET /runs/{id} bytes and every POST with the GetIncident bytes, Content-Type application/json.`,
    );
  },
};
