import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { generate, type JsonSchema } from 'json-schema-faker';
import { startHarness, testDatabases, type Harness } from '../helpers/harness.ts';
import { mutantSpec, mutateJson, mutateParams, mutateQuery, type MutantSpec, type Part } from './mutants.ts';
import { errorShapeProblem, installWriteCounter, timelineGaps, writeCount, writesBetween } from './oracle.ts';
import { collectTargets, paramFixture, withFixtureIds, type Fixtures, type Target } from './targets.ts';

// The schema-driven fuzz tier (issue 9): every route of both facades and the v4 slice, collected from the
// schemas they registered, gets valid requests generated from those schemas (json-schema-faker) and mutants
// drawn by fast-check with a fixed seed. Oracle: no 5xx, every error in its facade's catalogue shape, a
// rejected request writes nothing, every timeline gapless. MUSTER_FUZZ_SEED replays another seed;
// MUSTER_FUZZ_BUDGET_MS bounds the mutants' time on each database.

const SEED = Number(process.env.MUSTER_FUZZ_SEED ?? 20261203);
const BUDGET_MS = Number(process.env.MUSTER_FUZZ_BUDGET_MS ?? 25_000);
const VALID = 3;
const MUTANTS = 40;
const API = '/plugins/playbooks/api/v0';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

interface Request {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: string | undefined;
  contentType: string | undefined;
}

interface Tally {
  valid: number;
  mutants: number;
  rejected: number;
  statuses: Map<number, number>;
  failures: string[];
}

const hasBody = (t: Target) => t.method !== 'GET' && t.method !== 'HEAD';

function jsonSchema(schema: object): object {
  return JSON.parse(JSON.stringify(schema)) as object; // TypeBox's symbols dropped
}

async function fake(schema: object | undefined, seed: number, f: Fixtures): Promise<unknown> {
  if (!schema) return undefined;
  return withFixtureIds(await generate(jsonSchema(schema) as JsonSchema, { seed, maxItems: 3, optionalsProbability: 0.6 }), f);
}

function pathOf(target: Target, req: Request): string {
  const url = target.url.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent((req.params[name] ?? '').replace(LONE_SURROGATE, '\uFFFD')));
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query)) for (const one of Array.isArray(v) ? v : [v]) search.append(k, typeof one === 'string' ? one : JSON.stringify(one));
  const qs = search.toString();
  return qs ? `${url}?${qs}` : url;
}

for (const kind of testDatabases()) {
  describe(`${kind}: schema-driven fuzz`, () => {
    let h: Harness;
    let f: Fixtures;

    before(async () => {
      h = await startHarness(kind);
      const run = await h.post(`${API}/runs`, { name: 'Fuzzed', owner_user_id: h.admin.id, team_id: h.teamId });
      assert.equal(run.status, 201, run.text);
      assert.equal((await h.post(`${API}/runs/${run.body.id}/checklists/0/add`, { title: 'an item' })).status, 201);
      const pb = await h.post(`${API}/playbooks`, { title: 'Fuzzed', team_id: h.teamId });
      assert.equal(pb.status, 201, pb.text);
      await installWriteCounter(h.ctx.db);
      f = { runId: run.body.id, playbookId: pb.body.id, teamId: h.teamId, userId: h.admin.id, channelId: run.body.channel_id };
    });
    after(async () => {
      await h.close();
    });

    /** Sends one request and checks the oracle; returns a violation, or undefined. */
    async function check(target: Target, req: Request, tally: Tally): Promise<string | undefined> {
      const db = h.ctx.db;
      const written = await writeCount(db);
      const headers: Record<string, string> = { authorization: `Bearer ${h.admin.token}` };
      if (req.contentType) headers['content-type'] = req.contentType;
      const res = await h.muster.app.inject({ method: target.method as 'GET', url: pathOf(target, req), headers, payload: hasBody(target) ? req.body : undefined });
      tally.statuses.set(res.statusCode, (tally.statuses.get(res.statusCode) ?? 0) + 1);
      const what = `${target.name} ${pathOf(target, req).slice(0, 200)} ${JSON.stringify(req.body?.slice(0, 300))} [${req.contentType}]`;
      if (res.statusCode >= 500) return `${res.statusCode} ${res.body.slice(0, 200)}: ${what}`;
      if (res.statusCode < 400) return undefined;
      tally.rejected++;
      const shape = errorShapeProblem(target.facade, res.body);
      if (shape) return `${res.statusCode} ${shape}: ${what}`;
      const now = await writeCount(db);
      if (now !== written) return `${res.statusCode} ${res.body.slice(0, 120)} yet wrote ${writesBetween(written, now)}: ${what}`;
      return undefined;
    }

    async function bases(target: Target, seed: number): Promise<Request[]> {
      const params = Object.fromEntries(target.params.map((p) => [p, paramFixture(target.url, p, f)]));
      const out: Request[] = [];
      for (let i = 0; i < VALID; i++) {
        const body = await fake(target.body, seed + i, f);
        const query = ((await fake(target.querystring, seed + i, f)) ?? {}) as Record<string, unknown>;
        if (target.name === 'RPC incoming webhook') query.token = h.admin.token;
        const text = body === undefined ? (hasBody(target) && target.body ? '{}' : undefined) : JSON.stringify(body);
        out.push({ params, query, body: text, contentType: text === undefined ? undefined : 'application/json' });
      }
      return out;
    }

    function mutate(base: Request, spec: MutantSpec): Request {
      if (spec.part === 'params') return { ...base, params: mutateParams(base.params, spec.mutations) };
      if (spec.part === 'query') return { ...base, query: mutateQuery(base.query, spec.mutations) };
      return { ...base, body: mutateJson(base.body === undefined ? {} : JSON.parse(base.body), spec.mutations), contentType: spec.contentType };
    }

    async function fuzzTarget(target: Target, index: number, deadline: number, tally: Tally): Promise<void> {
      const seed = SEED + index * 1000;
      const valid = await bases(target, seed);
      for (const req of valid) {
        tally.valid++;
        const problem = await check(target, req, tally);
        if (problem) tally.failures.push(`valid: ${problem}`);
      }
      const parts: Part[] = ['query'];
      if (hasBody(target)) parts.push('body');
      if (target.params.length) parts.push('params');
      // Past the deadline the remaining runs pass without sending (fast-check's own time limit would abandon a
      // request mid-flight, and its writes would land during the next target's checks).
      const property = fc.asyncProperty(fc.nat({ max: VALID - 1 }), mutantSpec(parts), async (which, spec) => {
        if (Date.now() > deadline) return;
        tally.mutants++;
        const problem = await check(target, mutate(valid[which]!, spec), tally).catch((err: Error) => `the test threw ${err.stack?.split('\n').slice(0, 8).join(' | ')}`);
        if (problem) throw new Error(problem);
      });
      const result = await fc.check(property, { seed, numRuns: MUTANTS, endOnFailure: true });
      if (result.failed) {
        const error = result.errorInstance instanceof Error ? result.errorInstance.message : fc.defaultReportMessage(result);
        tally.failures.push(`mutant (seed ${seed}, path ${result.counterexamplePath}): ${error}`);
      }
    }

    test('every route: no 5xx, errors in the catalogue shape, nothing half-written', async (t) => {
      const targets = collectTargets(h.muster.app.routeCatalogue);
      assert.ok(targets.filter((x) => x.facade === 'rpc').length > 30, 'the RPC methods were collected');
      assert.ok(targets.filter((x) => x.url.startsWith('/api/v4/')).length > 8, 'the v4 routes were collected');
      assert.ok(targets.filter((x) => x.url.startsWith(API)).length > 40, 'the Playbooks routes were collected');
      const tally: Tally = { valid: 0, mutants: 0, rejected: 0, statuses: new Map(), failures: [] };
      const started = Date.now();
      for (const [i, target] of targets.entries()) {
        // Each target gets an equal share of what is left of the budget.
        const deadline = Date.now() + Math.max(50, (started + BUDGET_MS - Date.now()) / (targets.length - i));
        await fuzzTarget(target, i, deadline, tally);
      }
      const gaps = await timelineGaps(h.ctx.db);
      const statuses = [...tally.statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
      t.diagnostic(`fuzz ${kind}: seed ${SEED}, ${targets.length} targets, ${tally.valid} valid + ${tally.mutants} mutated requests in ${Date.now() - started} ms`);
      t.diagnostic(`fuzz ${kind}: statuses ${statuses}; ${tally.rejected} rejected with nothing written; ${tally.failures.length} violations; ${gaps.length} timelines with gaps`);
      assert.deepEqual(tally.failures, []);
      assert.deepEqual(gaps, []);
    });
  });
}
