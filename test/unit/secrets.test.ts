import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { randomBytes, scryptSync } from 'node:crypto';
import { hashPassword, hashToken, needsRehash, sameHash, verifyPassword } from '../../src/lib/secrets.ts';

describe('secrets', () => {
  test('a password verifies against its hash, a wrong one does not', async () => {
    const stored = await hashPassword('correct horse battery');
    // argon2id with OWASP's parameters (19 MiB, t=2, p=1) in PHC form.
    assert.match(stored, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    assert.equal(needsRehash(stored), false);
    assert.ok(!stored.includes('correct horse battery'));
    assert.equal(await verifyPassword('correct horse battery', stored), true);
    assert.equal(await verifyPassword('correct horse batterY', stored), false);
    assert.equal(await verifyPassword('', stored), false);
  });

  test('a scrypt hash from before argon2id still verifies and is marked for rehashing', async () => {
    const salt = randomBytes(16);
    const stored = `scrypt$${salt.toString('base64')}$${scryptSync('old password', salt, 32).toString('base64')}`;
    assert.equal(await verifyPassword('old password', stored), true);
    assert.equal(await verifyPassword('old passwore', stored), false);
    assert.equal(needsRehash(stored), true);
    assert.equal(needsRehash('$argon2id$v=19$m=4096,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2g'), true);
  });

  test('the same password hashes differently each time (salted)', async () => {
    const a = await hashPassword('same-password');
    const b = await hashPassword('same-password');
    assert.notEqual(a, b);
    assert.equal(await verifyPassword('same-password', a), true);
    assert.equal(await verifyPassword('same-password', b), true);
  });

  test('a malformed or empty stored hash never verifies', async () => {
    for (const stored of ['', 'plain-text', 'bcrypt$abc$def', 'scrypt$$', 'scrypt$c2FsdA==', '$argon2id$v=19$broken']) {
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
