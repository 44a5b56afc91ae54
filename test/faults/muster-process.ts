import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ADMIN_TOKEN = 'fault-tier-admin-token-0123456789';

/**
 * Muster as its own process (`bin/muster.js serve`), so that an unhandled error shows as what it is in
 * production: the process exits. `exit` is set once it has.
 */
export interface MusterProcess {
  url: string;
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  stderr(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => running.forEach((child) => child.kill('SIGKILL')));

export async function spawnMuster(databaseUrl: string, env: NodeJS.ProcessEnv = {}): Promise<MusterProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-faults-'));
  const childEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: '0',
    HOST: '127.0.0.1',
    MUSTER_DATA_DIR: dataDir,
    MUSTER_ADMIN_TOKEN: ADMIN_TOKEN,
    MUSTER_LOG_LEVEL: 'error',
    DATABASE_URL: databaseUrl,
    ...env,
  };
  const child = spawn(process.execPath, ['bin/muster.js', 'serve'], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stderr = '';
  let stdout = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-50_000)));
  const proc: MusterProcess = {
    url: '',
    exit: undefined,
    stderr: () => stderr,
    async stop() {
      if (proc.exit) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
  child.once('exit', (code, signal) => {
    proc.exit = { code, signal };
    running.delete(child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  proc.url = await new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`muster exited with ${code} before listening:\n${stderr || stdout}`)));
    setTimeout(() => reject(new Error(`muster did not listen within 60 s:\n${stderr || stdout}`)), 60_000).unref();
  });
  return proc;
}
