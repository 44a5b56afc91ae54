import { randomBytes } from 'node:crypto';

// Mattermost's NewId alphabet: 16 random bytes as 26 lowercase base32 characters.
const ALPHABET = 'ybndrfg8ejkmcpqxot1uwisza345h769';

export function newId(): string {
  const bytes = randomBytes(16);
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** Mattermost's IsValidId: exactly 26 alphanumeric characters. */
export function isValidId(value: unknown): value is string {
  return typeof value === 'string' && /^[a-z0-9]{26}$/i.test(value);
}

/** A secret token: 32 random bytes, url-safe. */
export function newSecret(prefix = 'mst_'): string {
  return prefix + randomBytes(32).toString('base64url');
}
