import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isValidId, newId, newSecret } from '../../src/lib/ids.ts';

const ALPHABET = 'ybndrfg8ejkmcpqxot1uwisza345h769';

describe('ids', () => {
  test('newId is 26 characters from Mattermost\'s base32 alphabet', () => {
    for (let i = 0; i < 2000; i++) {
      const id = newId();
      assert.equal(id.length, 26, id);
      for (const ch of id) assert.ok(ALPHABET.includes(ch), `${ch} in ${id}`);
      assert.ok(isValidId(id));
    }
  });

  test('newId uses the whole alphabet and never repeats', () => {
    const seen = new Set<string>();
    const chars = new Set<string>();
    for (let i = 0; i < 20000; i++) {
      const id = newId();
      seen.add(id);
      for (const ch of id) chars.add(ch);
    }
    assert.equal(seen.size, 20000);
    assert.equal(chars.size, 32);
  });

  test('isValidId: exactly 26 alphanumerics', () => {
    assert.equal(isValidId('a'.repeat(26)), true);
    assert.equal(isValidId('A1'.repeat(13)), true);
    assert.equal(isValidId('a'.repeat(25)), false);
    assert.equal(isValidId('a'.repeat(27)), false);
    assert.equal(isValidId(`${'a'.repeat(25)}-`), false);
    assert.equal(isValidId(''), false);
    assert.equal(isValidId(26), false);
    assert.equal(isValidId(undefined), false);
  });

  test('newSecret is prefixed, url-safe and unique', () => {
    const a = newSecret();
    const b = newSecret();
    assert.match(a, /^mst_[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a, b);
    assert.match(newSecret(''), /^[A-Za-z0-9_-]{43}$/);
  });
});
