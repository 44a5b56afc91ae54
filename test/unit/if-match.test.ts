import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chainHash, GENESIS_HASH } from '../../src/domain/audit/entry.ts';
import { parseIfMatch } from '../../src/http/preconditions.ts';

test('If-Match: strong tags are listed, * means no precondition, weak and malformed tags never match', () => {
  assert.deepEqual(parseIfMatch('"3"'), [3]);
  assert.deepEqual(parseIfMatch(' "3" , "17"'), [3, 17]);
  assert.equal(parseIfMatch('*'), undefined);
  assert.deepEqual(parseIfMatch('W/"3"'), []);
  assert.deepEqual(parseIfMatch('3, "abc", ""'), []);
});

test('chain hash: sha256(prev ‖ int8 seq ‖ entry), every input matters', () => {
  const h = chainHash(GENESIS_HASH, 1, '{"a":1}');
  assert.match(h, /^[0-9a-f]{64}$/);
  assert.notEqual(chainHash(GENESIS_HASH, 2, '{"a":1}'), h);
  assert.notEqual(chainHash(GENESIS_HASH, 1, '{"a":2}'), h);
  assert.notEqual(chainHash(h, 1, '{"a":1}'), h);
});
