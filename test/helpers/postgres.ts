import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const execFileAsync = promisify(execFile);

const PGBIN = ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin'].find((dir) =>
  fs.existsSync(path.join(dir, 'initdb')),
);

export interface Cluster {
  url: string;
  dir: string;
  stop(): void;
  /** Fault tests: stop the server (`pg_ctl stop -m <mode>`), keeping its data directory. */
  halt(mode?: 'immediate' | 'fast'): Promise<void>;
  /** Fault tests: start the halted server again on the same data directory and port; resolves once it accepts connections. */
  restart(): Promise<void>;
}

function asPostgresArgv(cmd: string, args: string[]): [string, string[]] {
  const isRoot = process.getuid?.() === 0;
  return isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

function asPostgres(cmd: string, args: string[]): void {
  const [file, argv] = asPostgresArgv(cmd, args);
  execFileSync(file, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Like asPostgres, without blocking the event loop (load keeps running while the server stops or starts). */
async function asPostgresAsync(cmd: string, args: string[]): Promise<void> {
  const [file, argv] = asPostgresArgv(cmd, args);
  await execFileAsync(file, argv);
}

/**
 * Starts a throwaway PostgreSQL cluster on a free port (initdb + pg_ctl, no fsync). `durableCommits` keeps
 * synchronous_commit on, so a commit that was acknowledged survives the server being killed (fault tests).
 */
export function startCluster(port = 20000 + Math.floor(Math.random() * 20000), opts: { durableCommits?: boolean } = {}): Cluster {
  if (!PGBIN) throw new Error('PostgreSQL server binaries not found (apt-get install -y postgresql)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-pg-'));
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', dir]);
  const data = path.join(dir, 'data');
  asPostgres(path.join(PGBIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=${opts.durableCommits ? 'on' : 'off'} -c full_page_writes=off -c max_connections=200`;
  const startArgs = ['-D', data, '-l', path.join(dir, 'log'), '-w', '-s', '-o', options, 'start'];
  asPostgres(path.join(PGBIN, 'pg_ctl'), startArgs);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dir,
    stop() {
      try {
        asPostgres(path.join(PGBIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-s', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    halt: (mode = 'immediate') => asPostgresAsync(path.join(PGBIN, 'pg_ctl'), ['-D', data, '-m', mode, '-w', '-s', 'stop']),
    restart: () => asPostgresAsync(path.join(PGBIN, 'pg_ctl'), startArgs),
  };
}

let ownCluster: Cluster | undefined;

/** The server URL tests use: MUSTER_TEST_PG_URL if the runner started one, else a cluster of our own. */
export function postgresServerUrl(): string {
  if (process.env.MUSTER_TEST_PG_URL) return process.env.MUSTER_TEST_PG_URL;
  if (!ownCluster) {
    ownCluster = startCluster();
    process.once('exit', () => ownCluster?.stop());
  }
  return ownCluster.url;
}

/** A fresh, empty database on the test server; one per test suite keeps suites independent. */
export async function freshDatabase(): Promise<string> {
  const serverUrl = postgresServerUrl();
  const name = `muster_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
