import fs from 'node:fs';
import path from 'node:path';

/**
 * A PGlite data directory whose first boot was killed (during initdb, the copy of the new cluster into
 * `pgdata/`, the migrations or the bootstrap) is half-written: PGlite may resume it and abort. The marker
 * `<dataDir>/muster.initializing` is written before the first initdb and removed once the first start has
 * migrated and bootstrapped. While it exists no start or command has completed, so nothing was ever served
 * or written from the directory: the next start wipes `pgdata/` and initialises it again.
 */
export const INIT_MARKER = 'muster.initializing';

export class DataDirDamagedError extends Error {}

/** Run under the data-directory lock, before PGlite opens `pgdata/`. Returns true if this is a first boot. */
export function prepareFirstBoot(dataDir: string): boolean {
  const marker = path.join(dataDir, INIT_MARKER);
  const pgdata = path.join(dataDir, 'pgdata');
  if (fs.existsSync(marker)) {
    fs.rmSync(pgdata, { recursive: true, force: true }); // an unfinished first boot: start it again
    return true;
  }
  if (fs.existsSync(pgdata) && fs.readdirSync(pgdata).length > 0) return false;
  writeDurably(marker, `first start of this data directory began at ${new Date().toISOString()}\n`);
  return true;
}

/** The first start has migrated and bootstrapped: from now on the directory holds data. */
export function finishFirstBoot(dataDir: string): void {
  fs.rmSync(path.join(dataDir, INIT_MARKER), { force: true });
}

/** PGlite could not open `pgdata/` (it reports only `Aborted()`): say what it means and what to do, in one line. */
export function damagedError(dataDir: string, cause: unknown): DataDirDamagedError {
  const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
  return new DataDirDamagedError(
    `PGlite could not open the data directory ${path.join(dataDir, 'pgdata')} (${reason}): it is damaged ` +
      'or was written by an incompatible PGlite; restore it from a backup, or move it away to start with an empty one',
    { cause },
  );
}

function writeDurably(file: string, content: string): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
