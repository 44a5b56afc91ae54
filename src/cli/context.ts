import type { Config } from '../config.ts';
import type { DomainContext } from '../domain/context.ts';
import { bootstrap, type BootstrapResult } from '../domain/identity/identity.ts';
import { renderPlaybooksWebhook } from '../http/playbooks/webhooks.present.ts';
import { systemClock } from '../lib/clock.ts';
import { openDatabase, type Database } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';

export interface CliContext {
  database: Database;
  ctx: DomainContext;
  /** Set when this command found an empty database and created the admin account. */
  bootstrapped: BootstrapResult | undefined;
}

/**
 * Opens the database the way the server does (migrate, then the first-start bootstrap) without starting
 * anything else. Bootstrapping here matters: a `user create` on an empty database would otherwise make the
 * later first `serve` skip creating the admin and the Playbooks bot.
 */
export async function openCliContext(config: Config): Promise<CliContext> {
  const database = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    await migrate(database.db);
    const ctx: DomainContext = {
      db: database.db,
      clock: systemClock,
      siteUrl: config.siteUrl,
      fetch: globalThis.fetch,
      webhookRenderers: { playbooks: renderPlaybooksWebhook },
    };
    const bootstrapped = await bootstrap(ctx, { adminToken: config.adminToken, adminPassword: config.adminPassword });
    return { database, ctx, bootstrapped };
  } catch (err) {
    await database.close();
    throw err;
  }
}
