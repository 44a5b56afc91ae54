import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

// Secrets the server must be able to read back (webhook signing secrets, slash-command tokens) are stored
// sealed with AES-256-GCM: `enc:v1:<key id>:<iv>:<tag>:<ciphertext>` (base64url parts). The key lives outside
// the database (MUSTER_SECRET_KEY or a 0600 key file), so a database dump alone holds no usable secret.

const PREFIX = 'enc:v1:';

export class SecretBox {
  readonly currentKeyId: string;
  private readonly keys = new Map<string, Buffer>();

  /** `current` seals; `previous` keys only open (rotation: values sealed under them are re-sealed at start). */
  constructor(current: Buffer, previous: Buffer[] = []) {
    for (const key of [current, ...previous]) {
      if (key.length !== 32) throw new Error('a secret key must be 32 bytes');
      this.keys.set(keyId(key), key);
    }
    this.currentKeyId = keyId(current);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(Buffer.from(this.currentKeyId));
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${this.currentKeyId}:${b64(iv)}:${b64(cipher.getAuthTag())}:${b64(ct)}`;
  }

  /** Opens a sealed value; a value stored before encryption existed (plain text) is returned as it is. */
  open(stored: string): string {
    if (!isSealed(stored)) return stored;
    const [kid, iv, tag, ct] = stored.slice(PREFIX.length).split(':');
    const key = this.keys.get(kid ?? '');
    if (!key || !iv || !tag || ct === undefined) throw new Error(`a secret is sealed with unknown key ${kid}: give this server the key the database was sealed with (MUSTER_SECRET_KEY, MUSTER_SECRET_KEY_FILE or secret.key in the data directory; after a restore, the key kept apart from the backup), or after a rotation the old one in MUSTER_SECRET_KEY_PREVIOUS`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(kid!));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** True when `stored` should be re-sealed: plain text, or sealed under an older key. */
  needsReseal(stored: string): boolean {
    return !stored.startsWith(`${PREFIX}${this.currentKeyId}:`);
  }
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

const b64 = (buf: Buffer) => buf.toString('base64url');
/** A key's id: not secret, names the key a value was sealed with. */
const keyId = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);

/**
 * The server's key: MUSTER_SECRET_KEY (64 hex) when set, otherwise the key file, created at first start
 * with 0600 permissions (`wx`: two processes starting at once cannot both write one).
 */
export function loadSecretKey(opts: { secretKey: string | undefined; secretKeyFile: string }): Buffer {
  if (opts.secretKey) return Buffer.from(opts.secretKey, 'hex');
  try {
    return readKeyFile(opts.secretKeyFile);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(path.dirname(opts.secretKeyFile), { recursive: true });
  try {
    fs.writeFileSync(opts.secretKeyFile, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return readKeyFile(opts.secretKeyFile);
}

function readKeyFile(file: string): Buffer {
  const text = fs.readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-fA-F]{64}$/.test(text)) throw new Error(`the secret key file ${file} must hold 64 hex characters`);
  return Buffer.from(text, 'hex');
}
