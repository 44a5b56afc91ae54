import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** The directory of the PostgreSQL server binaries (the same search as test/helpers/postgres.ts). */
export const PGBIN = ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin'].find((dir) =>
  fs.existsSync(path.join(dir, 'pgbench')),
);

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  pglite: string;
  postgres: string;
  autocannon: string;
  commit: string;
  date: string;
  /** 1-minute load average when the run started: above ~0.5 on an idle box means someone else was using it. */
  loadAverageAtStart: number;
  /** Set when the run saw other work on the machine (load average above 1 at start, or BENCH_SHARED=1). */
  shared: boolean;
}

function packageVersion(name: string): string {
  try {
    // Read the file: packages with an `exports` map do not export their package.json.
    const file = path.join(REPO_ROOT, 'node_modules', name, 'package.json');
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function tryRun(file: string, args: string[]): string {
  try {
    return execFileSync(file, args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export function describeMachine(): Machine {
  const load = os.loadavg()[0]!;
  const postgres = PGBIN ? tryRun(path.join(PGBIN, 'postgres'), ['--version']).replace(/^postgres \(PostgreSQL\) /, '') : 'absent';
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    pglite: packageVersion('@electric-sql/pglite'),
    postgres,
    autocannon: packageVersion('autocannon'),
    commit: tryRun('git', ['rev-parse', '--short', 'HEAD']),
    date: new Date().toISOString(),
    loadAverageAtStart: Math.round(load * 100) / 100,
    shared: process.env.BENCH_SHARED === '1' || load > 1,
  };
}
