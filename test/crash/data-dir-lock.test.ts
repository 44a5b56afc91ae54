import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import ts from 'typescript';
import { LOCK_FILE } from '../../src/store/data-dir-lock.ts';
import { deadPid, ROOT, start, startNode, type Proc } from './processes.ts';

const RACERS = 50;
const ROUNDS = 3;
const tempDirs: string[] = [];
after(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-lock-'));
  tempDirs.push(dir);
  return dir;
}

/** data-dir-lock.ts as plain JavaScript (it imports only node: modules), so racing children need no loader. */
function lockModuleUrl(): string {
  const source = fs.readFileSync(path.join(ROOT, 'src/store/data-dir-lock.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const file = path.join(tempDir(), 'data-dir-lock.mjs');
  fs.writeFileSync(file, outputText);
  return pathToFileURL(file).href;
}

function staleLock(dir: string, pid: number): void {
  fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid, host: os.hostname(), nonce: `dead-${pid}` }));
}

test(`${RACERS} processes racing to take over one stale lock: exactly one holds it, the rest are refused naming its pid`, async (t) => {
  const moduleUrl = lockModuleUrl();
  let refused = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    const dir = tempDir();
    staleLock(dir, await deadPid());
    const racers = Array.from({ length: RACERS }, () => start(process.execPath, ['test/crash/lock-child.mjs', moduleUrl, dir]));
    try {
      await Promise.all(racers.map((p) => p.waitFor(/^ready$/m)));
      for (const p of racers) p.child.stdin!.write('go\n'); // all at once
      const outcomes = await Promise.all(racers.map((p) => p.waitFor(/^(held \d+|locked .*)$/m)));
      const holders = racers.filter((_, i) => outcomes[i]![1]!.startsWith('held'));
      assert.equal(holders.length, 1, `round ${round}: ${holders.length} processes hold the lock`);
      const holder = holders[0]!;
      for (const [i, match] of outcomes.entries()) {
        if (racers[i] === holder) continue;
        assert.match(match[1]!, new RegExp(`in use by another Muster process \\(pid ${holder.pid}\\)`));
        refused++;
      }
      const lock = JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')) as { pid: number };
      assert.equal(lock.pid, holder.pid);
      // Only the lock is left: no takeover guards, no temporary files.
      assert.deepEqual(fs.readdirSync(dir).filter((name) => name.startsWith(LOCK_FILE)), [LOCK_FILE]);
    } finally {
      for (const p of racers) p.child.stdin!.end();
      await Promise.all(racers.map((p) => p.exited));
    }
    assert.equal(fs.existsSync(path.join(dir, LOCK_FILE)), false, 'the holder removed its lock on release');
  }
  t.diagnostic(`${ROUNDS} rounds x ${RACERS} racing starts on a stale lock: 1 holder each round, ${refused} refused`);
});

test('a second process on a held data directory exits 1 naming the holder; after kill -9 of the holder the next start takes over', async (t) => {
  const dir = tempDir();
  const env = { MUSTER_DATA_DIR: dir, MUSTER_LOG_LEVEL: 'silent' };
  const holder: Proc = startNode('test/crash/open-data-dir.ts', [dir]);
  try {
    await holder.waitFor(/^ready$/m);
    holder.child.stdin!.write('go\n');
    await holder.waitFor(/^open \d+$/m);

    const second = startNode('bin/muster.js', ['migrate'], env);
    const { code } = await second.exited;
    assert.equal(code, 1);
    assert.equal(second.output(), `muster: the data directory ${fs.realpathSync(dir)} is in use by another Muster process (pid ${holder.pid}); stop it first, or set MUSTER_DATA_DIR to another directory, or use DATABASE_URL for several processes\n`);

    holder.child.kill('SIGKILL');
    await holder.exited;
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid, holder.pid, 'kill -9 left its lock');
    const third = startNode('bin/muster.js', ['migrate', '--json'], env);
    const done = await third.exited;
    assert.equal(done.code, 0, third.output());
    assert.equal(fs.existsSync(path.join(dir, LOCK_FILE)), false);
    t.diagnostic(`holder pid ${holder.pid}: second start refused (exit 1); after kill -9 the stale lock was taken over`);
  } finally {
    holder.child.kill('SIGKILL');
    await holder.exited;
  }
});
