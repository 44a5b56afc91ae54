// The layering rules of docs/ARCHITECTURE.md are lint rules (eslint.config.js): each fixture in
// test/fixtures/lint/ breaks one, linted with the project's own config as if it stood at a path in src/, and
// must be reported; the well-behaved fixture must not be. So `npm run check` fails when a file breaks them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const ROOT = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function lintAs(fixture: string, asPath: string) {
  const code = fs.readFileSync(path.join(ROOT, 'test/fixtures/lint', fixture), 'utf8');
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, asPath) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

const broken: [fixture: string, asPath: string, rule: string, says: RegExp][] = [
  ['http-imports-repo.ts', 'src/http/playbooks/broken.routes.ts', 'no-restricted-imports', /through the domain/],
  ['http-imports-store-type.ts', 'src/http/incident/broken.present.ts', 'no-restricted-imports', /store-types\.ts/],
  ['http-writes-sql.ts', 'src/http/incident/broken.methods.ts', 'no-restricted-imports', /SQL is written in src\/domain/],
  ['store-imports-domain.ts', 'src/store/broken.repo.ts', 'no-restricted-imports', /no layer above it/],
  ['domain-imports-http.ts', 'src/domain/incidents/broken.ts', 'no-restricted-imports', /wire shapes stay in the facades/],
  ['cli-imports-presenter.ts', 'src/cli/broken.ts', 'no-restricted-imports', /wire shapes stay in the facades/],
  ['domain-any.ts', 'src/domain/broken-any.ts', '@typescript-eslint/no-explicit-any', /any/],
];

for (const [fixture, asPath, rule, says] of broken) {
  test(`lint refuses ${fixture} as ${asPath}`, async () => {
    const messages = await lintAs(fixture, asPath);
    assert.ok(
      messages.some((m) => m.startsWith(`${rule}:`) && says.test(m)),
      `expected ${rule} matching ${says}, got: ${messages.join('; ') || 'nothing'}`,
    );
  });
}

test('lint accepts a facade importing the domain and the store types it re-exports', async () => {
  assert.deepEqual(await lintAs('http-imports-domain.ts', 'src/http/playbooks/fine.routes.ts'), []);
});

test('the same repository import is fine in the domain (domain commands may use the store)', async () => {
  assert.deepEqual(await lintAs('http-imports-repo.ts', 'src/domain/fine.ts'), []);
});
