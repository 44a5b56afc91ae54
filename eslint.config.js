// Lint: ESLint's and typescript-eslint's recommended rules (syntax-only, fast), with a few project choices,
// and the layering rules of docs/ARCHITECTURE.md ("Where code and SQL live") as per-folder import bans.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const STORE = { group: ['**/store/*', '**/store/**'], message: 'facades reach the store through the domain (types: src/domain/store-types.ts)' };
const DRIVERS = { group: ['kysely', 'kysely/*', 'pg', '@electric-sql/*'], message: 'SQL is written in src/domain/ (commands) or src/store/ (connections, shared statements)' };
const HTTP = { group: ['**/http/*', '**/http/**'], message: 'wire shapes stay in the facades (src/http/)' };
const CLI = { group: ['**/cli/*', '**/cli/**'], message: 'nothing depends on the CLI' };
const UPWARD = { group: ['**/domain/**', '**/jobs/**', '**/app.ts', '**/services.ts'], message: 'the store knows no layer above it' };
const CONNECTIONS = { group: ['pg', '@electric-sql/*'], message: 'connections are the store\'s (src/store/db.ts)' };
const REPO_INTERNALS = { group: ['**/store/*.repo.ts', '**/store/schema.ts', '**/store/changes.ts'], message: 'the CLI reaches data through the domain' };

/** Import bans per folder: the layering `http/* → domain/ → store/`, and where SQL may be written. */
export const layering = [
  { files: ['src/http/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [STORE, DRIVERS, CLI] }] } },
  { files: ['src/cli/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [REPO_INTERNALS, DRIVERS, HTTP] }] } },
  { files: ['src/domain/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [HTTP, CLI, CONNECTIONS, { group: ['fastify', '@fastify/*'], message: 'the domain knows nothing of HTTP' }] }] } },
  { files: ['src/store/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [UPWARD, HTTP, CLI] }] } },
  { files: ['src/jobs/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [HTTP, CLI] }] } },
  { files: ['src/lib/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [STORE, DRIVERS, HTTP, CLI, { group: ['**/domain/**', '**/jobs/**'], message: 'lib/ holds pure helpers' }] }] } },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'web/dist/', 'bench/results/', '.tmp/', 'test/fixtures/lint/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-shadow': 'off',
      '@typescript-eslint/no-shadow': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  // Tests, bench and scripts read loosely typed JSON responses; src/ is typed throughout.
  { files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  ...layering,
);
