import type { Config } from './config.ts';
import { AuditLog } from './domain/audit/log.ts';
import type { DomainContext } from './domain/context.ts';
import { loadSigningKey } from './lib/audit-key.ts';
import { ReadCache } from './domain/read-cache.ts';
import { bootstrap, type BootstrapResult } from './domain/identity/identity.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import type { App } from './http/app-type.ts';
import { buildServer } from './http/server.ts';
import { renderIncidentWebhook } from './http/incident/webhooks.present.ts';
import { renderPlaybooksWebhook } from './http/playbooks/webhooks.present.ts';
import { jobHandlers } from './jobs/handlers.ts';
import { listenForJobs } from './jobs/listen.ts';
import { JobRunner } from './jobs/runner.ts';
import { SecretBox, loadSecretKey } from './lib/secret-box.ts';
import { Outbound, type OutboundOptions } from './net/outbound.ts';
import { sealStoredSecrets } from './domain/secrets-at-rest.ts';
import { ensureSigningSecret } from './domain/signing-secrets.ts';
import type { Services } from './services.ts';
import { StartupError } from './startup-errors.ts';
import { openDatabase } from './store/db.ts';
import { finishFirstBoot } from './store/first-boot.ts';
import { migrate } from './store/migrate.ts';

export interface Muster {
  config: Config;
  app: App;
  services: Services;
  /** The job engine (reminders, webhook deliveries); tests drive it with `jobs.tick()`. */
  jobs: JobRunner;
  bootstrapped: BootstrapResult | undefined;
  newSigningSecret: string | undefined;
  /** Base URL once listening. */
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  /** Start the job runner (tests drive jobs by hand with `jobs.tick()`). */
  runTimers?: boolean;
  listen?: boolean;
  /** Test seams of the outbound guard: a fake resolver, a dial spy. */
  outbound?: Pick<OutboundOptions, 'resolve' | 'onDial'>;
  /** Told each step of the start (`muster serve` prints them). */
  progress?: (line: string) => void;
}

export interface OpenedServices extends Services {
  /** Set when this start found an empty database and created the admin account. */
  bootstrapped: BootstrapResult | undefined;
  /** The Playbooks webhook signing secret, when this start created it (shown once). */
  newSigningSecret: string | undefined;
}

/**
 * Opens the database, migrates, builds the domain context and bootstraps an empty database: what the server
 * and the one-shot CLI commands share. The caller closes `database`.
 */
export async function openServices(config: Config, opts: Pick<StartOptions, 'clock' | 'outbound' | 'progress'> = {}): Promise<OpenedServices> {
  opts.progress?.(config.databaseUrl ? 'connecting to PostgreSQL' : `opening the embedded database in ${config.dataDir}`);
  const secrets = new SecretBox(loadSecretKey(config), config.previousSecretKeys.map((hex) => Buffer.from(hex, 'hex')));
  const database = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, connectTimeoutMs: config.dbConnectTimeoutMs });
  const outbound = new Outbound({ allowlist: config.outboundAllowlist, timeoutMs: config.webhookTimeoutMs, ...opts.outbound });
  try {
    const applied = await migrate(database.db);
    for (const name of applied) opts.progress?.(`applied migration ${name}`);
    const ctx: DomainContext = {
      db: database.db,
      clock: opts.clock ?? systemClock,
      siteUrl: config.siteUrl,
      outbound,
      secrets,
      webhookRenderers: { playbooks: renderPlaybooksWebhook, incident: renderIncidentWebhook },
      cache: new ReadCache(database.changes),
      sessionPolicy: { idleMs: config.sessionIdleMinutes * 60_000, maxMs: config.sessionMaxHours * 3_600_000 },
    };
    const key = loadSigningKey({ pem: config.audit.keyPem, file: config.audit.keyFile });
    const audit = new AuditLog(database.db, ctx.clock, key, config.audit);
    await sealStoredSecrets(ctx);
    const bootstrapped = await bootstrap(ctx, { adminToken: config.adminToken, adminPassword: config.adminPassword });
    const newSigningSecret = await ensureSigningSecret(ctx);
    if (database.kind === 'pglite') finishFirstBoot(config.dataDir);
    const close = database.close;
    database.close = async () => {
      await outbound.close();
      await close();
    };
    return { database, ctx, audit, bootstrapped, newSigningSecret };
  } catch (err) {
    await outbound.close();
    await database.close();
    throw err;
  }
}

/** Opens the services and builds (and by default starts) the server. */
export async function startMuster(config: Config, opts: StartOptions = {}): Promise<Muster> {
  const { database, ctx, audit, bootstrapped, newSigningSecret } = await openServices(config, opts);
  let app: App | undefined;
  let wake: { stop(): Promise<void> } | undefined;
  try {
    const services: Services = { database, ctx, audit };
    app = await buildServer(services, config);
    const log = app.log;
    // Each checkpoint also goes to the log: a copy outside the database that a rewritten table cannot change.
    audit.options.onCheckpoint = (checkpoint) => log.info({ auditCheckpoint: checkpoint }, 'audit checkpoint');
    audit.startTimer();
    const jobs = new JobRunner(ctx, jobHandlers({ disableAfterMs: config.webhookDisableAfterMs }), {
      concurrency: config.jobConcurrency,
      leaseMs: config.jobLeaseMs,
      log: (msg, err) => log.warn({ err }, msg),
    });
    wake = config.databaseUrl && opts.runTimers !== false ? await listenForJobs(config.databaseUrl, () => void jobs.tick()) : undefined;
    let url = '';
    if (opts.listen !== false) {
      url = await app.listen({ port: config.port, host: config.host });
      url = url.replace('0.0.0.0', '127.0.0.1');
    }
    if (opts.runTimers !== false) jobs.start(config.timerPollMs);
    return {
      config,
      app,
      services,
      jobs,
      bootstrapped,
      newSigningSecret,
      url,
      close: async () => {
        await wake?.stop();
        await jobs.stop();
        await app?.close();
        await audit.close();
        await database.close();
      },
    };
  } catch (err) {
    // Nothing may keep the process alive after a failed start (the audit timer, the wake-up connection).
    await wake?.stop().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await audit.close().catch(() => undefined);
    await database.close();
    throw bootstrapped ? new StartupError((err as Error).message, bootstrapped, { cause: err }) : err;
  }
}
