import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { PGBIN } from '../lib/machine.ts';
import { tempDir } from '../lib/muster.ts';

const run = promisify(execFile);

export const SCRATCH_TABLE = 'bench_scratch_inserts';

/** The scratch table the raw-insert baseline writes to, in the same database as Muster's tables. */
export async function createScratchTable(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS ${SCRATCH_TABLE} (
      id bigserial PRIMARY KEY, incident_id text NOT NULL, body text NOT NULL, create_at bigint NOT NULL)`);
  } finally {
    await client.end();
  }
}

/** Raw single-row insert transactions: `pgbench -n -c <clients> -j 2 -T <seconds> -f insert.sql`. Returns transactions/s. */
export async function pgbenchInserts(databaseUrl: string, clients: number, seconds: number): Promise<number> {
  if (!PGBIN) throw new Error('pgbench not found');
  const script = path.join(tempDir('muster-pgbench-'), 'insert.sql');
  fs.writeFileSync(
    script,
    `INSERT INTO ${SCRATCH_TABLE} (incident_id, body, create_at) VALUES ('bench-incident', 'a note appended by pgbench', 0);\n`,
  );
  const url = new URL(databaseUrl);
  const args = ['-n', '-c', String(clients), '-j', '2', '-T', String(seconds), '-f', script];
  args.push('-h', url.hostname, '-p', url.port, '-U', url.username || 'postgres', url.pathname.slice(1));
  const { stdout } = await run(path.join(PGBIN, 'pgbench'), args, { encoding: 'utf8' });
  const match = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
  if (!match) throw new Error(`could not read tps from pgbench:\n${stdout}`);
  const failed = /number of failed transactions: (\d+)/.exec(stdout);
  if (failed && Number(failed[1]) > 0) throw new Error(`pgbench: ${failed[1]} failed transactions`);
  return Number(match[1]);
}
