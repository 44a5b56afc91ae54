import type autocannon from 'autocannon';
import { Api, createMember, createPlaybook, createRun, PLAYBOOKS, RPC, type Member } from '../lib/api.ts';
import { freshTarget, rounds, startOn, type BenchContext, type Scenario } from '../lib/context.ts';
import { withSql, type Sql } from '../lib/db.ts';
import { BenchFailure, describeLoad, runLoad } from '../lib/load.ts';
import { ADMIN_TOKEN } from '../lib/muster.ts';
import { valueFigure, type Check, type ScenarioReport } from '../lib/report.ts';
import { percentile } from '../lib/stats.ts';

const WRITERS = 50;
const FULL_SECONDS = 60;
const SMOKE_SECONDS = 5;

type Kind = 'item' | 'status' | 'note';

/** What the clients know: every write sent, and the ones answered 2xx (accepted) or otherwise (refused). */
class Ledger {
  sent = new Map<Kind, Set<string>>([['item', new Set()], ['status', new Set()], ['note', new Set()]]);
  accepted = new Map<Kind, Set<string>>([['item', new Set()], ['status', new Set()], ['note', new Set()]]);
  refused: string[] = [];
  /** Response times of the current round per kind (setupRequest → onResponse). */
  latencies: Record<Kind, number[]> = { item: [], status: [], note: [] };
  /** Per writer: item toggles accepted, and toggles sent but never answered (the load stopped first). */
  toggles: number[] = Array.from({ length: WRITERS }, () => 0);
  unansweredToggles: number[] = Array.from({ length: WRITERS }, () => 0);
  /** Per writer: the state its item is in after its accepted toggles. */
  itemState: string[] = Array.from({ length: WRITERS }, () => '');
  /** Per writer: writes built so far, across rounds, so every marker is unique in the whole run. */
  counters: number[] = Array.from({ length: WRITERS }, () => 0);
  writes = 0;

  inFlight(kind: Kind): number {
    return this.sent.get(kind)!.size - this.accepted.get(kind)!.size;
  }
}

/**
 * One writer's cycle: toggle its own checklist item (closed ↔ open, so every accepted toggle is one event),
 * post a status update, add an RPC note. Status and note texts are unique markers the check finds in the DB.
 */
function writer(member: Member, runId: string, index: number, ledger: Ledger): autocannon.Request[] {
  const headers = { authorization: `Bearer ${member.api.token}`, 'content-type': 'application/json' };
  const nextMarker = () => ++ledger.counters[index]!;
  const pending: Record<Kind, string> = { item: '', status: '', note: '' };
  const sentAt: Record<Kind, number> = { item: 0, status: 0, note: 0 };
  const track = (kind: Kind, marker: string) => {
    pending[kind] = marker;
    sentAt[kind] = performance.now();
    ledger.sent.get(kind)!.add(marker);
  };
  const answered = (kind: Kind) => (status: number, body: string) => {
    ledger.latencies[kind].push(performance.now() - sentAt[kind]);
    if (kind === 'item') ledger.unansweredToggles[index]!--;
    if (status >= 200 && status < 300) {
      ledger.accepted.get(kind)!.add(pending[kind]);
      if (kind === 'item') {
        ledger.toggles[index]!++;
        ledger.itemState[index] = ledger.itemState[index] === 'closed' ? '' : 'closed';
      }
    } else {
      ledger.refused.push(`${kind} ${pending[kind]}: ${status} ${body.slice(0, 200)}`);
    }
  };
  return [
    {
      method: 'PUT',
      path: `${PLAYBOOKS}/runs/${runId}/checklists/0/item/${index}/state`,
      headers,
      setupRequest: (req) => {
        track('item', `item-${index}-${nextMarker()}`);
        ledger.unansweredToggles[index]!++;
        const next = ledger.itemState[index] === 'closed' ? '' : 'closed';
        return { ...req, body: JSON.stringify({ new_state: next }) };
      },
      onResponse: answered('item'),
    },
    {
      method: 'POST',
      path: `${PLAYBOOKS}/runs/${runId}/status`,
      headers,
      setupRequest: (req) => {
        const marker = `war-room status ${index}-${nextMarker()}`;
        track('status', marker);
        return { ...req, body: JSON.stringify({ message: marker, reminder: 0 }) };
      },
      onResponse: answered('status'),
    },
    {
      method: 'POST',
      path: `${RPC}/ActivityService.AddActivity`,
      headers,
      setupRequest: (req) => {
        const marker = `war-room note ${index}-${nextMarker()}`;
        track('note', marker);
        return { ...req, body: JSON.stringify({ incidentID: runId, activityKind: 'userNote', body: marker }) };
      },
      onResponse: answered('note'),
    },
  ];
}

/**
 * Between rounds: waits until writes still in flight have landed, then reads each item's state, so the next
 * round's toggles are real changes (a toggle unanswered at the stop may or may not have been applied).
 */
async function resyncItems(member: Member, runId: string, ledger: Ledger): Promise<void> {
  type Run = { timeline_events: unknown[]; checklists: Array<{ items: Array<{ state: string }> }> };
  let previous = -1;
  for (;;) {
    const run = await member.api.ok<Run>('GET', `${PLAYBOOKS}/runs/${runId}`);
    if (run.timeline_events.length === previous) {
      run.checklists[0]!.items.forEach((item, i) => {
        if (i < WRITERS) ledger.itemState[i] = item.state;
      });
      return;
    }
    previous = run.timeline_events.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function countsByText(rows: Array<{ text: string; n: number }>): Map<string, number> {
  return new Map(rows.map((r) => [r.text, Number(r.n)]));
}

/** Every accepted marked write exactly once; unaccepted ones (in flight when the load stopped) at most once; nothing unknown. */
function checkMarkers(kind: Kind, inDb: Map<string, number>, ledger: Ledger): Check {
  const accepted = ledger.accepted.get(kind)!;
  const sent = ledger.sent.get(kind)!;
  const missing = [...accepted].filter((m) => inDb.get(m) !== 1);
  const duplicated = [...inDb].filter(([, n]) => n > 1).map(([m]) => m);
  const unknown = [...inDb.keys()].filter((m) => !sent.has(m));
  const extra = [...inDb.keys()].filter((m) => !accepted.has(m)).length;
  const ok = missing.length === 0 && duplicated.length === 0 && unknown.length === 0 && extra <= ledger.inFlight(kind);
  return {
    name: `${kind === 'status' ? 'status updates' : 'RPC notes'} present exactly once`,
    ok,
    detail: `${accepted.size} accepted, ${inDb.size} in the timeline (${extra} from requests still in flight when the load stopped, of ${ledger.inFlight(kind)} unanswered), ${missing.length} missing, ${duplicated.length} duplicated, ${unknown.length} unknown`,
  };
}

async function verify(sql: Sql, runId: string, ledger: Ledger, kind: string): Promise<Check[]> {
  const checks: Check[] = [];
  const [seq] = await sql.query<{ n: number; lo: number; hi: number; last: number }>(
    `SELECT count(*)::int AS n, min(seq) AS lo, max(seq) AS hi, (SELECT last_event_seq FROM incidents WHERE id = $1) AS last
       FROM timeline_events WHERE incident_id = $1`,
    [runId],
  );
  const gapless = seq!.lo === 1 && seq!.hi === seq!.n && seq!.last === seq!.n;
  checks.push({ name: 'timeline seq gapless', ok: gapless, detail: `${seq!.n} events, seq ${seq!.lo}..${seq!.hi}, incidents.last_event_seq ${seq!.last}` });

  const statuses = countsByText(
    await sql.query(
      `SELECT p.message AS text, count(*)::int AS n FROM timeline_events te JOIN posts p ON p.id = te.post_id
        WHERE te.incident_id = $1 AND te.event_type = 'status_updated' GROUP BY p.message`,
      [runId],
    ),
  );
  checks.push(checkMarkers('status', statuses, ledger));
  const notes = countsByText(
    await sql.query(`SELECT summary AS text, count(*)::int AS n FROM timeline_events WHERE incident_id = $1 AND event_type = 'user_note' GROUP BY summary`, [
      runId,
    ]),
  );
  checks.push(checkMarkers('note', notes, ledger));

  // Items: each writer toggled its own item; its events must number its accepted toggles (+ those left unanswered).
  const items = await sql.query<{ position: number; state: string; n: number }>(
    `SELECT ci.position, ci.state, (SELECT count(*)::int FROM timeline_events te WHERE te.incident_id = ci.incident_id
        AND te.event_type = 'task_state_modified' AND (te.details::jsonb ->> 'task_id') = ci.id) AS n
       FROM checklist_items ci JOIN checklists c ON c.id = ci.checklist_id
      WHERE ci.incident_id = $1 AND c.position = 0 ORDER BY ci.position`,
    [runId],
  );
  const wrong = items.filter((row) => {
    const toggles = ledger.toggles[row.position] ?? 0;
    const stateMatches = row.state === (row.n % 2 === 1 ? 'closed' : '');
    return !stateMatches || row.n < toggles || row.n > toggles + (ledger.unansweredToggles[row.position] ?? 0);
  });
  const itemEvents = items.reduce((sum, row) => sum + row.n, 0);
  checks.push({
    name: 'item checks present exactly once',
    ok: wrong.length === 0,
    detail: `${ledger.accepted.get('item')!.size} accepted toggles, ${itemEvents} task_state_modified events, ${wrong.length} items out of line`,
  });
  return checks.map((c) => ({ ...c, name: `${kind}: ${c.name}` }));
}

export const warRoom: Scenario = {
  name: 'war-room',
  title: `War room: ${WRITERS} writers on one incident (item checks, status updates, RPC notes): nothing lost, nothing doubled, no seq gaps`,
  async run(ctx: BenchContext, report: ScenarioReport) {
    // The full run writes for 60 s per database, as 3 rounds of 20 s on the same incident (one p99 per round).
    const seconds = ctx.smoke ? SMOKE_SECONDS : FULL_SECONDS / ctx.rounds;
    for (const kind of ctx.kinds) {
      const target = await freshTarget(ctx, kind);
      const server = await startOn(target);
      const ledger = new Ledger();
      let runId = '';
      try {
        const member = await createMember(new Api(server.url, ADMIN_TOKEN), 'responder');
        runId = await createRun(member, 'War room', await createPlaybook(member, 'War room playbook', WRITERS));
        const measured = await rounds(ctx, async (round) => {
          ledger.latencies = { item: [], status: [], note: [] };
          const result = await runLoad({
            url: server.url,
            connections: WRITERS,
            duration: seconds,
            timeoutS: 120,
            perConnection: (index) => writer(member, runId, index, ledger),
          });
          ctx.log(`  ${kind} round ${round + 1}: ${describeLoad(result)}`);
          if (result.errors > 0 || ledger.refused.length > 0) {
            throw new BenchFailure(`${kind}: ${result.errors} errors/timeouts, ${ledger.refused.length} refused writes: ${ledger.refused.slice(0, 3).join('; ')}`);
          }
          await resyncItems(member, runId, ledger);
          const p99 = (write: Kind) => percentile(ledger.latencies[write], 99);
          return { p99: percentile(result.latencies, 99), p50: percentile(result.latencies, 50), rate: result.rps, item: p99('item'), status: p99('status'), note: p99('note') };
        });
        report.figures.push(
          valueFigure(`${kind}: write p99 (${WRITERS} writers, one incident)`, 'ms', measured.map((m) => m.p99)),
          valueFigure(`${kind}: write p50`, 'ms', measured.map((m) => m.p50)),
          valueFigure(`${kind}: item check p99`, 'ms', measured.map((m) => m.item)),
          valueFigure(`${kind}: status update p99`, 'ms', measured.map((m) => m.status)),
          valueFigure(`${kind}: RPC note p99`, 'ms', measured.map((m) => m.note)),
          valueFigure(`${kind}: accepted writes per second`, 'writes/s', measured.map((m) => m.rate)),
        );
      } finally {
        // Stopping first lets requests still in flight finish, and frees the PGlite directory for the check.
        await server.stop();
      }
      const checks = await withSql(target, (sql) => verify(sql, runId, ledger, kind));
      report.checks.push(...checks);
      for (const c of checks) ctx.log(`  ${c.ok ? 'PASS' : 'FAIL'} ${c.name}: ${c.detail}`);
    }
    report.notes.push(
      `${WRITERS} autocannon connections, each cycling through: toggle its own checklist item (PUT …/item/{i}/state, closed ↔ open), a Playbooks status update, an RPC AddActivity note; ${ctx.smoke ? `${seconds} s` : `${FULL_SECONDS} s per database as ${ctx.rounds} back-to-back rounds of ${seconds} s`} on one incident.`,
      'After the load the server is stopped (requests in flight finish) and the database is read directly: seq must run 1..n with n = incidents.last_event_seq; every accepted status update and note (unique text) must be in the timeline exactly once, writes unanswered when the load stopped at most once; each item must have one task_state_modified event per accepted toggle (+1 if one was in flight) and a state matching their parity.',
    );
  },
};
