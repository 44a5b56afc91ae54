import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../lib/machine.ts';
import { tempDir } from '../lib/muster.ts';

export interface BareServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts bare-server.ts in its own (plain node) process, serving `getBody` to GET and `postBody` to POST. */
export async function startBareServer(getBody: Buffer, postBody: Buffer): Promise<BareServer> {
  const dir = tempDir('muster-bare-');
  const getFile = path.join(dir, 'get.json');
  const postFile = path.join(dir, 'post.json');
  fs.writeFileSync(getFile, getBody);
  fs.writeFileSync(postFile, postBody);
  // Type stripping by tsx happens once at start; the serving loop is plain node:http.
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/baseline/bare-server.ts', getFile, postFile], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.once('exit', () => child.kill('SIGKILL'));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /listening on (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    exited.then(() => reject(new Error('bare server exited before listening')));
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
