import crypto, { createHash, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/** API tokens are high-entropy random strings, so a plain SHA-256 is a sufficient at-rest hash. */
export function hashToken(token: string): string {
  // Every request hashes its token: the one-shot form (Node >= 20.12) skips building a Hash object.
  if (oneShotHash) return oneShotHash('sha256', token, 'hex');
  return createHash('sha256').update(token).digest('hex');
}

const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * OWASP's argon2id parameters (Password Storage Cheat Sheet): 19 MiB, 2 passes, 1 lane. argon2id is the
 * library's default algorithm (its `Algorithm` is a const enum, which isolated modules cannot read).
 */
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const ARGON2_PREFIX = `$argon2id$v=19$m=${ARGON2_OPTIONS.memoryCost},t=${ARGON2_OPTIONS.timeCost},p=${ARGON2_OPTIONS.parallelism}$`;

export async function hashPassword(password: string): Promise<string> {
  return argon2Hash(password, ARGON2_OPTIONS);
}

/**
 * Checks a password against a stored hash: argon2id (current) or `scrypt$salt$key` (written before argon2id;
 * still verified so those users can sign in, and upgraded by the caller: see `needsRehash`).
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (stored.startsWith('$argon2')) {
    try {
      return await argon2Verify(stored, password);
    } catch {
      return false; // a malformed stored hash is a failed login, not a 500
    }
  }
  const [scheme, saltB64, keyB64] = stored.split('$');
  if (scheme !== 'scrypt' || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, 'base64');
  const actual = await scryptAsync(password, Buffer.from(saltB64, 'base64'), expected.length);
  return timingSafeEqual(actual, expected);
}

/** True when a stored hash is not argon2id with today's parameters: rehash it after a successful sign-in. */
export function needsRehash(stored: string): boolean {
  return !stored.startsWith(ARGON2_PREFIX);
}

let dummyHash: Promise<string> | undefined;

/**
 * A hash of a random password with today's parameters. Sign-in verifies against it when there is no such
 * user (or no password), so an unknown login costs the same as a wrong password: usernames cannot be found
 * by timing.
 */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  return dummyHash;
}
