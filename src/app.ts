import type { Config } from './config.ts';
import type { DomainContext } from './domain/context.ts';
import { ReadCache } from './domain/read-cache.ts';
import { bootstrap, type BootstrapResult } from './domain/identity/identity.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import type { App } from './http/app-type.ts';
import { buildServer } from './http/server.ts';
import { renderIncidentWebhook } from './http/incident/webhooks.present.ts';
import { renderPlaybooksWebhook } from './http/playbooks/webhooks.present.ts';
import { timerHandlers } from './jobs/handlers.ts';
import { TimerRunner } from './jobs/timers.ts';
import type { Services } from './services.ts';
import { openDatabase } from './store/db.ts';
import { migrate } from './store/migrate.ts';

export interface Muster {
  config: Config;
  app: App;
  services: Services;
  timers: TimerRunner;
  bootstrapped: BootstrapResult | undefined;
  /** Base URL once listening. */
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  /** Start the timer poller (tests drive timers by hand with `timers.tick()`). */
  runTimers?: boolean;
  listen?: boolean;
  fetch?: typeof fetch;
}

export interface OpenedServices extends Services {
  /** Set when this start found an empty database and created the admin account. */
  bootstrapped: BootstrapResult | undefined;
}

/**
 * Opens the database, migrates, builds the domain context and bootstraps an empty database: what the server
 * and the one-shot CLI commands share. The caller closes `database`.
 */
export async function openServices(config: Config, opts: Pick<StartOptions, 'clock' | 'fetch'> = {}): Promise<OpenedServices> {
  const database = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    await migrate(database.db);
    const ctx: DomainContext = {
      db: database.db,
      clock: opts.clock ?? systemClock,
      siteUrl: config.siteUrl,
      fetch: opts.fetch ?? globalThis.fetch,
      webhookRenderers: { playbooks: renderPlaybooksWebhook, incident: renderIncidentWebhook },
      cache: new ReadCache(database.changes),
    };
    const bootstrapped = await bootstrap(ctx, { adminToken: config.adminToken, adminPassword: config.adminPassword });
    return { database, ctx, bootstrapped };
  } catch (err) {
    await database.close();
    throw err;
  }
}

/** Opens the services and builds (and by default starts) the server. */
export async function startMuster(config: Config, opts: StartOptions = {}): Promise<Muster> {
  const { database, ctx, bootstrapped } = await openServices(config, opts);
  try {
    const services: Services = { database, ctx };
    const app = await buildServer(services, config);
    const timers = new TimerRunner(ctx, timerHandlers, (msg, err) => app.log.warn({ err }, msg));
    let url = '';
    if (opts.listen !== false) {
      url = await app.listen({ port: config.port, host: config.host });
      url = url.replace('0.0.0.0', '127.0.0.1');
    }
    if (opts.runTimers !== false) timers.start(config.timerPollMs);
    return {
      config,
      app,
      services,
      timers,
      bootstrapped,
      url,
      close: async () => {
        await timers.stop();
        await app.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
