import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { SecretBox } from '../../src/lib/secret-box.ts';

test('AES-256-GCM seal/open round trip; tampering is detected; plain text passes through', () => {
  const box = new SecretBox(randomBytes(32));
  const sealed = box.seal('whsec_abc');
  assert.match(sealed, /^enc:v1:[0-9a-f]{8}:/);
  assert.notEqual(box.seal('whsec_abc'), sealed, 'a fresh IV each time');
  assert.equal(box.open(sealed), 'whsec_abc');
  const parts = sealed.split(':');
  const ct = Buffer.from(parts[5]!, 'base64url');
  ct[0] = ct[0]! ^ 1;
  parts[5] = ct.toString('base64url');
  assert.throws(() => box.open(parts.join(':')));
  assert.equal(box.open('legacy-plain'), 'legacy-plain');
  assert.equal(box.needsReseal('legacy-plain'), true);
  assert.equal(box.needsReseal(sealed), false);
});

test('rotation: the new key opens old values through the previous key and reseals them', () => {
  const oldKey = randomBytes(32);
  const sealedOld = new SecretBox(oldKey).seal('token');
  const rotated = new SecretBox(randomBytes(32), [oldKey]);
  assert.equal(rotated.open(sealedOld), 'token');
  assert.equal(rotated.needsReseal(sealedOld), true);
  assert.throws(() => new SecretBox(randomBytes(32)).open(sealedOld), /unknown key/);
});
