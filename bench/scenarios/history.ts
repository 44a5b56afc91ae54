import { Api, createMember, createRun, PLAYBOOKS, RPC, V4, type Member } from '../lib/api.ts';
import { freshTarget, rounds, startOn, type BenchContext, type Scenario } from '../lib/context.ts';
import { withSql, type DbTarget, type Sql } from '../lib/db.ts';
import { activeCount, HISTORY_END_MS, loadHistory, MINUTE, type HistoryShape } from '../lib/history-load.ts';
import { BenchFailure, describeLoad, requireAllOk, runLoad } from '../lib/load.ts';
import { ADMIN_TOKEN, type DbKind, type MusterProcess } from '../lib/muster.ts';
import { captureEach, inlineParams, type LoggedStatement } from '../lib/pglog.ts';
import { budgetFigure, valueFigure, type ScenarioReport } from '../lib/report.ts';
import { percentile, round } from '../lib/stats.ts';

const EVENTS_PER_INCIDENT = 20;
const ITEMS_PER_INCIDENT = 2;
/** The sizes: 100k incidents / 2M events on PGlite, 1M / 20M on PostgreSQL. BENCH_HISTORY_PG overrides the latter. */
const FULL: Record<DbKind, number> = { pglite: 100_000, postgres: Number(process.env.BENCH_HISTORY_PG ?? 1_000_000) };
const SMOKE_INCIDENTS = 1_000;
const SMOKE_EVENTS = 10;
const P95_BUDGET_MS: Record<DbKind, number> = { pglite: 100, postgres: 50 };
const PAGE = 20;

interface Query {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

/** The pages a history view asks for: Playbooks lists (page, deep page, filters, search) and RPC QueryIncidents. */
async function historyQueries(member: Member, incidents: number, hasQueryIncidents: boolean): Promise<Query[]> {
  const list = `${PLAYBOOKS}/runs?team_id=${member.teamId}&per_page=${PAGE}&sort=create_at&direction=desc`;
  // Everything is counted from the newest incident, so both databases ask for the same rows (see history-load.ts).
  const day = 24 * 60 * MINUTE;
  const windowStart = HISTORY_END_MS - Math.min(10 * day, Math.floor(incidents / 2) * MINUTE);
  const deepPage = Math.min(500, Math.floor(incidents / PAGE / 2));
  const queries: Query[] = [
    { name: 'GET /runs newest page', method: 'GET', path: list },
    { name: `GET /runs page ${deepPage} (offset ${deepPage * PAGE})`, method: 'GET', path: `${list}&page=${deepPage}` },
    { name: 'GET /runs statuses=InProgress', method: 'GET', path: `${list}&statuses=InProgress` },
    { name: 'GET /runs owner_user_id=me', method: 'GET', path: `${list}&owner_user_id=me` },
    { name: 'GET /runs search_term=checkout', method: 'GET', path: `${list}&search_term=checkout` },
    // A rare term (incident numbers containing 4242: a few hundred in a million) cannot stop early on the list order.
    { name: 'GET /runs search_term=4242 (rare)', method: 'GET', path: `${list}&search_term=4242` },
    { name: 'GET /runs started in one day', method: 'GET', path: `${list}&started_gte=${windowStart}&started_lt=${windowStart + day}` },
  ];
  if (!hasQueryIncidents) return queries;
  const rpc = `${RPC}/IncidentsService.QueryIncidents`;
  const body = (queryString: string, cursor = '') => JSON.stringify({ query: { limit: PAGE, queryString }, ...(cursor ? { cursor: { nextValue: cursor } } : {}) });
  // A cursor ten pages into the resolved incidents, fetched once, then asked for again and again.
  let cursor = '';
  for (let page = 0; page < 10; page++) {
    const res = await member.api.ok<{ cursor: { nextValue: string } }>('POST', rpc, JSON.parse(body('status:resolved', cursor)));
    cursor = res.cursor.nextValue;
  }
  queries.push(
    { name: 'QueryIncidents "status:active severity:critical"', method: 'POST', path: rpc, body: body('status:active severity:critical') },
    { name: 'QueryIncidents "title:checkout"', method: 'POST', path: rpc, body: body('title:checkout') },
    { name: 'QueryIncidents "status:resolved", cursor page 11', method: 'POST', path: rpc, body: body('status:resolved', cursor) },
  );
  return queries;
}

/** Natural keys of the ids that differ between two databases (users, teams, the API-made run), for moving SQL across. */
async function naturalIds(sql: Sql): Promise<Map<string, string>> {
  const rows = await sql.query<{ key: string; id: string }>(
    `SELECT 'user:' || username AS key, id FROM users
     UNION ALL SELECT 'team:' || name, id FROM teams
     UNION ALL SELECT 'incident:' || name, id FROM incidents WHERE id NOT LIKE 'i0%'
     UNION ALL SELECT 'channel:' || name, id FROM channels WHERE id NOT LIKE 'c0%'
     UNION ALL SELECT 'checklist:' || i.name, c.id FROM checklists c JOIN incidents i ON i.id = c.incident_id WHERE c.id NOT LIKE 'k0%'`,
  );
  return new Map(rows.map((r) => [r.key, r.id]));
}

interface Explained {
  query: string;
  ms: number;
  plan: string;
}

/** EXPLAIN (ANALYZE, BUFFERS) of each SELECT a request ran; ids swapped for this database's own. */
async function explainAll(sql: Sql, captured: Map<string, LoggedStatement[]>, swap: Map<string, string>): Promise<Explained[]> {
  const out: Explained[] = [];
  for (const [query, statements] of captured) {
    for (const statement of statements) {
      if (!/^\s*select/i.test(statement.sql) || !/"incidents"|"timeline_events"/.test(statement.sql)) continue;
      let text = inlineParams(statement);
      for (const [from, to] of swap) text = text.split(from).join(to);
      const rows = await sql.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${text}`);
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      const ms = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? 0);
      out.push({ query, ms, plan: `${text}\n\n${plan}` });
    }
  }
  return out;
}

/** Keeps, per request, its slowest statement, and the second slowest when it takes 5 ms or more. */
function slowest(explained: Explained[]): Explained[] {
  const byQuery = new Map<string, Explained[]>();
  for (const e of explained) byQuery.set(e.query, [...(byQuery.get(e.query) ?? []), e]);
  return [...byQuery.values()].flatMap((list) => list.sort((a, b) => b.ms - a.ms).filter((e, i) => i === 0 || (i === 1 && e.ms >= 5)));
}

async function probeQueryIncidents(member: Member): Promise<boolean> {
  const res = await member.api.request('POST', `${RPC}/IncidentsService.QueryIncidents`, { query: { limit: 1 } });
  if (res.status === 200) return true;
  if (res.status === 404) return false;
  throw new BenchFailure(`QueryIncidents probe answered ${res.status}: ${res.text.slice(0, 200)}`);
}

export const history: Scenario = {
  name: 'history',
  title: 'History: bulk-loaded incidents and timelines, then list/filter/search/query-string/cursor pages (p95)',
  async run(ctx: BenchContext, report: ScenarioReport) {
    const seconds = ctx.smoke ? 1 : 2;
    // PostgreSQL first: its statement log gives the SQL whose plans are shown for both databases.
    const kinds = [...ctx.kinds].sort((a, b) => (a === 'postgres' ? -1 : b === 'postgres' ? 1 : 0));
    let captured = new Map<string, LoggedStatement[]>();
    let capturedIds = new Map<string, string>();
    for (const kind of kinds) {
      const shape: HistoryShape = {
        incidents: ctx.smoke ? SMOKE_INCIDENTS : FULL[kind],
        eventsPerIncident: ctx.smoke ? SMOKE_EVENTS : EVENTS_PER_INCIDENT,
        itemsPerIncident: ITEMS_PER_INCIDENT,
        batch: ctx.smoke ? 500 : kind === 'postgres' ? 50_000 : 10_000,
      };
      const target: DbTarget = await freshTarget(ctx, kind);
      // 1. Start once to migrate and bootstrap; make the reader and one run through the API (its settings are the template).
      let server: MusterProcess = await startOn(target);
      const admin = new Api(server.url, ADMIN_TOKEN);
      const member = await createMember(admin, 'historian');
      const adminId = (await admin.ok<{ id: string }>('GET', `${V4}/users/me`)).id;
      const templateId = await createRun(member, 'History template run');
      await server.stop();

      // 2. Bulk load with SQL while the server is down.
      const events = shape.incidents * shape.eventsPerIncident;
      ctx.log(`  ${kind}: loading ${shape.incidents} incidents, ${events} timeline events`);
      const times = await withSql(target, async (sql) => {
        const [row] = await sql.query<{ settings: unknown }>('SELECT settings FROM incidents WHERE id = $1', [templateId]);
        const settingsJson = typeof row!.settings === 'string' ? row!.settings : JSON.stringify(row!.settings);
        let last = performance.now();
        return loadHistory(sql, shape, { teamId: member.teamId, adminId, memberId: member.userId, settingsJson }, (done) => {
          if (performance.now() - last > 15_000) {
            ctx.log(`    ${kind}: ${done} incidents loaded`);
            last = performance.now();
          }
        });
      });
      ctx.log(`  ${kind}: loaded in ${round(times.insertS)} s + ${round(times.indexS)} s for indexes and ANALYZE`);
      report.figures.push(
        valueFigure(`${kind}: bulk load of ${shape.incidents} incidents / ${events} events (INSERT)`, 's', [times.insertS]),
        valueFigure(`${kind}: index builds (timeline, run-name trigrams) + ANALYZE`, 's', [times.indexS]),
      );

      // 3. Start again and page through the history.
      server = await startOn(target);
      try {
        // The port is new after the restart.
        const live = new Api(server.url, member.api.token);
        const memberHere: Member = { ...member, api: live };
        const first = await live.ok<{ total_count: number; items: unknown[] }>('GET', `${PLAYBOOKS}/runs?team_id=${member.teamId}&per_page=${PAGE}`);
        const listedAll = first.total_count === shape.incidents + 1 && first.items.length === PAGE;
        report.checks.push({
          name: `${kind}: the list sees the whole history`,
          ok: listedAll,
          detail: `total_count ${first.total_count} (want ${shape.incidents + 1}), first page ${first.items.length} items`,
        });
        if (!listedAll) throw new BenchFailure(`${kind}: GET /runs total_count ${first.total_count}, want ${shape.incidents + 1}`);

        const hasQueryIncidents = await probeQueryIncidents(memberHere);
        if (!hasQueryIncidents && !report.notes.some((n) => n.includes('QueryIncidents'))) {
          report.notes.push('RPC QueryIncidents is not implemented in this build (the method answered 404), so its figures are left out.');
        }
        const queries = await historyQueries(memberHere, shape.incidents, hasQueryIncidents);
        const headers = { authorization: `Bearer ${member.api.token}`, 'content-type': 'application/json' };
        // The smoke run asks each page a few times instead of for seconds.
        const load = (q: Query, s: number) =>
          runLoad({
            url: server.url,
            connections: 1,
            duration: s,
            ...(ctx.smoke ? { amount: 5 } : {}),
            requests: [{ method: q.method, path: q.path, headers, ...(q.body ? { body: q.body } : {}) }],
          });
        if (!ctx.smoke) for (const q of queries) await load(q, 1); // warm-up: caches and JIT

        const measured = await rounds(ctx, async (i) => {
          const p95: number[] = [];
          for (const q of queries) {
            const result = await load(q, seconds);
            requireAllOk(`${kind} ${q.name}`, result);
            p95.push(percentile(result.latencies, 95));
            ctx.log(`  ${kind} round ${i + 1} ${q.name}: ${describeLoad(result)}`);
          }
          return p95;
        });
        queries.forEach((q, i) => {
          report.figures.push(budgetFigure(`${kind}: ${q.name} p95`, measured.map((m) => m[i]!), P95_BUDGET_MS[kind]));
        });

        // 4. Plans. PostgreSQL: log the statements each page runs, EXPLAIN ANALYZE them. PGlite: the same SQL.
        if (kind === 'postgres' && ctx.cluster && target.databaseUrl) {
          const lists = await captureEach(
            ctx.cluster,
            target.databaseUrl,
            queries.map((q) => async () => {
              await live.ok(q.method, q.path, q.body ? JSON.parse(q.body) : undefined);
            }),
          );
          captured = new Map(queries.map((q, i) => [q.name, lists[i]!]));
          capturedIds = await withSql(target, naturalIds);
          const explained = await withSql(target, (sql) => explainAll(sql, captured, new Map()));
          for (const e of slowest(explained)) report.plans.push({ name: `${kind}: ${e.query} (${round(e.ms)} ms)`, plan: e.plan });
        }
      } finally {
        await server.stop();
      }
      if (kind === 'pglite' && captured.size > 0) {
        const explained = await withSql(target, async (sql) => {
          const here = await naturalIds(sql);
          const swap = new Map<string, string>();
          for (const [key, id] of capturedIds) if (here.has(key)) swap.set(id, here.get(key)!);
          return explainAll(sql, captured, swap);
        });
        for (const e of slowest(explained)) report.plans.push({ name: `${kind}: ${e.query} (${round(e.ms)} ms)`, plan: e.plan });
      }
    }
    report.notes.push(
      `Seeded with SQL (generate_series), not the API: per incident a channel, one checklist with ${ITEMS_PER_INCIDENT} items and ${ctx.smoke ? SMOKE_EVENTS : EVENTS_PER_INCIDENT} timeline events (seq 1..n); one minute apart going back from 2026-01-01; the newest ${activeCount(ctx.smoke ? SMOKE_INCIDENTS : FULL.pglite)} active, the rest resolved; every tenth owned by the reader; names like "Checkout latency #123". Foreign-key triggers are off during the load (rows consistent by construction) and the timeline's indexes are re-created from their own definitions after it, then ANALYZE.`,
      `Each page: ${seconds} s with one connection (requests back to back, so p95 is service time, not queueing), as a regular team member; ${PAGE} incidents per page. Budgets: p95 < ${P95_BUDGET_MS.pglite} ms on PGlite, < ${P95_BUDGET_MS.postgres} ms on PostgreSQL (ratio = budget / p95).`,
      'Plans: the statements each page runs are taken from the PostgreSQL statement log and run again under EXPLAIN (ANALYZE, BUFFERS) on each database (on PGlite with its own user, team and template-run ids; the seeded rows near the newest end, where every page looks, are identical on both); the slowest statement of each page is shown (and the second slowest when it takes 5 ms or more).',
    );
  },
};
