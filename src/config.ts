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
  /** `json` (one pino object per line, the default) or `pretty` (pino-pretty, for a person at a terminal). */
  logFormat: 'json' | 'pretty';
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
  /** Login sessions end this long after their last use, and this long after sign-in at the latest. */
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  limits: LimitsConfig;
  audit: AuditConfig;
  /** When set, /metrics needs `Authorization: Bearer <this>`. */
  metricsToken: string | undefined;
  /**
   * MUSTER_RPC_LEGACY_SEVERITY=1: the RPC's `severity` carries the nearest built-in severity (pending, minor,
   * major, critical) for incident-node <= 1.31, whose closed enum refuses custom ones (docs/INCIDENT-GO.md).
   */
  rpcLegacySeverity: boolean;
}

/** Rate limits and HTTP bounds (src/http/limits.ts). 0 turns a limit or timeout off. */
export interface LimitsConfig {
  /** API requests per token (or, unauthenticated, per address) per minute, on both facades. */
  ratePerMinute: number;
  /** Sign-in attempts per client address per minute. */
  loginPerMinute: number;
  /** Failed sign-ins per account per 15 minutes; past it the account's sign-in answers 429 until the window ends. */
  loginFailuresPerAccount: number;
  /** Alerts per intake integration per minute. */
  intakePerMinute: number;
  /** The whole request (headers and body) must arrive within this. */
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  /** A socket with no traffic for this long is closed. */
  idleTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  maxConnections: number;
}

/** The audit log's checkpoint signing key and cadence (docs/SECURITY.md). */
export interface AuditConfig {
  /** PEM (PKCS#8) ed25519 private key from MUSTER_AUDIT_KEY; when unset, `keyFile` is read or created. */
  keyPem: string | undefined;
  /** MUSTER_AUDIT_KEY_FILE, default `<data dir>/audit-signing.key` (beside, not inside, PGlite's pgdata). */
  keyFile: string;
  /** A signed checkpoint after this many rows (MUSTER_AUDIT_CHECKPOINT_ROWS, default 1000)... */
  checkpointRows: number;
  /** ...or this often while rows arrive (MUSTER_AUDIT_CHECKPOINT_MS, default 60000), and at shutdown. */
  checkpointMs: number;
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
  const int: IntReader = (name, fallback, min, max) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name}=${JSON.stringify(raw)} must be an integer from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
  const dataDir = path.resolve(env.MUSTER_DATA_DIR || './data');
  const config: Config = {
    ...serverPart(env, int, problems),
    dataDir,
    ...adminPart(env, problems),
    timerPollMs: int('MUSTER_TIMER_POLL_MS', 1000, 10, 600_000),
    dbConnectTimeoutMs: int('MUSTER_DB_CONNECT_TIMEOUT_MS', 5000, 100, 600_000),
    ...deliveryPart(env, int, problems),
    ...secretsPart(env, dataDir, problems),
    sessionIdleMinutes: int('MUSTER_SESSION_IDLE_MINUTES', 43_200, 1, 5_256_000),
    sessionMaxHours: int('MUSTER_SESSION_MAX_HOURS', 2_160, 1, 87_600),
    limits: loadLimits(int, problems),
    audit: {
      keyPem: env.MUSTER_AUDIT_KEY || undefined,
      keyFile: path.resolve(env.MUSTER_AUDIT_KEY_FILE || path.join(dataDir, 'audit-signing.key')),
      checkpointRows: int('MUSTER_AUDIT_CHECKPOINT_ROWS', 1000, 1, 10_000_000),
      checkpointMs: int('MUSTER_AUDIT_CHECKPOINT_MS', 60_000, 100, 86_400_000),
    },
    metricsToken: env.MUSTER_METRICS_TOKEN || undefined,
    rpcLegacySeverity: flag(env, 'MUSTER_RPC_LEGACY_SEVERITY', problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** A yes/no setting: `1`/`true` on, unset, empty, `0`/`false` off; anything else is a problem. */
function flag(env: NodeJS.ProcessEnv, name: string, problems: string[]): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '1' || raw === 'true') return true;
  if (raw === '' || raw === '0' || raw === 'false') return false;
  problems.push(`${name}=${JSON.stringify(env[name])} must be 1 or 0`);
  return false;
}

/** Where to listen and be reached, which database, how much to log. */
function serverPart(env: NodeJS.ProcessEnv, int: IntReader, problems: string[]) {
  const port = int('PORT', 8065, 0, 65535);
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  const siteUrlRaw = env.MUSTER_SITE_URL || `http://localhost:${port}`;
  let siteUrl = siteUrlRaw;
  try {
    const parsed = new URL(siteUrlRaw);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('protocol');
    siteUrl = siteUrlRaw.replace(/\/+$/, '');
  } catch {
    problems.push(`MUSTER_SITE_URL=${JSON.stringify(siteUrlRaw)} must be an absolute http(s) URL`);
  }
  const logLevelRaw = (env.MUSTER_LOG_LEVEL || 'info').toLowerCase();
  const logLevel = (LOG_LEVELS as readonly string[]).includes(logLevelRaw)
    ? (logLevelRaw as Config['logLevel'])
    : (problems.push(`MUSTER_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`), 'info' as const);
  const logFormatRaw = (env.MUSTER_LOG_FORMAT || 'json').toLowerCase();
  const logFormat: Config['logFormat'] = logFormatRaw === 'json' || logFormatRaw === 'pretty' ? logFormatRaw : (problems.push('MUSTER_LOG_FORMAT must be json or pretty'), 'json' as const);
  return { port, host: env.HOST || '0.0.0.0', databaseUrl, siteUrl, logLevel, logFormat };
}

/** The first start's admin credentials (read at the first start only). */
function adminPart(env: NodeJS.ProcessEnv, problems: string[]) {
  const adminToken = env.MUSTER_ADMIN_TOKEN || undefined;
  if (adminToken !== undefined && (adminToken.length < 16 || /\s/.test(adminToken))) {
    problems.push('MUSTER_ADMIN_TOKEN must be at least 16 characters without spaces');
  }
  const adminPassword = env.MUSTER_ADMIN_PASSWORD || undefined;
  if (adminPassword !== undefined && adminPassword.length < 8) problems.push('MUSTER_ADMIN_PASSWORD must be at least 8 characters');
  return { adminToken, adminPassword };
}

/** The job engine and outgoing requests. */
function deliveryPart(env: NodeJS.ProcessEnv, int: IntReader, problems: string[]) {
  const webhookTimeoutMs = int('MUSTER_WEBHOOK_TIMEOUT_MS', 5000, 50, 120_000);
  const jobLeaseMs = int('MUSTER_JOB_LEASE_MS', 60_000, 1000, 3_600_000);
  if (jobLeaseMs < webhookTimeoutMs + 1000) {
    problems.push(`MUSTER_JOB_LEASE_MS=${jobLeaseMs} must exceed MUSTER_WEBHOOK_TIMEOUT_MS (${webhookTimeoutMs}) by at least 1000`);
  }
  const outboundAllowlist = (env.MUSTER_OUTBOUND_ALLOWLIST ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const badAllow = OutboundPolicy.invalidEntries(outboundAllowlist);
  if (badAllow.length > 0) problems.push(`MUSTER_OUTBOUND_ALLOWLIST: not an IP, CIDR or host name: ${badAllow.join(', ')}`);
  return {
    jobConcurrency: int('MUSTER_JOB_CONCURRENCY', 8, 1, 1000),
    jobLeaseMs,
    webhookTimeoutMs,
    webhookDisableAfterMs: int('MUSTER_WEBHOOK_DISABLE_AFTER_HOURS', 120, 1, 24 * 365) * 3_600_000,
    outboundAllowlist,
  };
}

/** The key that seals stored secrets, and former keys during a rotation. */
function secretsPart(env: NodeJS.ProcessEnv, dataDir: string, problems: string[]) {
  const secretKey = env.MUSTER_SECRET_KEY || undefined;
  if (secretKey !== undefined && !/^[0-9a-fA-F]{64}$/.test(secretKey)) {
    problems.push('MUSTER_SECRET_KEY must be 64 hex characters (32 random bytes, e.g. `openssl rand -hex 32`)');
  }
  const previousSecretKeys = (env.MUSTER_SECRET_KEY_PREVIOUS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (previousSecretKeys.some((k) => !/^[0-9a-fA-F]{64}$/.test(k))) {
    problems.push('MUSTER_SECRET_KEY_PREVIOUS must be a comma-separated list of 64-hex-character keys');
  }
  // Beside PGlite's pgdata, not in it: a database dump or a copy of pgdata holds no usable secret.
  return { secretKey, previousSecretKeys, secretKeyFile: path.resolve(env.MUSTER_SECRET_KEY_FILE || path.join(dataDir, 'secret.key')) };
}

type IntReader = (name: string, fallback: number, min: number, max: number) => number;

function loadLimits(int: IntReader, problems: string[]): LimitsConfig {
  const limits: LimitsConfig = {
    ratePerMinute: int('MUSTER_RATE_LIMIT_PER_MINUTE', 60_000, 0, 1_000_000_000),
    loginPerMinute: int('MUSTER_LOGIN_LIMIT_PER_MINUTE', 30, 0, 1_000_000),
    loginFailuresPerAccount: int('MUSTER_LOGIN_FAILURES_PER_ACCOUNT', 10, 0, 1_000_000),
    intakePerMinute: int('MUSTER_INTAKE_LIMIT_PER_MINUTE', 6_000, 0, 1_000_000_000),
    requestTimeoutMs: int('MUSTER_REQUEST_TIMEOUT_MS', 30_000, 0, 3_600_000),
    headersTimeoutMs: int('MUSTER_HEADERS_TIMEOUT_MS', 10_000, 0, 3_600_000),
    idleTimeoutMs: int('MUSTER_IDLE_TIMEOUT_MS', 120_000, 0, 3_600_000),
    keepAliveTimeoutMs: int('MUSTER_KEEPALIVE_TIMEOUT_MS', 5_000, 0, 3_600_000),
    maxConnections: int('MUSTER_MAX_CONNECTIONS', 10_000, 0, 1_000_000),
  };
  if (limits.requestTimeoutMs > 0 && limits.headersTimeoutMs > limits.requestTimeoutMs) {
    problems.push('MUSTER_HEADERS_TIMEOUT_MS must not be larger than MUSTER_REQUEST_TIMEOUT_MS');
  }
  return limits;
}
