// A child process for the lock tests: opens a PGlite data directory the way the server does and holds it.
// Prints `ready` once loaded, waits for a line on stdin (so many children can start at one instant), opens,
// then prints `open <pid>` and holds until stdin closes, or `locked <message>` and exits 3.
import readline from 'node:readline';
import { DataDirLockedError, openDatabase } from '../../src/store/db.ts';

const dataDir = process.argv[2]!;
const lines = readline.createInterface({ input: process.stdin });
const go = new Promise<void>((resolve) => lines.once('line', () => resolve()));
const stdinClosed = new Promise<void>((resolve) => lines.once('close', () => resolve()));
process.stdout.write('ready\n');
await go;
try {
  const database = await openDatabase({ dataDir });
  await database.db.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
  process.stdout.write(`open ${process.pid}\n`);
  await stdinClosed;
  await database.close();
} catch (err) {
  if (!(err instanceof DataDirLockedError)) throw err;
  process.stdout.write(`locked ${err.message}\n`);
  process.exitCode = 3;
}
