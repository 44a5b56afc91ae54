import path from 'node:path';

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
  return {
    port,
    host,
    dataDir: path.resolve(env.MUSTER_DATA_DIR || './data'),
    databaseUrl,
    siteUrl,
    adminToken,
    adminPassword,
    logLevel,
    timerPollMs,
    dbConnectTimeoutMs,
  };
}
