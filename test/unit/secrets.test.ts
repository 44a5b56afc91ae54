import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hashPassword, hashToken, sameHash, verifyPassword } from '../../src/lib/secrets.ts';

describe('secrets', () => {
  test('a password verifies against its hash, a wrong one does not', async () => {
    const stored = await hashPassword('correct horse battery');
    assert.match(stored, /^scrypt\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    assert.ok(!stored.includes('correct horse battery'));
    assert.equal(await verifyPassword('correct horse battery', stored), true);
    assert.equal(await verifyPassword('correct horse batterY', stored), false);
    assert.equal(await verifyPassword('', stored), false);
  });

  test('the same password hashes differently each time (salted)', async () => {
    const a = await hashPassword('same-password');
    const b = await hashPassword('same-password');
    assert.notEqual(a, b);
    assert.equal(await verifyPassword('same-password', a), true);
    assert.equal(await verifyPassword('same-password', b), true);
  });

  test('a malformed or empty stored hash never verifies', async () => {
    for (const stored of ['', 'plain-text', 'bcrypt$abc$def', 'scrypt$$', 'scrypt$c2FsdA==']) {
      assert.equal(await verifyPassword('anything', stored), false, stored);
    }
  });

  test('hashToken is deterministic SHA-256 hex and differs per token', () => {
    const hash = hashToken('mst_example');
    assert.match(hash, /^[0-9a-f]{64}$/);
    assert.equal(hashToken('mst_example'), hash);
    assert.notEqual(hashToken('mst_examplf'), hash);
    // Known vector: SHA-256("abc").
    assert.equal(hashToken('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  test('sameHash compares in constant time and handles different lengths', () => {
    assert.equal(sameHash(hashToken('a'), hashToken('a')), true);
    assert.equal(sameHash(hashToken('a'), hashToken('b')), false);
    assert.equal(sameHash('abc', 'abcd'), false);
  });
});
