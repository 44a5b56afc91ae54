// A child process for the lock race: plain JavaScript (no TypeScript loader), so that fifty of them start in
// well under a second. argv: the URL of data-dir-lock.ts transpiled to JavaScript, the data directory.
// Prints `ready`, waits for a line on stdin (all children then race at one instant), takes the lock and prints
// `held <pid>` and holds it until stdin closes, or prints `locked <message>` and exits 3.
import readline from 'node:readline';

const [moduleUrl, dataDir] = process.argv.slice(2);
const { lockDataDir, DataDirLockedError } = await import(moduleUrl);
const lines = readline.createInterface({ input: process.stdin });
const go = new Promise((resolve) => lines.once('line', resolve));
const stdinClosed = new Promise((resolve) => lines.once('close', resolve));
process.stdout.write('ready\n');
await go;
try {
  const release = await lockDataDir(dataDir);
  process.stdout.write(`held ${process.pid}\n`);
  await stdinClosed;
  release();
} catch (err) {
  if (!(err instanceof DataDirLockedError)) throw err;
  process.stdout.write(`locked ${err.message}\n`);
  process.exitCode = 3;
}
