import { Api, createMember, createRun } from '../lib/api.ts';
import { freshTarget, rounds, startOn, type BenchContext, type Scenario } from '../lib/context.ts';
import { describeLoad, requireAllOk, runLoad } from '../lib/load.ts';
import { ADMIN_TOKEN, type MusterProcess } from '../lib/muster.ts';
import { valueFigure, type ScenarioReport } from '../lib/report.ts';
import { statusUpdateRequest } from './write-path.ts';

const CLIENTS = 32;
const IDLE_SETTLE_MS = 2000;

/** Milliseconds from spawning the process to the first 200 from /healthz (polled every 5 ms after "listening"). */
async function firstOk(server: MusterProcess): Promise<number> {
  for (;;) {
    try {
      const res = await fetch(`${server.url}/healthz`);
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - server.spawnedAt;
    } catch {
      /* not accepting yet */
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const footprint: Scenario = {
  name: 'footprint',
  title: 'Footprint: cold start to first 200, RSS idle and under the write-path load',
  async run(ctx: BenchContext, report: ScenarioReport) {
    const seconds = ctx.smoke ? 1 : 5;
    for (const kind of ctx.kinds) {
      const measured = await rounds(ctx, async (i) => {
        // Cold: a new, empty database (PGlite: initdb in a new directory; PostgreSQL: a new database) and a new process.
        const target = await freshTarget(ctx, kind);
        let server = await startOn(target);
        const cold = await firstOk(server);
        await server.stop();
        // Restart on the now-initialised database.
        server = await startOn(target);
        const warm = await firstOk(server);
        try {
          await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
          const idle = server.rssMiB();
          const member = await createMember(new Api(server.url, ADMIN_TOKEN), 'footprint');
          const runId = await createRun(member, 'Footprint');
          let peak = server.rssMiB();
          const sampler = setInterval(() => {
            peak = Math.max(peak, server.rssMiB());
          }, 100);
          const result = await runLoad({ url: server.url, connections: CLIENTS, duration: seconds, requests: [statusUpdateRequest(member, runId)] });
          clearInterval(sampler);
          peak = Math.max(peak, server.rssMiB());
          requireAllOk(`${kind} status updates`, result);
          ctx.log(`  ${kind} round ${i + 1}: cold ${Math.round(cold)} ms, restart ${Math.round(warm)} ms, idle ${idle} MiB, under load ${peak} MiB (${describeLoad(result)})`);
          return { cold, warm, idle, peak };
        } finally {
          await server.stop();
        }
      });
      report.figures.push(
        valueFigure(`${kind}: cold start to first 200 (empty database)`, 'ms', measured.map((m) => m.cold)),
        valueFigure(`${kind}: restart to first 200 (existing database)`, 'ms', measured.map((m) => m.warm)),
        valueFigure(`${kind}: RSS idle`, 'MiB', measured.map((m) => m.idle)),
        valueFigure(`${kind}: RSS peak under the write-path load`, 'MiB', measured.map((m) => m.peak)),
      );
    }
    report.notes.push(
      'Start times run from spawning `node bin/muster.js serve` (TypeScript loaded through tsx) to the first 200 from GET /healthz. Cold = empty database (PGlite: a new data directory, so initdb runs; PostgreSQL: a new database, migrations run); restart = same database again.',
      `RSS is VmRSS of the server process from /proc/<pid>/status: idle ${IDLE_SETTLE_MS / 1000} s after the restart, and the peak of samples every 100 ms during ${seconds} s of ${CLIENTS}-client status updates (scenario 1's load). PostgreSQL's own processes are not counted.`,
    );
  },
};
