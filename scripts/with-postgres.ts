// Runs a command with a throwaway PostgreSQL cluster: MUSTER_TEST_PG_URL points at it; stopped afterwards.
import { spawnSync } from 'node:child_process';
import { startCluster } from '../test/helpers/postgres.ts';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  process.stderr.write('usage: with-postgres <command> [args...]\n');
  process.exit(2);
}
const cluster = startCluster();
process.stderr.write(`# throwaway PostgreSQL cluster at ${cluster.url}\n`);
let status = 1;
try {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, MUSTER_TEST_PG_URL: cluster.url } });
  status = result.status ?? 1;
} finally {
  cluster.stop();
}
process.exit(status);
