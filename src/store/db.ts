import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { listenForChanges } from './change-listener.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { damagedError, prepareFirstBoot } from './first-boot.ts';
import { CHANGES_CHANNEL, ChangeFeed, encodeChanges, type ChangeSet } from './changes.ts';
import { CommitOutcomeUnknownError, isConnectionError } from './connection-errors.ts';
import type { DB } from './schema.ts';

// int8 (bigint) columns hold epoch milliseconds and counts: safe as JS numbers.
pg.types.setTypeParser(20, (value: string) => Number(value));

export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;
/** Either the database or an open transaction: repositories accept both. */
export type Executor = Kysely<DB> | Transaction<DB>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** What committed transactions changed: lets reads be served from memory while still current. */
  changes: ChangeFeed;
  /** PostgreSQL: the pool's connections now (open, idle, requests waiting for one). */
  poolUse?: () => { total: number; idle: number; waiting: number };
  /** PGlite: the data directory as a gzipped tarball, taken after a checkpoint between two statements. */
  dumpDataDir?: () => Promise<Blob>;
  close(): Promise<void>;
}

const feeds = new WeakMap<Db, ChangeFeed>();

export { DataDirLockedError } from './data-dir-lock.ts';
export { DataDirDamagedError } from './first-boot.ts';

/** Writes a jsonb column value. pg would turn a JS array into a Postgres array, so encode explicitly. */
export function json(value: unknown): string {
  return JSON.stringify(value);
}

// Set while a transaction callback runs, holding what it changed. PGlite has one connection: asking the pool
// for another one inside a transaction waits forever, so the guarded pool throws instead of hanging.
const insideTransaction = new AsyncLocalStorage<ChangeSet>();

/**
 * Tells the running transaction that it changes only this incident's own data (and its channel's
 * membership). A transaction that never says so counts as changing everything, so caches stay safe.
 */
export function noteIncidentChange(incident: { id: string; channel_id: string }): void {
  const changes = insideTransaction.getStore();
  if (!changes) throw new Error('noteIncidentChange outside a transaction');
  changes.incidents.set(incident.id, incident.channel_id);
}

const afterCommitHooks = new WeakMap<ChangeSet, Array<() => void>>();

/**
 * Runs `fn` once the running transaction commits (never if it rolls back); outside a transaction, now.
 * The job engine uses it to wake its runner in this process as soon as a job is committed.
 */
export function afterCommit(fn: () => void): void {
  const changes = insideTransaction.getStore();
  if (!changes) return fn();
  const hooks = afterCommitHooks.get(changes);
  if (hooks) hooks.push(fn);
  else afterCommitHooks.set(changes, [fn]);
}

interface PoolLike {
  connect(): Promise<pg.PoolClient>;
  end(): Promise<void>;
}

function guardedPool(inner: pg.Pool): PoolLike {
  return {
    connect() {
      if (insideTransaction.getStore()) {
        return Promise.reject(
          new Error('database handle used inside a transaction: pass the transaction handle down instead'),
        );
      }
      return inner.connect();
    },
    end: () => inner.end(),
  };
}

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock
/** A connection lost before COMMIT rolled the transaction back: one more try, on a fresh connection. */
const CONNECTION_ATTEMPTS = 2;

/**
 * Runs `fn` in one transaction, retrying on serialization failures and deadlocks, and once on a connection
 * lost before COMMIT (the server rolled it back). After the commit, the change feed learns what changed; on a
 * shared database the same news goes out with the commit (NOTIFY is delivered only if the transaction
 * commits). A connection lost at COMMIT throws CommitOutcomeUnknownError: it may have committed.
 */
export async function transaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const feed = feeds.get(db);
  for (let attempt = 1; ; attempt++) {
    const changes: ChangeSet = { incidents: new Map(), everything: false };
    let committing = false; // set once `fn` is done: what fails after that failed at (or after) COMMIT
    try {
      const result = await db.transaction().execute((tx) =>
        insideTransaction.run(changes, async () => {
          const value = await fn(tx);
          if (feed?.sharesDatabase) await sql`select pg_notify(${CHANGES_CHANNEL}, ${encodeChanges(changes)})`.execute(tx);
          committing = true;
          return value;
        }),
      );
      feed?.record(changes);
      for (const hook of afterCommitHooks.get(changes) ?? []) hook();
      return result;
    } catch (err) {
      if (isConnectionError(err)) {
        if (committing) {
          feed?.record(changes); // it may have committed: cached reads of what it touched are no longer current
          throw new CommitOutcomeUnknownError(err);
        }
        if (attempt >= CONNECTION_ATTEMPTS) throw err;
        continue;
      }
      const code = (err as { code?: string }).code;
      if (attempt >= 5 || !code || !RETRYABLE.has(code)) throw err;
    }
  }
}

/** Resolves when the database answers a trivial query (readiness). */
export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

export interface OpenOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
  /** PostgreSQL: how long a request may wait for a connection (a new one, or a free one of the pool). */
  connectTimeoutMs?: number | undefined;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const connect = { connectionString: opts.databaseUrl, connectionTimeoutMillis: opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, keepAlive: true };
    // JIT compilation adds 150-190 ms to large list queries and never pays off for OLTP-sized work.
    const pool = survivingDisconnects(new pg.Pool({ ...connect, max: 10, options: '-c jit=off' }));
    const { db, changes } = kyselyOver(pool, true);
    const listener = await listenForChanges(connect, changes).catch(async (err: unknown) => {
      await db.destroy();
      throw err;
    });
    return {
      db,
      kind: 'postgres',
      changes,
      poolUse: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      close: async () => {
        await listener.stop();
        await db.destroy();
      },
    };
  }
  return openEmbedded(opts.dataDir);
}

/**
 * A connection that fails (the server stopped or restarted, the backend was terminated, the network dropped)
 * makes its pg client emit 'error'; unheard, that event ends the process. The pool hears it for idle clients
 * and drops them; a client checked out at that moment is heard here: the query in flight rejects (and the
 * request answers 503), and pg-pool discards the client when it is released, so the next request opens a
 * fresh connection.
 */
function survivingDisconnects(pool: pg.Pool): pg.Pool {
  pool.on('error', () => undefined); // an idle client failed: pg-pool has already removed it
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** Kysely over a guarded pool, with the change feed its transactions report to. */
function kyselyOver(pool: pg.Pool, sharesDatabase: boolean): { db: Db; changes: ChangeFeed } {
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: guardedPool(pool) }) });
  const changes = new ChangeFeed(sharesDatabase);
  feeds.set(db, changes);
  return { db, changes };
}

async function openEmbedded(dataDir: string): Promise<Database> {
  fs.mkdirSync(dataDir, { recursive: true });
  const releaseLock = await lockDataDir(dataDir);
  try {
    const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
    prepareFirstBoot(dataDir);
    const lite = await openPglite(path.join(dataDir, 'pgdata')).catch((err: unknown) => {
      throw damagedError(dataDir, err);
    });
    // One process owns the data directory (the lock above), so every change is made here and seen here.
    const { db, changes } = kyselyOver(new pg.Pool(createPgConfig(lite) as pg.PoolConfig), false);
    return {
      db,
      kind: 'pglite',
      changes,
      dumpDataDir: async () => {
        await lite.exec('CHECKPOINT');
        return lite.dumpDataDir('gzip');
      },
      close: async () => {
        await db.destroy();
        await lite.close();
        releaseLock();
      },
    };
  } catch (err) {
    releaseLock();
    throw err;
  }
}

/**
 * Opens PGlite with the extensions Muster's schema uses. Every opener of a Muster data directory must use
 * this: once the run-name trigram index exists, writing incidents needs pg_trgm loaded.
 */
/** Writes a data-directory tarball (from dumpDataDir) into a new `pgdata`: what restoring an embedded backup is. */
export async function restorePglite(pgdata: string, tarball: Blob): Promise<void> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const lite = await PGlite.create(pgdata, { extensions: { pg_trgm }, loadDataDir: tarball });
  await lite.query('SELECT 1');
  await lite.close();
}

export async function openPglite(pgdata: string) {
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  return PGlite.create(pgdata, { extensions: { pg_trgm } });
}
