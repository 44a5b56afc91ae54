import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { testDatabases } from '../helpers/harness.ts';
import { runCli } from '../helpers/cli.ts';
import { freshDatabase } from '../helpers/postgres.ts';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-move-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

const cli = runCli;

describe('muster export / import: moving the embedded database elsewhere', () => {
  test(`export from PGlite, import into ${testDatabases().includes('postgres') ? 'PostgreSQL' : 'a new PGlite directory'}`, async () => {
    const source = { MUSTER_DATA_DIR: path.join(work, 'source') };
    const made = await cli(['user', 'create', '--username', 'alice', '--email', 'alice@example.com'], source);
    assert.equal(made.code, 0, made.stderr);
    const file = path.join(work, 'export.json');
    const exported = await cli(['export', '--out', file], source);
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stderr, /exported \d+ rows of \d+ tables/);
    assert.equal(fs.statSync(file).mode & 0o077, 0, 'the file is readable by its owner only');

    const target: Record<string, string> = testDatabases().includes('postgres')
      ? { MUSTER_DATA_DIR: path.join(work, 'unused'), DATABASE_URL: await freshDatabase() }
      : { MUSTER_DATA_DIR: path.join(work, 'target') };
    const imported = await cli(['import', file], target);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /imported \d+ rows \(3 users/); // admin, the bot, alice
    const users = await cli(['user', 'list', '--json'], target);
    assert.equal(users.code, 0, users.stderr);
    assert.ok((JSON.parse(users.stdout) as Array<{ username: string }>).some((u) => u.username === 'alice'));
    assert.doesNotMatch(users.stderr, /first start/i, 'the import made no new admin');

    const again = await cli(['import', file], target);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^muster: this installation already holds data/);
    const missing = await cli(['import', path.join(work, 'nope.json')], { MUSTER_DATA_DIR: path.join(work, 'other') });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^muster: cannot read .*nope\.json/);
  });
});
