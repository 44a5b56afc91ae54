import crypto, { type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The ed25519 key pair that signs audit checkpoints; `keyId` names the public half in each checkpoint. */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
}

export class AuditKeyError extends Error {}

function fromPem(pem: string, where: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = crypto.createPrivateKey(pem);
  } catch (err) {
    throw new AuditKeyError(`${where} is not a PEM private key: ${(err as Error).message}`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new AuditKeyError(`${where} holds a ${privateKey.asymmetricKeyType} key; the audit signing key must be ed25519`);
  }
  const publicKey = crypto.createPublicKey(privateKey);
  const keyId = crypto.createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
  return { privateKey, publicKey, keyId };
}

/**
 * The key from `pem` (configuration) or from `file`. A missing file is created with a new key pair, readable
 * by the owner only (0600); an existing file that group or others may read is refused, as ssh does.
 */
export function loadSigningKey(opts: { pem?: string | undefined; file: string }): SigningKey {
  if (opts.pem) return fromPem(opts.pem, 'MUSTER_AUDIT_KEY');
  try {
    const mode = fs.statSync(opts.file).mode;
    if ((mode & 0o077) !== 0) {
      throw new AuditKeyError(`the audit key file ${opts.file} may be read by others (mode ${(mode & 0o777).toString(8)}): chmod 600 it`);
    }
    return fromPem(fs.readFileSync(opts.file, 'utf8'), opts.file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  fs.mkdirSync(path.dirname(opts.file), { recursive: true });
  try {
    fs.writeFileSync(opts.file, pem, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process created it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadSigningKey(opts);
    throw err;
  }
  return fromPem(pem, opts.file);
}

export function signText(key: SigningKey, text: string): string {
  return crypto.sign(null, Buffer.from(text, 'utf8'), key.privateKey).toString('base64');
}

export function verifyText(key: SigningKey, text: string, signature: string): boolean {
  try {
    return crypto.verify(null, Buffer.from(text, 'utf8'), key.publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
