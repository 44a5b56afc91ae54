import type { Config } from './config.ts';
import { AuditLog } from './domain/audit/log.ts';
import type { DomainContext } from './domain/context.ts';
import { loadSigningKey } from './lib/audit-key.ts';
import { ReadCache } from './domain/read-cache.ts';
import { bootstrap, type BootstrapResult } from './domain/identity/identity.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { buildServer, type App } from './http/server.ts';
import { renderIncidentWebhook } from './http/incident/webhooks.present.ts';
import { renderPlaybooksWebhook } from './http/playbooks/webhooks.present.ts';
import { timerHandlers } from './jobs/handlers.ts';
import { TimerRunner } from './jobs/timers.ts';
import type { Services } from './services.ts';
import { openDatabase } from './store/db.ts';
import { finishFirstBoot } from './store/first-boot.ts';
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
  const database = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, connectTimeoutMs: config.dbConnectTimeoutMs });
  try {
    await migrate(database.db);
    const ctx: DomainContext = {
      db: database.db,
      clock: opts.clock ?? systemClock,
      siteUrl: config.siteUrl,
      fetch: opts.fetch ?? globalThis.fetch,
      webhookRenderers: { playbooks: renderPlaybooksWebhook, incident: renderIncidentWebhook },
      cache: new ReadCache(database.changes),
      sessionPolicy: { idleMs: config.sessionIdleMinutes * 60_000, maxMs: config.sessionMaxHours * 3_600_000 },
    };
    const key = loadSigningKey({ pem: config.audit.keyPem, file: config.audit.keyFile });
    const audit = new AuditLog(database.db, ctx.clock, key, config.audit);
    const bootstrapped = await bootstrap(ctx, { adminToken: config.adminToken, adminPassword: config.adminPassword });
    if (database.kind === 'pglite') finishFirstBoot(config.dataDir);
    return { database, ctx, audit, bootstrapped };
  } catch (err) {
    await database.close();
    throw err;
  }
}

/** Opens the services and builds (and by default starts) the server. */
export async function startMuster(config: Config, opts: StartOptions = {}): Promise<Muster> {
  const { database, ctx, audit, bootstrapped } = await openServices(config, opts);
  try {
    const services: Services = { database, ctx, audit };
    const app = await buildServer(services, config);
    // Each checkpoint also goes to the log: a copy outside the database that a rewritten table cannot change.
    audit.options.onCheckpoint = (checkpoint) => app.log.info({ auditCheckpoint: checkpoint }, 'audit checkpoint');
    audit.startTimer();
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
        await audit.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
