import type autocannon from 'autocannon';
import { Api, createMember, PLAYBOOKS, type Member } from '../lib/api.ts';
import { freshTarget, rounds, startOn, type BenchContext, type Scenario } from '../lib/context.ts';
import { BenchFailure, describeLoad, runLoad, type LoadResult } from '../lib/load.ts';
import { ADMIN_TOKEN } from '../lib/muster.ts';
import { budgetFigure, valueFigure, type ScenarioReport } from '../lib/report.ts';
import { percentile } from '../lib/stats.ts';

const POSTS = 1000;
const SMOKE_POSTS = 40;
const KEYS = 10;
const P99_BUDGET_MS = 250;

/** An Alertmanager v4 notification of group `key`; the summary annotation (the incident's title) names the round. */
function notification(tag: string, key: number): string {
  const groupKey = `{}:{alertname="Storm${key}"}`;
  return JSON.stringify({
    version: '4',
    groupKey,
    status: 'firing',
    receiver: 'muster',
    groupLabels: { alertname: `Storm${key}` },
    commonLabels: { alertname: `Storm${key}`, severity: 'critical' },
    commonAnnotations: { summary: `${tag} group ${key}` },
    externalURL: 'http://alertmanager.bench',
    alerts: [{ status: 'firing', labels: { alertname: `Storm${key}` }, annotations: {}, startsAt: new Date().toISOString(), fingerprint: `f${key}` }],
  });
}

/** Open runs of the team whose name starts with `tag`. */
async function openRunsTagged(member: Member, tag: string): Promise<string[]> {
  const res = await member.api.ok<{ items: Array<{ id: string; name: string }> }>(
    'GET',
    `${PLAYBOOKS}/runs?team_id=${member.teamId}&per_page=1000&statuses=InProgress&search_term=${encodeURIComponent(tag)}`,
  );
  return res.items.filter((r) => r.name.startsWith(tag)).map((r) => r.id);
}

function checkLoad(report: ScenarioReport, label: string, result: LoadResult, failed: string[]): void {
  const serverErrors = Object.entries(result.statusCounts).filter(([code]) => code.startsWith('5'));
  report.checks.push({ name: `${label}: no 5xx`, ok: serverErrors.length === 0, detail: `statuses ${JSON.stringify(result.statusCounts)}` });
  if (failed.length > 0 || result.errors > 0) throw new BenchFailure(`${label}: ${failed.length} failed, ${result.errors} errors: ${failed.slice(0, 3).join('; ')}`);
}

/** `count` concurrent posts of one request each; requests i go to key i % KEYS. */
async function storm(url: string, count: number, request: (index: number, onResponse: (status: number, body: string) => void) => autocannon.Request) {
  const failed: string[] = [];
  const result = await runLoad({
    url,
    connections: count,
    amount: count,
    timeoutS: 300,
    perConnection: (index) => [request(index, (status, body) => (status >= 300 ? failed.push(`${status} ${body.slice(0, 200)}`) : undefined))],
  });
  return { result, failed };
}

export const alertStorm: Scenario = {
  name: 'alert-storm',
  title: `Alert storm: ${POSTS} concurrent Alertmanager posts over ${KEYS} group keys (exactly ${KEYS} incidents), and ${POSTS} POST /runs over ${KEYS} Idempotency-Keys`,
  async run(ctx: BenchContext, report: ScenarioReport) {
    const count = ctx.smoke ? SMOKE_POSTS : POSTS;
    for (const kind of ctx.kinds) {
      const target = await freshTarget(ctx, kind);
      const server = await startOn(target);
      try {
        const admin = new Api(server.url, ADMIN_TOKEN);
        const member = await createMember(admin, 'alerting');
        const measured = await rounds(ctx, async (round) => {
          const tag = `alert-storm-${round}`;
          // A fresh integration per round: each has its own intake budget.
          const integration = await admin.ok<{ url: string }>('POST', '/api/muster/v1/integrations', { kind: 'alertmanager', name: tag, team_id: member.teamId });
          const path = new URL(integration.url).pathname;
          const alerts = await storm(server.url, count, (i, onResponse) => ({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body: notification(tag, i % KEYS), onResponse }));
          ctx.log(`  ${kind} round ${round + 1} alerts: ${describeLoad(alerts.result)}`);
          checkLoad(report, `${kind} round ${round + 1} alerts`, alerts.result, alerts.failed);
          const incidents = await openRunsTagged(member, tag);
          report.checks.push({ name: `${kind} round ${round + 1}: exactly ${KEYS} open incidents`, ok: incidents.length === KEYS, detail: `${incidents.length} open incidents for ${count} alerts` });
          if (incidents.length !== KEYS) throw new BenchFailure(`${kind}: ${incidents.length} incidents opened for ${KEYS} group keys`);

          const runsTag = `idem-storm-${round}`;
          const headers = { authorization: `Bearer ${member.api.token}`, 'content-type': 'application/json' };
          const creates = await storm(server.url, count, (i, onResponse) => ({
            method: 'POST',
            path: `${PLAYBOOKS}/runs`,
            headers: { ...headers, 'idempotency-key': `${runsTag}-${i % KEYS}` },
            body: JSON.stringify({ name: `${runsTag} ${i % KEYS}`, owner_user_id: member.userId, team_id: member.teamId }),
            onResponse,
          }));
          ctx.log(`  ${kind} round ${round + 1} keyed creates: ${describeLoad(creates.result)}`);
          checkLoad(report, `${kind} round ${round + 1} keyed creates`, creates.result, creates.failed);
          const runs = await openRunsTagged(member, runsTag);
          report.checks.push({ name: `${kind} round ${round + 1}: exactly ${KEYS} runs for ${KEYS} keys`, ok: runs.length === KEYS, detail: `${runs.length} runs for ${count} POST /runs` });
          if (runs.length !== KEYS) throw new BenchFailure(`${kind}: ${runs.length} runs made for ${KEYS} Idempotency-Keys`);
          return {
            alertP99: percentile(alerts.result.latencies, 99),
            alertP50: percentile(alerts.result.latencies, 50),
            alertRate: alerts.result.ok / alerts.result.durationS,
            createP99: percentile(creates.result.latencies, 99),
          };
        });
        report.figures.push(
          budgetFigure(`${kind}: alert p99 (${count} at once, ${KEYS} keys)`, measured.map((m) => m.alertP99), P99_BUDGET_MS),
          valueFigure(`${kind}: alert p50`, 'ms', measured.map((m) => m.alertP50)),
          valueFigure(`${kind}: alerts accepted per second`, 'alerts/s', measured.map((m) => m.alertRate)),
          valueFigure(`${kind}: keyed POST /runs p99 (${count} at once, ${KEYS} keys)`, 'ms', measured.map((m) => m.createP99)),
        );
      } finally {
        await server.stop();
      }
    }
    report.notes.push(
      `Each round opens ${count} connections at once, each posting one Alertmanager v4 notification to a fresh integration (group key i mod ${KEYS}); afterwards exactly ${KEYS} incidents must be open for the round. Then ${count} connections POST /runs with Idempotency-Key i mod ${KEYS}: exactly ${KEYS} runs must exist.`,
      `Latency target convention: baseline = the ${P99_BUDGET_MS} ms budget, ratio = budget / measured p99, target 1 (met when ratio ≥ 1).`,
    );
  },
};
