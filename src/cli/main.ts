import { ConfigError, loadConfig } from '../config.ts';
import { startMuster } from '../app.ts';
import { DataDirLockedError } from '../store/db.ts';
import { SchemaTooNewError } from '../store/migrate.ts';

const USAGE = `usage: muster <command>

commands:
  serve                 start the server (PORT, HOST, MUSTER_DATA_DIR, DATABASE_URL, MUSTER_SITE_URL)
  help                  show this help
`;

export async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve();
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return command ? 0 : 2;
      default:
        process.stderr.write(`muster: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DataDirLockedError || err instanceof SchemaTooNewError) {
      process.stderr.write(`muster: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

async function serve(): Promise<number> {
  const config = loadConfig();
  const muster = await startMuster(config);
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;
  process.stdout.write(`muster: listening on ${muster.url} with ${where}\n`);
  const boot = muster.bootstrapped;
  if (boot) {
    process.stdout.write(
      [
        '',
        'First start: created the admin account. This is shown once; keep it.',
        `  user:     ${boot.admin.username}${boot.password ? ' (password from MUSTER_ADMIN_PASSWORD)' : ''}`,
        `  team:     ${boot.team.name} (id ${boot.team.id})`,
        `  token:    ${boot.tokenWasProvided ? '(from MUSTER_ADMIN_TOKEN)' : boot.token}`,
        `  try:      curl -H "Authorization: Bearer ${boot.tokenWasProvided ? '$MUSTER_ADMIN_TOKEN' : boot.token}" ${muster.url}/api/v4/users/me`,
        '',
      ].join('\n'),
    );
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await muster.close();
  return 0;
}
