import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The data-directory lock. PGlite does not lock its directory, and two processes on one directory corrupt it,
 * so every opener of a Muster data directory holds `<dataDir>/muster.lock` (beside PGlite's `pgdata/`, not in
 * it). The lock file holds its owner's pid and a random nonce, and is created atomically with its content
 * (written to a temporary file, then hard-linked into place: link fails if the lock exists).
 *
 * A lock whose pid is dead is stale. Removing it is where a plain pid file races (read, check, delete, create:
 * a second process deletes the first one's fresh lock). Here a stale lock may only be removed by the process
 * that holds the takeover guard for *that* lock's content (`muster.lock.takeover-<digest>`), itself a lock of
 * the same kind; holding it, the process re-reads the lock and removes it only if it still holds the very
 * content judged dead. A lock's content is only ever removed by its living owner or by that guard's holder,
 * so no fresh lock can be removed by mistake, and of any number of racing starts exactly one gets the lock.
 * A guard left by a process killed while taking over is stale in turn and is taken over the same way.
 *
 * Staleness is by pid only (no timeouts, no heartbeat): after kill -9 the next start takes over at once.
 * A pid reused by an unrelated live process keeps the lock refused (the message names the pid).
 */
export class DataDirLockedError extends Error {}

export const LOCK_FILE = 'muster.lock';

type Release = () => void;

interface Holder {
  raw: string;
  /** NaN when the file holds no readable pid. */
  pid: number;
}

// Tokens this process wrote (a lock holding our own pid but an unknown token is a stale one left by an earlier
// process that had the same pid, e.g. pid 1 in a container) and the data directories open here.
const ownTokens = new Set<string>();
const openHere = new Set<string>();

const ATTEMPTS = 200;
const MAX_GUARD_DEPTH = 4;

/** Takes the lock of `dataDir` (which must exist) or throws DataDirLockedError naming the holder. Returns the release function. */
export async function lockDataDir(dataDir: string): Promise<Release> {
  const dir = fs.realpathSync(dataDir);
  if (openHere.has(dir)) throw new DataDirLockedError(`the data directory ${dir} is already open in this process`);
  const lockPath = path.join(dir, LOCK_FILE);
  openHere.add(dir);
  try {
    const release = await acquire(lockPath, 0, dir);
    sweepLeftovers(dir);
    return () => {
      release();
      openHere.delete(dir);
    };
  } catch (err) {
    openHere.delete(dir);
    throw err;
  }
}

async function acquire(lockPath: string, depth: number, dir: string): Promise<Release> {
  const token = JSON.stringify({ pid: process.pid, host: os.hostname(), nonce: crypto.randomUUID() });
  ownTokens.add(token);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (createExclusive(lockPath, token)) return () => releaseLock(lockPath, token);
    const holder = readHolder(lockPath);
    if (!holder) continue; // released between our create and our read
    if (!isStale(holder)) {
      ownTokens.delete(token);
      throw lockedError(dir, lockPath, holder);
    }
    await takeOver(lockPath, holder, depth, dir);
  }
  ownTokens.delete(token);
  throw new DataDirLockedError(`could not take the lock ${lockPath} after ${ATTEMPTS} attempts; is another process starting?`);
}

/** Removes `holder`'s stale lock if it is still there, under the takeover guard for exactly that content. */
async function takeOver(lockPath: string, holder: Holder, depth: number, dir: string): Promise<void> {
  if (depth >= MAX_GUARD_DEPTH) throw new DataDirLockedError(`the lock ${lockPath} is stale but its takeover keeps failing`);
  const digest = crypto.createHash('sha256').update(holder.raw).digest('hex').slice(0, 16);
  let releaseGuard: Release;
  try {
    releaseGuard = await acquire(`${lockPath}.takeover-${digest}`, depth + 1, dir);
  } catch (err) {
    if (!(err instanceof DataDirLockedError)) throw err;
    await pause(); // another process is taking it over right now: look again when it is done
    return;
  }
  try {
    if (readHolder(lockPath)?.raw === holder.raw) fs.rmSync(lockPath, { force: true });
  } finally {
    releaseGuard();
  }
}

/** Creates `file` holding `content`, atomically: false if it exists. */
function createExclusive(file: string, content: string): boolean {
  const tmp = `${file}.tmp-${process.pid}-${crypto.randomUUID()}`;
  fs.writeFileSync(tmp, content, { flag: 'wx' });
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') return createWithoutLink(file, content);
    throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * For file systems without hard links: O_EXCL create, then write. A reader can see the file empty for a
 * moment; an empty lock counts as held (never stale), so the only cost is a refused racer.
 */
function createWithoutLink(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    fs.writeSync(fd, content);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

function readHolder(lockPath: string): Holder | undefined {
  let raw: string;
  try {
    raw = fs.readFileSync(lockPath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return { raw, pid: parsePid(raw) };
}

/** The pid in a lock: `{"pid":…}`, or a bare number (the lock format of earlier Muster versions). */
function parsePid(raw: string): number {
  const text = raw.trim();
  if (/^\d+$/.test(text)) return Number(text);
  try {
    const pid = (JSON.parse(text) as { pid?: unknown }).pid;
    return typeof pid === 'number' && Number.isInteger(pid) && pid > 0 ? pid : NaN;
  } catch {
    return NaN;
  }
}

function isStale(holder: Holder): boolean {
  if (Number.isNaN(holder.pid)) return false;
  if (holder.pid === process.pid) return !ownTokens.has(holder.raw);
  return !isAlive(holder.pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockedError(dir: string, lockPath: string, holder: Holder): DataDirLockedError {
  if (Number.isNaN(holder.pid)) {
    return new DataDirLockedError(
      `the data directory ${dir} is locked by ${lockPath}, which names no process; ` +
        'if no Muster process uses this directory, delete that file and start again',
    );
  }
  return new DataDirLockedError(
    `the data directory ${dir} is in use by another Muster process (pid ${holder.pid}); ` +
      'stop it first, or set MUSTER_DATA_DIR to another directory, or use DATABASE_URL for several processes',
  );
}

function releaseLock(lockPath: string, token: string): void {
  ownTokens.delete(token);
  // Nobody takes over a living owner's lock, so a lock holding our token is still ours to remove.
  if (readHolder(lockPath)?.raw === token) fs.rmSync(lockPath, { force: true });
}

/**
 * Once we hold the lock, takeover guards are garbage (each names a content the lock no longer has), and so
 * are temporary files of dead processes: both are left only by a process killed mid-way.
 */
function sweepLeftovers(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith(`${LOCK_FILE}.`)) continue;
    // Our own temporary files are gone by now (created and removed synchronously), so one with our pid is an
    // earlier process's.
    const tmpOf = Number(/\.tmp-(\d+)-/.exec(name)?.[1] ?? NaN);
    const garbage = Number.isNaN(tmpOf) ? name.includes('.takeover-') : tmpOf === process.pid || !isAlive(tmpOf);
    if (garbage) fs.rmSync(path.join(dir, name), { force: true });
  }
}

function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 8));
}
