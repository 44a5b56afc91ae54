import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import {
  giSignatureHeader,
  giSignatureV1,
  standardWebhookSignature,
  verifyGiSignature,
  verifyStandardWebhook,
} from '../../src/lib/signature.ts';

// The published vectors (shared/vectors/README.md, beside the checkout): GI-Signature from incident-go's
// webhook_test.go, Standard Webhooks from the specification's JavaScript library test.
const GI_PAYLOAD = [
  new URL('../../../shared/vectors/gi-signature-payload.json', import.meta.url).pathname,
  '/work/shared/vectors/gi-signature-payload.json',
].find((candidate) => fs.existsSync(candidate)) ?? 'shared/vectors/gi-signature-payload.json (not found beside the checkout)';
const GI_SECRET = 'some-secret-value';
const GI_T = 1678360185;
const GI_V1 = '66ed620915831e9ab71604bf35d9b7cf2e71978ed6e62be6fd0e5194289849c7';

describe('GI-Signature', () => {
  const body = fs.readFileSync(GI_PAYLOAD); // the exact bytes: tabs, newlines, no trailing newline

  test('reproduces the incident-go test vector over the exact payload bytes', () => {
    assert.equal(giSignatureV1(GI_SECRET, body, GI_T), GI_V1);
    assert.equal(giSignatureHeader(GI_SECRET, body, GI_T), `t=${GI_T},v1=${GI_V1}`);
    // The same bytes as a string sign the same.
    assert.equal(giSignatureV1(GI_SECRET, body.toString('utf8'), GI_T), GI_V1);
  });

  test('verifies the vector header and refuses any change to body, time, secret or header', () => {
    const header = `t=${GI_T},v1=${GI_V1}`;
    assert.equal(verifyGiSignature(GI_SECRET, body, header), true);
    assert.equal(verifyGiSignature(GI_SECRET, Buffer.concat([body, Buffer.from('\n')]), header), false);
    assert.equal(verifyGiSignature(GI_SECRET, body, `t=${GI_T + 1},v1=${GI_V1}`), false);
    assert.equal(verifyGiSignature('other-secret', body, header), false);
    // Re-serialising the parsed body changes the bytes and so the signature.
    assert.equal(verifyGiSignature(GI_SECRET, JSON.stringify(JSON.parse(body.toString('utf8'))), header), false);
    for (const bad of ['', 't=1', `v1=${GI_V1}`, `t=x,v1=${GI_V1}`, `t=${GI_T},v1=zz`, `t=${GI_T},v1=${GI_V1.slice(1)}`]) {
      assert.equal(verifyGiSignature(GI_SECRET, body, bad), false, bad);
    }
  });
});

describe('Standard Webhooks signature', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const msgId = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const timestamp = 1614265330;
  const body = '{"test": 2432232314}';
  const expected = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';

  test('reproduces the specification vector', () => {
    assert.equal(standardWebhookSignature(secret, msgId, timestamp, body), expected);
    assert.equal(standardWebhookSignature(secret, msgId, timestamp, Buffer.from(body)), expected);
  });

  test('verifies among several signatures and refuses tampering', () => {
    assert.equal(verifyStandardWebhook(secret, msgId, timestamp, body, `v1,bm90LXRoaXMtb25l ${expected}`), true);
    assert.equal(verifyStandardWebhook(secret, msgId, timestamp + 1, body, expected), false);
    assert.equal(verifyStandardWebhook(secret, 'msg_other', timestamp, body, expected), false);
    assert.equal(verifyStandardWebhook(secret, msgId, timestamp, '{"test": 2432232315}', expected), false);
    assert.equal(verifyStandardWebhook(secret, msgId, timestamp, body, ''), false);
  });
});
