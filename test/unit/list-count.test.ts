import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clampTotal, countMatching, CountCache, totalFromPage, type CountPolicy } from '../../src/domain/incidents/list-count.ts';

describe('list totals', () => {
  test('a last page that is not empty, or an empty first page, decides the total alone', () => {
    assert.equal(totalFromPage({ offset: 40, rows: 7, hasMore: false }), 47);
    assert.equal(totalFromPage({ offset: 0, rows: 0, hasMore: false }), 0);
    assert.equal(totalFromPage({ offset: 40, rows: 20, hasMore: true }), undefined);
    assert.equal(totalFromPage({ offset: 40, rows: 0, hasMore: false }), undefined);
  });

  test('a stale total is kept consistent with the page', () => {
    // Too small: at least every row up to this page, and one more when more follow.
    assert.equal(clampTotal(10, { offset: 20, rows: 20, hasMore: true }), 41);
    // Past the end: at most the offset.
    assert.equal(clampTotal(100, { offset: 60, rows: 0, hasMore: false }), 60);
    assert.equal(clampTotal(50, { offset: 60, rows: 0, hasMore: false }), 50);
    assert.equal(clampTotal(500, { offset: 20, rows: 20, hasMore: true }), 500);
  });

  test('the cache forgets entries after its time to live, and the oldest when full', () => {
    let now = 0;
    const cache = new CountCache(1000, 2, () => now);
    cache.set('a', 1);
    cache.set('b', 2);
    now = 999;
    assert.equal(cache.get('a'), 1);
    cache.set('c', 3);
    assert.equal(cache.get('a'), undefined, 'evicted as the oldest');
    assert.equal(cache.get('b'), 2);
    now = 1000;
    assert.equal(cache.get('b'), undefined, 'expired');
    assert.equal(cache.get('c'), 3);
  });

  test('small lists are counted exactly every time; large ones once, then reused', async () => {
    const policy: CountPolicy = { exactCap: 10, cache: new CountCache(), cacheSlowerThanMs: 0 };
    const page = { offset: 0, rows: 5, hasMore: true };
    let matching = 8;
    const calls: string[] = [];
    const count = () =>
      countMatching(
        policy,
        'key',
        page,
        async (limit) => {
          calls.push(`upTo ${limit}`);
          return Math.min(matching, limit);
        },
        async () => {
          calls.push('all');
          return matching;
        },
      );
    assert.equal(await count(), 8);
    matching = 9;
    assert.equal(await count(), 9, 'not cached under the cap');
    matching = 25;
    assert.equal(await count(), 25);
    matching = 26;
    assert.equal(await count(), 25, 'reused above the cap');
    assert.deepEqual(calls, ['upTo 11', 'upTo 11', 'upTo 11', 'all']);
  });

  test('a cheap full count is not cached', async () => {
    const policy: CountPolicy = { exactCap: 1, cache: new CountCache(), cacheSlowerThanMs: 60_000 };
    let matching = 5;
    const count = () => countMatching(policy, 'key', { offset: 0, rows: 1, hasMore: true }, async (limit) => Math.min(matching, limit), async () => matching);
    assert.equal(await count(), 5);
    matching = 6;
    assert.equal(await count(), 6);
  });
});
