import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { listIncidents, type IncidentFilter } from '../../src/domain/incidents/read.ts';
import { CountCache, type CountPolicy } from '../../src/domain/incidents/list-count.ts';
import { API, startHarness, testDatabases, type Harness } from '../helpers/harness.ts';


for (const kind of testDatabases()) {
  describe(`${kind}: run list totals`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(kind);
    });
    after(async () => {
      await h.close();
    });

    async function declare(names: string[]): Promise<void> {
      for (const name of names) {
        const res = await h.post(`${API}/runs`, { name, owner_user_id: h.admin.id, team_id: h.teamId });
        assert.equal(res.status, 201);
      }
    }

    test('GET /runs: total_count, page_count and has_more are exact on every page, past the end too', async () => {
      await declare(['Ledger drift 1', 'Ledger drift 2', 'Ledger drift 3', 'Ledger drift 4', 'Ledger drift 5']);
      const page = async (n: number) => (await h.get(`${API}/runs?team_id=${h.teamId}&search_term=ledger%20drift&per_page=2&page=${n}`)).body;
      const seen = [];
      for (let n = 0; n < 4; n++) {
        const body = await page(n);
        seen.push({ total: body.total_count, pages: body.page_count, more: body.has_more, n: body.items.length });
      }
      assert.deepEqual(seen, [
        { total: 5, pages: 3, more: true, n: 2 },
        { total: 5, pages: 3, more: true, n: 2 },
        { total: 5, pages: 3, more: false, n: 1 },
        { total: 5, pages: 3, more: false, n: 0 },
      ]);
      await declare(['Ledger drift 6']);
      const first = await page(0);
      assert.deepEqual([first.total_count, first.page_count, first.has_more], [6, 3, true], 'a new run counts at once');
      const empty = (await h.get(`${API}/runs?team_id=${h.teamId}&search_term=no-such-run-anywhere`)).body;
      assert.deepEqual([empty.total_count, empty.page_count, empty.has_more, empty.items], [0, 0, false, []]);
    });

    test('above the cap the total is counted once and reused, and stays consistent with every page', async () => {
      await declare(['Quota burst 1', 'Quota burst 2', 'Quota burst 3', 'Quota burst 4', 'Quota burst 5', 'Quota burst 6', 'Quota burst 7']);
      const actor = { userId: h.admin.id, isAdmin: true };
      const policy: CountPolicy = { exactCap: 3, cache: new CountCache(), cacheSlowerThanMs: 0 };
      const filter = (page: number, searchTerm = 'quota burst'): IncidentFilter => ({
        teamId: h.teamId,
        searchTerm,
        sort: 'create_at',
        direction: 'desc',
        page,
        perPage: 2,
      });
      const list = async (page: number, searchTerm?: string) => {
        const { total, incidents } = await listIncidents(h.ctx.db, actor, filter(page, searchTerm), policy);
        return { total, n: incidents.length };
      };
      assert.deepEqual(await list(0), { total: 7, n: 2 });
      assert.deepEqual(await list(3), { total: 7, n: 1 }, 'the last page decides the total itself');

      await declare(['Quota burst 8', 'Quota burst 9']);
      assert.deepEqual(await list(0), { total: 7, n: 2 }, 'the cached total is reused');
      assert.deepEqual(await list(3), { total: 9, n: 2 }, 'a page still followed by rows lifts it to at least what it proves');
      assert.deepEqual(await list(4), { total: 9, n: 1 }, 'the last page is exact');
      assert.deepEqual(await list(9), { total: 7, n: 0 }, 'past the end: at most the offset');

      // At or under the cap the count is exact and never cached.
      assert.deepEqual(await list(0, 'quota burst 1'), { total: 1, n: 1 });
      await declare(['Quota burst 10', 'Quota burst 11']);
      assert.deepEqual(await list(0, 'quota burst 1'), { total: 3, n: 2 });
    });
  });
}
