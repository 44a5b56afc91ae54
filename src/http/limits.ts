import type { ServerOptions } from 'node:http';
import type { FastifyRequest } from 'fastify';
import rateLimit, { normalizeIP, type RateLimitOptions } from '@fastify/rate-limit';
import type { LimitsConfig } from '../config.ts';
import type { Clock } from '../lib/clock.ts';
import { hashToken } from '../lib/secrets.ts';
import type { Db } from '../domain/store-types.ts';
import { rateCounters, SharedWindows } from '../domain/identity/rate-windows.ts';
import type { Services } from '../services.ts';
import type { App } from './app-type.ts';

const MINUTE_MS = 60_000;
/** The per-account window for failed sign-ins. */
export const LOGIN_FAILURE_WINDOW_MS = 15 * MINUTE_MS;

/**
 * Node checks request and header deadlines on an interval (30 s by default), so a 10 s header timeout could
 * take 40 s: check ten times per shortest deadline instead (at least every 100 ms, at most every 30 s).
 */
export function httpServerOptions(limits: LimitsConfig): { http: ServerOptions } {
  const deadlines = [limits.requestTimeoutMs, limits.headersTimeoutMs].filter((ms) => ms > 0);
  const shortest = deadlines.length > 0 ? Math.min(...deadlines) : 300_000;
  return { http: { connectionsCheckingInterval: Math.min(30_000, Math.max(100, Math.floor(shortest / 10))) } };
}

/**
 * Request, header and idle timeouts and the connection cap, set on the server itself (Fastify's options read
 * 0 as "use the default", so "off" could not be said through them). A request whose headers or body are not
 * in by the deadline is answered 408 and its socket closed.
 */
export function applyServerBounds(app: App, limits: LimitsConfig): void {
  const server = app.server;
  server.requestTimeout = limits.requestTimeoutMs;
  server.headersTimeout = limits.headersTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.setTimeout(limits.idleTimeoutMs);
  if (limits.maxConnections > 0) server.maxConnections = limits.maxConnections;
}

/** @fastify/rate-limit's store interface over SharedWindows (all routes share it: keys carry their scope). */
function sharedStore(windows: SharedWindows) {
  return class SharedStore {
    incr(key: string, cb: (err: Error | null, res?: { current: number; ttl: number }) => void, timeWindow: number, max: number): void {
      windows.take(key, timeWindow, max).then((res) => cb(null, res), (err: Error) => cb(err));
    }
    child(): SharedStore {
      return new SharedStore();
    }
  };
}

/** Rate-limit key: the credential (one budget per API token or login session), else the client address. */
function callerKey(request: FastifyRequest): string {
  const credential = request.credential;
  return credential ? `${credential.kind}:${credential.id}` : `addr:${normalizeIP(request.ip)}`;
}

/**
 * Per-token limits on every route of both facades (`ratelimit-*` headers, 429 + `Retry-After` past the
 * budget), checked after authentication and before the body is parsed. In memory on PGlite (one process);
 * on PostgreSQL in the shared `rate_limits` table so N instances share one budget. Limiter errors (the
 * database is away) let the request through: the request itself then fails or not on its own.
 */
export async function registerRateLimits(app: App, services: Services, limits: LimitsConfig): Promise<void> {
  app.decorate('limits', limits);
  app.decorate('loginGuard', new LoginGuard(services, limits));
  if (limits.ratePerMinute === 0 && limits.loginPerMinute === 0) return;
  const shared = services.database.kind === 'postgres' ? sharedStore(new SharedWindows(services.database.db)) : undefined;
  await app.register(rateLimit, {
    global: limits.ratePerMinute > 0,
    max: limits.ratePerMinute,
    timeWindow: MINUTE_MS,
    hook: 'preParsing',
    enableDraftSpec: true,
    cache: 10_000,
    keyGenerator: callerKey,
    skipOnError: true,
    ...(shared ? { store: shared } : {}),
  });
}

/** Route config for sign-in: attempts per client address per minute (false when off). */
export function loginAddressLimit(limits: LimitsConfig): RateLimitOptions | false {
  if (limits.loginPerMinute === 0) return false;
  return {
    max: limits.loginPerMinute,
    timeWindow: MINUTE_MS,
    keyGenerator: (request: FastifyRequest) => `login-addr:${normalizeIP(request.ip)}`,
  };
}

/**
 * Route config for an intake URL: alerts per integration (its secret) per minute (false when off). Past the
 * budget a sender gets 429 + Retry-After and retries (Alertmanager does): nothing it was told was accepted is lost.
 */
export function intakeLimit(limits: LimitsConfig): RateLimitOptions | false {
  if (limits.intakePerMinute === 0) return false;
  return {
    max: limits.intakePerMinute,
    timeWindow: MINUTE_MS,
    keyGenerator: (request: FastifyRequest) => `intake:${hashToken((request.params as { secret?: string }).secret ?? '').slice(0, 32)}`,
  };
}

/** A 429 with Retry-After, for both facades' error bodies (src/http/errors.ts maps any 4xx statusCode). */
export function tooManyRequests(message: string): Error & { statusCode: number } {
  return Object.assign(new Error(message), { statusCode: 429 });
}

/**
 * Failed sign-ins per account (login id, whether or not such a user exists, so the limit tells nothing):
 * past `loginFailuresPerAccount` attempts in LOGIN_FAILURE_WINDOW_MS, sign-in for that login answers 429
 * until the window ends; a successful sign-in clears the count. Shared through `rate_limits` on PostgreSQL, in memory on PGlite.
 */
export class LoginGuard {
  private memory = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly services: Services,
    private readonly limits: LimitsConfig,
  ) {}

  private get clock(): Clock {
    return this.services.ctx.clock;
  }

  private get db(): Db | undefined {
    return this.services.database.kind === 'postgres' ? this.services.database.db : undefined;
  }

  private key(loginId: string): string {
    return `login-account:${hashToken(loginId.trim().toLowerCase()).slice(0, 32)}`;
  }

  /**
   * Counts one attempt (before the password is checked, so parallel guesses cannot all slip under the limit)
   * and says how many milliseconds this login must wait: 0 when it may be tried now.
   */
  async attempt(loginId: string): Promise<number> {
    const max = this.limits.loginFailuresPerAccount;
    if (max === 0) return 0;
    const now = this.clock.now();
    const key = this.key(loginId);
    const window = this.db ? await rateCounters.take(this.db, key, 1, LOGIN_FAILURE_WINDOW_MS, now) : this.countInMemory(key, now);
    return window.count > max ? window.resetAt - now : 0;
  }

  private countInMemory(key: string, now: number): { count: number; resetAt: number } {
    const window = this.memory.get(key);
    if (window && window.resetAt > now) {
      window.count += 1;
      return window;
    }
    if (this.memory.size > 10_000) this.memory.clear();
    const fresh = { count: 1, resetAt: now + LOGIN_FAILURE_WINDOW_MS };
    this.memory.set(key, fresh);
    return fresh;
  }

  async succeeded(loginId: string): Promise<void> {
    if (this.limits.loginFailuresPerAccount === 0) return;
    const key = this.key(loginId);
    if (this.db) await rateCounters.clear(this.db, key);
    else this.memory.delete(key);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    limits: import('../config.ts').LimitsConfig;
    loginGuard: LoginGuard;
  }
}
