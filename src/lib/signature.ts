import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

// Signatures of outgoing webhooks. Both schemes sign the exact body bytes, so whoever sends the body must
// send the very bytes that were signed (re-serialising a parsed body changes them).

type Body = string | Uint8Array;

/**
 * Grafana Incident's `GI-Signature` (notes §10, incident-go webhook.go):
 * v1 = hex(HMAC-SHA256(secret, base64(sha256(body)) + ":" + t + ":v1")), header `t=<unix s>,v1=<hex>`.
 */
export function giSignatureV1(secret: string, body: Body, unixSeconds: number): string {
  const bodyHash = createHash('sha256').update(body).digest('base64');
  return createHmac('sha256', secret).update(`${bodyHash}:${unixSeconds}:v1`).digest('hex');
}

export function giSignatureHeader(secret: string, body: Body, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${giSignatureV1(secret, body, unixSeconds)}`;
}

/** Checks a `GI-Signature` header against the body; any malformed header is simply not valid. */
export function verifyGiSignature(secret: string, body: Body, header: string): boolean {
  const parts = new Map<string, string>();
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    if (at > 0) parts.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  const t = parts.get('t');
  const v1 = parts.get('v1');
  if (!t || !/^\d+$/.test(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) return false;
  const expected = Buffer.from(giSignatureV1(secret, body, Number(t)), 'hex');
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}

/**
 * Standard Webhooks (standardwebhooks.com): base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`)), where
 * the key is the base64 part of a `whsec_` secret. Header value `v1,<base64>`.
 */
export function standardWebhookSignature(secret: string, msgId: string, unixSeconds: number, body: Body): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  const mac = createHmac('sha256', key).update(`${msgId}.${unixSeconds}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

/** The header may carry several space-separated signatures (key rotation); one match is enough. */
export function verifyStandardWebhook(secret: string, msgId: string, unixSeconds: number, body: Body, header: string): boolean {
  const expected = Buffer.from(standardWebhookSignature(secret, msgId, unixSeconds, body));
  return header
    .split(' ')
    .filter(Boolean)
    .some((candidate) => {
      const given = Buffer.from(candidate);
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}
