import { ConfigError, loadConfig, type Config } from '../config.ts';
import { DomainError } from '../domain/errors.ts';
import { parseCommand, UsageError, wantsHelp } from './args.ts';
import { prepareAuditCommand } from './audit.commands.ts';
import { prepareTeamCommand, prepareTokenCommand, prepareUserCommand } from './identity.commands.ts';
import { firstStartNotice, signingSecretNotice } from './notice.ts';
import { prepareIntegrationsCommand } from './integrations.commands.ts';
import { prepareBackupCommand, prepareRestoreCommand } from './backup.commands.ts';
import { prepareExportCommand, prepareImportCommand } from './portable.commands.ts';
import { prepareWebhooksCommand } from './webhooks.commands.ts';
import { USAGE } from './usage.ts';

/**
 * Exit codes: 0 success, 1 the command failed (bad environment, data directory locked or damaged, schema too new,
 * a rejected input such as a taken username), 2 the command line itself is wrong.
 */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'help' || (command !== undefined && wantsHelp(argv))) {
      process.stdout.write(USAGE);
      return 0;
    }
    // Parse the whole command line before reading the environment or opening the database.
    const run = prepare(command, rest);
    return await run(() => loadConfig());
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`muster: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof ConfigError || err instanceof DomainError || (await isStoreRefusal(err))) {
      process.stderr.write(`muster: ${(err as Error).message}\n`);
      return 1;
    }
    throw err;
  }
}

/** The database refused to open (data directory locked or damaged, schema newer than this code): exit 1, no stack. */
async function isStoreRefusal(err: unknown): Promise<boolean> {
  // Loaded lazily (the driver is heavy); by the time such an error exists, the modules are loaded anyway.
  const [{ DataDirLockedError, DataDirDamagedError }, { SchemaTooNewError }] = await Promise.all([
    import('../store/db.ts'),
    import('../store/migrate.ts'),
  ]);
  return err instanceof DataDirLockedError || err instanceof DataDirDamagedError || err instanceof SchemaTooNewError;
}

function prepare(command: string | undefined, rest: string[]): (config: () => Config) => Promise<number> {
  switch (command) {
    case 'serve':
      parseCommand('serve', rest, {});
      return (config) => serve(config());
    case 'migrate': {
      const { values } = parseCommand('migrate', rest, {});
      return (config) => migrateOnly(config(), values.json ?? false);
    }
    case 'user':
      return prepareUserCommand(rest);
    case 'team':
      return prepareTeamCommand(rest);
    case 'token':
      return prepareTokenCommand(rest);
    case 'audit':
      return prepareAuditCommand(rest);
    case 'webhooks':
      return prepareWebhooksCommand(rest);
    case 'integrations':
      return prepareIntegrationsCommand(rest);
    case 'export':
      return prepareExportCommand(rest);
    case 'import':
      return prepareImportCommand(rest);
    case 'backup':
      return prepareBackupCommand(rest);
    case 'restore':
      return prepareRestoreCommand(rest);
    case undefined:
      throw new UsageError('missing command');
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** Applies pending migrations and nothing else (no bootstrap, no server): for deploy pipelines. */
async function migrateOnly(config: Config, json: boolean): Promise<number> {
  const [{ openDatabase }, { migrate }, { finishFirstBoot }] = await Promise.all([
    import('../store/db.ts'),
    import('../store/migrate.ts'),
    import('../store/first-boot.ts'),
  ]);
  const database = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, connectTimeoutMs: config.dbConnectTimeoutMs });
  try {
    const applied = await migrate(database.db);
    // A migrated directory is complete (the migrations commit as one): a later start must not redo it.
    if (database.kind === 'pglite') finishFirstBoot(config.dataDir);
    if (json) process.stdout.write(`${JSON.stringify({ applied })}\n`);
    else if (applied.length === 0) process.stdout.write('schema is up to date: no migrations to apply\n');
    else process.stdout.write(applied.map((name) => `applied ${name}\n`).join(''));
    return 0;
  } finally {
    await database.close();
  }
}

async function serve(config: Config): Promise<number> {
  const [{ startMuster }, { describeStartupFailure, StartupError }] = await Promise.all([import('../app.ts'), import('../startup-errors.ts')]);
  const started = Date.now();
  let muster: Awaited<ReturnType<typeof startMuster>>;
  try {
    muster = await startMuster(config, { progress: (line) => process.stdout.write(`muster: ${line}\n`) });
  } catch (err) {
    // The first start made the admin before it failed: its one-time credentials must not be lost.
    if (err instanceof StartupError && err.bootstrapped) process.stderr.write(firstStartNotice(err.bootstrapped, config.siteUrl));
    const line = describeStartupFailure(err, config);
    if (!line) throw err;
    process.stderr.write(`muster: cannot start: ${line}\n`);
    return 1;
  }
  // Listened for before the "listening" line: a supervisor may send SIGTERM as soon as it reads it.
  const stopSignal = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;
  // One write, so that whoever watches for the "listening" line has the first-start notice too.
  const notice = (muster.bootstrapped ? firstStartNotice(muster.bootstrapped, muster.url) : '') + signingSecretNotice(muster.newSigningSecret);
  process.stdout.write(`muster: listening on ${muster.url} with ${where} (ready in ${Date.now() - started} ms)\n${notice}`);
  if (!muster.bootstrapped) {
    const { ignoredAdminToken } = await import('../domain/identity/identity.ts');
    const warning = await ignoredAdminToken(muster.services.ctx, config.adminToken);
    if (warning) process.stderr.write(`muster: warning: ${warning}\n`);
  }
  const signal = await stopSignal;
  const stopping = Date.now();
  process.stdout.write(`muster: ${signal}: finishing requests in flight and running jobs, then stopping\n`);
  await muster.close();
  process.stdout.write(`muster: stopped in ${Date.now() - stopping} ms\n`);
  return 0;
}
