import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { INIT_MARKER } from '../../src/store/first-boot.ts';
import { startNode } from './processes.ts';

// A SIGKILL during the first boot (PGlite's initdb and the copy of the new cluster into pgdata/, migrations,
// bootstrap) must leave a directory the next boot accepts, or refuses in one clear line.
const tempDirs: string[] = [];
after(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function env(dataDir: string): NodeJS.ProcessEnv {
  return { MUSTER_DATA_DIR: dataDir, MUSTER_LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: '' };
}

function entries(dir: string): number {
  try {
    return fs.readdirSync(dir, { recursive: true }).length;
  } catch {
    return 0;
  }
}

/** Starts a first boot and kills it with SIGKILL as soon as `when` holds for its data directory. */
async function killFirstBootWhen(when: (pgdata: string) => boolean): Promise<{ dataDir: string; entriesAtKill: number }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-firstboot-'));
  tempDirs.push(dataDir);
  const pgdata = path.join(dataDir, 'pgdata');
  const boot = startNode('bin/muster.js', ['serve'], env(dataDir));
  let done = false;
  void boot.exited.then(() => (done = true));
  while (!done && !when(pgdata)) await new Promise((resolve) => setTimeout(resolve, 5));
  boot.child.kill('SIGKILL');
  await boot.exited;
  assert.doesNotMatch(boot.output(), /listening/, 'killed before the first boot finished');
  return { dataDir, entriesAtKill: entries(pgdata) };
}

async function bootAgain(dataDir: string): Promise<string> {
  const boot = startNode('bin/muster.js', ['serve'], env(dataDir));
  await boot.waitFor(/listening on/, 120_000);
  await boot.waitFor(/token:/); // the first-start notice: the admin account was created by this boot
  boot.child.kill('SIGTERM');
  await boot.exited;
  return boot.output();
}

const KILL_POINTS: Array<[string, (pgdata: string) => boolean]> = [
  ['while the new cluster is written into pgdata/', (pgdata) => entries(pgdata) >= 20],
  // PGlite resumes any pgdata/ holding PG_VERSION, written before the copy has finished.
  ['as soon as PG_VERSION exists', (pgdata) => fs.existsSync(path.join(pgdata, 'PG_VERSION'))],
];

for (const [when, condition] of KILL_POINTS) {
  test(`a SIGKILL during the first boot ${when}: the next boot initialises the directory again`, async (t) => {
    const { dataDir, entriesAtKill } = await killFirstBootWhen(condition);
    assert.ok(fs.existsSync(path.join(dataDir, INIT_MARKER)), 'the unfinished first boot is marked');
    const output = await bootAgain(dataDir);
    assert.match(output, /First start: created the admin account/);
    assert.equal(fs.existsSync(path.join(dataDir, INIT_MARKER)), false);
    t.diagnostic(`killed with ${entriesAtKill} entries in pgdata/; the next boot re-initialised and served`);
  });
}

test('a damaged pgdata/ is refused in one line naming the directory and what to do (never a bare Aborted())', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-damaged-'));
  tempDirs.push(dataDir);
  await bootAgain(dataDir); // a completed first boot
  fs.rmSync(path.join(dataDir, 'pgdata', 'global', 'pg_control'));
  const serve = startNode('bin/muster.js', ['serve'], env(dataDir));
  assert.equal((await serve.exited).code, 1);
  // The refusal is one line on stderr; stdout has only the start's progress lines before it.
  const lines = serve.errors().trimEnd().split('\n');
  assert.equal(lines.length, 1, serve.output());
  const stdout = serve.stdout().trimEnd();
  for (const line of stdout ? stdout.split('\n') : []) assert.match(line, /^muster: opening the embedded database in /, serve.output());
  assert.match(lines[0]!, /^muster: PGlite could not open the data directory .*pgdata \(.*\): it is damaged .*restore it from a backup, or move it away/);
});
