import path from 'node:path';
import { OutboundPolicy } from './net/ssrf.ts';

/** Everything Muster reads from the environment, parsed once at boot. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  siteUrl: string;
  adminToken: string | undefined;
  adminPassword: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  timerPollMs: number;
  /** Jobs run at once per process (deliveries in flight). */
  jobConcurrency: number;
  /** A claimed job's lease; must exceed the webhook timeout by a margin. */
  jobLeaseMs: number;
  webhookTimeoutMs: number;
  /** A subscription failing for this long is disabled. */
  webhookDisableAfterMs: number;
  /** IPs, CIDRs and host names outbound requests may reach although they are not global unicast. */
  outboundAllowlist: string[];
  /** 64 hex characters (32 bytes); unset means the key file beside the data directory. */
  secretKey: string | undefined;
  secretKeyFile: string;
  /** Former keys (rotation): values sealed under them are opened and re-sealed under the current key at start. */
  previousSecretKeys: string[];
  /** PostgreSQL: longest wait for a database connection before a request answers 503. */
  dbConnectTimeoutMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Parses the environment; every invalid value is reported in one ConfigError. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name}=${JSON.stringify(raw)} must be an integer from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };

  const port = int('PORT', 8065, 0, 65535);
  const timerPollMs = int('MUSTER_TIMER_POLL_MS', 1000, 10, 600_000);
  const dbConnectTimeoutMs = int('MUSTER_DB_CONNECT_TIMEOUT_MS', 5000, 100, 600_000);
  const host = env.HOST || '0.0.0.0';
  const jobConcurrency = int('MUSTER_JOB_CONCURRENCY', 8, 1, 1000);
  const webhookTimeoutMs = int('MUSTER_WEBHOOK_TIMEOUT_MS', 5000, 50, 120_000);
  const jobLeaseMs = int('MUSTER_JOB_LEASE_MS', 60_000, 1000, 3_600_000);
  if (jobLeaseMs < webhookTimeoutMs + 1000) {
    problems.push(`MUSTER_JOB_LEASE_MS=${jobLeaseMs} must exceed MUSTER_WEBHOOK_TIMEOUT_MS (${webhookTimeoutMs}) by at least 1000`);
  }
  const webhookDisableAfterMs = int('MUSTER_WEBHOOK_DISABLE_AFTER_HOURS', 120, 1, 24 * 365) * 3_600_000;
  const outboundAllowlist = (env.MUSTER_OUTBOUND_ALLOWLIST ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const secretKey = env.MUSTER_SECRET_KEY || undefined;
  if (secretKey !== undefined && !/^[0-9a-fA-F]{64}$/.test(secretKey)) {
    problems.push('MUSTER_SECRET_KEY must be 64 hex characters (32 random bytes, e.g. `openssl rand -hex 32`)');
  }
  const previousSecretKeys = (env.MUSTER_SECRET_KEY_PREVIOUS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (previousSecretKeys.some((k) => !/^[0-9a-fA-F]{64}$/.test(k))) {
    problems.push('MUSTER_SECRET_KEY_PREVIOUS must be a comma-separated list of 64-hex-character keys');
  }
  const badAllow = OutboundPolicy.invalidEntries(outboundAllowlist);
  if (badAllow.length > 0) problems.push(`MUSTER_OUTBOUND_ALLOWLIST: not an IP, CIDR or host name: ${badAllow.join(', ')}`);

  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }

  const siteUrlRaw = env.MUSTER_SITE_URL || `http://localhost:${port}`;
  let siteUrl = siteUrlRaw;
  try {
    const parsed = new URL(siteUrlRaw);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('protocol');
    siteUrl = siteUrlRaw.replace(/\/+$/, '');
  } catch {
    problems.push(`MUSTER_SITE_URL=${JSON.stringify(siteUrlRaw)} must be an absolute http(s) URL`);
  }

  const adminToken = env.MUSTER_ADMIN_TOKEN || undefined;
  if (adminToken !== undefined && (adminToken.length < 16 || /\s/.test(adminToken))) {
    problems.push('MUSTER_ADMIN_TOKEN must be at least 16 characters without spaces');
  }
  const adminPassword = env.MUSTER_ADMIN_PASSWORD || undefined;
  if (adminPassword !== undefined && adminPassword.length < 8) {
    problems.push('MUSTER_ADMIN_PASSWORD must be at least 8 characters');
  }

  const logLevelRaw = (env.MUSTER_LOG_LEVEL || 'info').toLowerCase();
  const logLevel = (LOG_LEVELS as readonly string[]).includes(logLevelRaw)
    ? (logLevelRaw as Config['logLevel'])
    : (problems.push(`MUSTER_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`), 'info' as const);

  if (problems.length > 0) throw new ConfigError(problems);
  const dataDir = path.resolve(env.MUSTER_DATA_DIR || './data');
  return {
    port,
    host,
    dataDir,
    databaseUrl,
    siteUrl,
    adminToken,
    adminPassword,
    logLevel,
    timerPollMs,
    jobConcurrency,
    jobLeaseMs,
    webhookTimeoutMs,
    webhookDisableAfterMs,
    outboundAllowlist,
    secretKey,
    // Beside PGlite's pgdata, not in it: a database dump or a copy of pgdata holds no usable secret.
    previousSecretKeys,
    secretKeyFile: path.resolve(env.MUSTER_SECRET_KEY_FILE || path.join(dataDir, 'secret.key')),
    dbConnectTimeoutMs,
  };
}
