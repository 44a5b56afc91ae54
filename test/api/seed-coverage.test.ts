import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from '../helpers/harness.ts';

// Every operation of the Playbooks seed (shared/seeds/000_*.txt, an OpenAPI document flattened to one line)
// must be served, under every prefix real clients use. The operations are read from the seed when it sits
// beside the checkout (shared/ next to the repository), else from the list extracted from it into fixtures/.
const SEED = new URL('../../../shared/seeds/000_2ba07b852c5e5fe2.txt', import.meta.url);
const FIXTURE = new URL('../fixtures/playbooks-seed-operations.json', import.meta.url);
const PREFIXES = ['/plugins/playbooks/api/v0', '/api/v0', '/plugins/com.mattermost.plugin-incident-management/api/v0'];

type Operation = { method: string; path: string; operationId: string };

function parseSeed(text: string): Operation[] {
  const ops: Operation[] = [];
  const starts = [...text.matchAll(/(\/plugins\/playbooks\/api\/v0\/[^\s:]*): /g)].map((m) => ({ path: m[1]!, index: m.index! }));
  for (const [i, start] of starts.entries()) {
    const block = text.slice(start.index, starts[i + 1]?.index ?? text.length);
    for (const m of block.matchAll(/ (get|post|put|patch|delete): summary: .*? operationId: (\w+)/g)) {
      ops.push({ method: m[1]!.toUpperCase(), path: start.path.replace('/plugins/playbooks/api/v0', ''), operationId: m[2]! });
    }
  }
  // The callbacks section repeats "post: summary" for webhooks; those are not server routes.
  return ops.filter((op) => !op.operationId.startsWith('webhookOn'));
}

const fixture = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Operation[];
const seedOperations = (): Operation[] => (fs.existsSync(SEED) ? parseSeed(fs.readFileSync(SEED, 'utf8')) : fixture);

describe('Playbooks seed coverage', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness('pglite');
  });
  after(async () => {
    await h.close();
  });

  test('the seed lists the 31 operations of the issue, and the extracted list matches it', () => {
    assert.equal(seedOperations().length, 31);
    assert.deepEqual(fixture, seedOperations());
  });

  test('every seed operation answers (no "no route" 404) under every prefix', async () => {
    const unrouted: string[] = [];
    for (const op of seedOperations()) {
      const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => (['checklist', 'item'].includes(name) ? '0' : 'a'.repeat(26)));
      for (const prefix of PREFIXES) {
        const res = await h.request(op.method, prefix + path, op.method === 'GET' || op.method === 'DELETE' ? {} : { body: {} });
        if (res.status === 404 && String(res.body?.error).startsWith('Not found: no route')) unrouted.push(`${op.method} ${prefix}${path} (${op.operationId})`);
      }
    }
    assert.deepEqual(unrouted, []);
  });
});
