// `npm run bench [-- <scenario>...] [--smoke] [--db=pglite|postgres]`: starts Muster as its own process on
// PGlite and on a throwaway PostgreSQL cluster, drives it with autocannon, writes bench/results/*.json and
// bench/RESULTS.md. `--smoke` runs everything briefly with tiny sizes into bench/.work/ (CI: it must pass).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startCluster, type Cluster } from '../test/helpers/postgres.ts';
import type { BenchContext, Scenario } from './lib/context.ts';
import { BenchFailure } from './lib/load.ts';
import { describeMachine, REPO_ROOT } from './lib/machine.ts';
import type { DbKind } from './lib/muster.ts';
import { newReport, readStored, renderResults, writeScenario } from './lib/report.ts';
import { alertStorm } from './scenarios/alert-storm.ts';
import { declarationStorm } from './scenarios/declaration-storm.ts';
import { footprint } from './scenarios/footprint.ts';
import { history } from './scenarios/history.ts';
import { readPath } from './scenarios/read-path.ts';
import { ui } from './scenarios/ui.ts';
import { warRoom } from './scenarios/war-room.ts';
import { writePath } from './scenarios/write-path.ts';

const SCENARIOS: Scenario[] = [writePath, readPath, declarationStorm, warRoom, history, footprint, alertStorm, ui];
const BENCH_DIR = path.join(REPO_ROOT, 'bench');

function usage(): string {
  return [
    'usage: npm run bench -- [scenario...] [--smoke] [--db=pglite|postgres] | --render',
    `scenarios (by name or number): ${SCENARIOS.map((s, i) => `${i + 1} ${s.name}`).join(', ')}`,
  ].join('\n');
}

function pick(names: string[]): Scenario[] {
  if (names.length === 0) return SCENARIOS;
  return names.map((name) => {
    const found = /^\d+$/.test(name) ? SCENARIOS[Number(name) - 1] : SCENARIOS.find((s) => s.name === name);
    if (!found) throw new Error(`unknown scenario "${name}"\n${usage()}`);
    return found;
  });
}

/** Renders <root>/RESULTS.md from <root>/results/detail/*.json (+ bench/analysis.md for the committed results). */
function writeResultsMd(root: string, withAnalysis: boolean): string {
  const analysisFile = path.join(BENCH_DIR, 'analysis.md');
  const analysis = withAnalysis && fs.existsSync(analysisFile) ? fs.readFileSync(analysisFile, 'utf8') : '';
  const file = path.join(root, 'RESULTS.md');
  fs.writeFileSync(file, renderResults(readStored(path.join(root, 'results'), SCENARIOS.map((s) => s.name)), analysis));
  return file;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      smoke: { type: 'boolean', default: false },
      db: { type: 'string' },
      render: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  if (values.render) {
    // Re-render RESULTS.md from the stored results (after editing bench/analysis.md), measuring nothing.
    writeResultsMd(BENCH_DIR, true);
    return 0;
  }
  const scenarios = pick(positionals);
  const kinds: DbKind[] = values.db ? (values.db.split(',') as DbKind[]) : ['pglite', 'postgres'];
  if (kinds.some((k) => k !== 'pglite' && k !== 'postgres')) throw new Error(`--db must be pglite and/or postgres\n${usage()}`);
  const smoke = values.smoke ?? false;
  // Smoke output never touches the committed results.
  const outRoot = smoke ? path.join(BENCH_DIR, '.work', 'smoke') : BENCH_DIR;
  const outDir = path.join(outRoot, 'results');
  fs.mkdirSync(outDir, { recursive: true });

  const started = performance.now();
  const log = (message: string) => process.stdout.write(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${message}\n`);
  const machine = describeMachine();
  log(`machine: ${machine.cpus} cpus, ${machine.memoryGiB} GiB, load ${machine.loadAverageAtStart}; ${smoke ? 'SMOKE run' : 'full run'}; db: ${kinds.join(', ')}`);

  let cluster: Cluster | undefined;
  const stopCluster = () => {
    cluster?.stop();
    cluster = undefined;
  };
  process.once('exit', stopCluster);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopCluster();
      process.exit(130);
    });
  }
  if (kinds.includes('postgres')) cluster = startCluster();
  const ctx: BenchContext = { smoke, rounds: smoke ? 1 : 3, kinds, cluster, log };

  const failures: string[] = [];
  try {
    for (const scenario of scenarios) {
      const report = newReport(scenario.name, scenario.title);
      const t0 = performance.now();
      log(`${scenario.name}: ${scenario.title}`);
      try {
        await scenario.run(ctx, report);
      } catch (err) {
        const message = err instanceof BenchFailure ? err.message : ((err as Error).stack ?? String(err));
        report.checks.push({ name: 'scenario ran to the end', ok: false, detail: message.split('\n')[0]! });
        log(`${scenario.name} FAILED: ${message}`);
      }
      for (const check of report.checks.filter((c) => !c.ok)) failures.push(`${scenario.name}: ${check.name}: ${check.detail}`);
      writeScenario(outDir, report, { ...machine, date: new Date().toISOString() });
      log(`${scenario.name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  } finally {
    stopCluster();
  }

  const resultsMd = writeResultsMd(outRoot, !smoke);
  log(`wrote ${path.relative(REPO_ROOT, outDir)}/*.json and ${path.relative(REPO_ROOT, resultsMd)}`);
  if (failures.length > 0) {
    process.stderr.write(`\nbench FAILED:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`);
    return 1;
  }
  log(`all scenarios passed in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  },
);
