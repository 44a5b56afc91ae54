import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './machine.ts';

export type DbKind = 'pglite' | 'postgres';

export const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';

export interface MusterOptions {
  kind: DbKind;
  /** PGlite: the data directory (kept across restarts). A temp dir when absent. */
  dataDir?: string;
  /** PostgreSQL: the database URL. */
  databaseUrl?: string;
  /** Extra node flags for the server process, e.g. --cpu-prof. */
  nodeArgs?: string[];
}

/** A Muster server running as its own process (`node bin/muster.js serve`). */
export interface MusterProcess {
  kind: DbKind;
  url: string;
  pid: number;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Milliseconds from spawn to the "listening" line. */
  startMs: number;
  /** performance.now() when the process was spawned. */
  spawnedAt: number;
  /** Resident set size of the server process in MiB (VmRSS from /proc). */
  rssMiB(): number;
  /** SIGTERM, then wait for the process to exit (SIGKILL after 15 s). */
  stop(): Promise<void>;
  /** stderr so far (warnings and errors the server logged). */
  stderr(): string;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

const tempDirs: string[] = [];
process.on('exit', () => {
  if (process.env.BENCH_KEEP === '1') return;
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A temp directory removed when the bench exits (kept with BENCH_KEEP=1). */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function rssMiBOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Math.round((Number(match[1]) / 1024) * 10) / 10;
}

/** Extra server flags from the environment (BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=..."). */
function envNodeArgs(): string[] {
  return (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
}

export async function startMuster(opts: MusterOptions): Promise<MusterProcess> {
  const dataDir = opts.dataDir ?? tempDir('muster-bench-');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    MUSTER_DATA_DIR: dataDir,
    MUSTER_ADMIN_TOKEN: ADMIN_TOKEN,
    MUSTER_LOG_LEVEL: 'warn',
    // One token drives up to ~20k req/s here, past the default per-token budget (60,000/min): a budget no
    // scenario reaches keeps the limiter's cost in every figure without turning load into 429s.
    MUSTER_RATE_LIMIT_PER_MINUTE: '1000000000',
  };
  delete env.DATABASE_URL;
  delete env.NODE_OPTIONS;
  if (opts.kind === 'postgres') {
    if (!opts.databaseUrl) throw new Error('postgres mode needs a database URL');
    env.DATABASE_URL = opts.databaseUrl;
  }
  const started = performance.now();
  const child = spawn(process.execPath, [...envNodeArgs(), ...(opts.nodeArgs ?? []), 'bin/muster.js', 'serve'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stderr = '';
  let stdout = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  exited.then(() => running.delete(child));

  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    exited.then((code) => reject(new Error(`muster exited with ${code} before listening:\n${stderr || stdout}`)));
    setTimeout(() => reject(new Error(`muster did not listen within 120 s:\n${stderr || stdout}`)), 120_000).unref();
  });
  const startMs = performance.now() - started;

  return {
    kind: opts.kind,
    url,
    pid: child.pid!,
    dataDir,
    databaseUrl: opts.databaseUrl,
    startMs,
    spawnedAt: started,
    rssMiB: () => rssMiBOf(child.pid!),
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
