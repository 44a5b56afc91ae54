import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DataDirLockedError, openDatabase } from '../../src/store/db.ts';

test('pglite: a data directory opens once; a second open in the same process is refused, then allowed after close', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-lock-'));
  try {
    const first = await openDatabase({ dataDir: dir });
    await assert.rejects(openDatabase({ dataDir: dir }), DataDirLockedError);
    await first.close();
    const again = await openDatabase({ dataDir: dir });
    await again.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('pglite: a lockfile left by a dead process is taken over', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-lock-'));
  try {
    fs.writeFileSync(path.join(dir, 'muster.lock'), '999999999');
    const db = await openDatabase({ dataDir: dir });
    // The old format (a bare pid) is still read; the new lock names this process.
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'muster.lock'), 'utf8')).pid, process.pid);
    await db.close();
    assert.equal(fs.existsSync(path.join(dir, 'muster.lock')), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
