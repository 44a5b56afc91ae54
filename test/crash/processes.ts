import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Proc {
  child: ChildProcess;
  pid: number;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** What was written to stdout alone (progress lines). */
  stdout(): string;
  /** What was written to stderr alone (where a refused start says why). */
  errors(): string;
  /** Resolves with the first match of `pattern` in the output; rejects if the process exits first or time runs out. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a process in the repository root with stdin piped; its output is collected. */
export function start(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Proc {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let std = '';
  let errText = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    for (const wake of waiters) wake();
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    std += chunk.toString();
    onData(chunk);
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    errText += chunk.toString();
    onData(chunk);
  });
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      done = true;
      for (const wake of waiters) wake();
      resolve({ code, signal });
    }),
  );
  return {
    child,
    pid: child.pid!,
    output: () => out,
    stdout: () => std,
    errors: () => errText,
    exited,
    waitFor(pattern, timeoutMs = 90_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`timed out waiting for ${pattern}; output: ${out.slice(-500)}`)), timeoutMs);
        const check = () => {
          const match = out.match(pattern);
          if (match) finish(undefined, match);
          else if (done) finish(new Error(`exited before ${pattern}; output: ${out.slice(-500)}`));
        };
        function finish(err?: Error, match?: RegExpMatchArray) {
          clearTimeout(timer);
          waiters.delete(check);
          if (err) reject(err);
          else resolve(match!);
        }
        waiters.add(check);
        check();
      });
    },
  };
}

/** Runs a TypeScript entry point (through tsx) or `bin/muster.js`. */
export function startNode(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Proc {
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  return start(process.execPath, [...loader, script, ...args], env);
}

/** A pid that belonged to a process that has exited (for a stale lock). */
export async function deadPid(): Promise<number> {
  const proc = start(process.execPath, ['-e', '']);
  await proc.exited;
  return proc.pid;
}
