import path from 'node:path';
import pg from 'pg';
import type { DbKind } from './muster.ts';
import { openPglite } from '../../src/store/db.ts';

/** Where a Muster database lives: a PGlite data directory or a PostgreSQL URL. */
export interface DbTarget {
  kind: DbKind;
  dataDir: string;
  databaseUrl: string | undefined;
}

export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Several statements at once (no parameters). */
  exec(text: string): Promise<void>;
}

/** Opens the database directly (PGlite: only while no server has it open) and closes it after `fn`. */
export async function withSql<T>(target: DbTarget, fn: (sql: Sql) => Promise<T>): Promise<T> {
  if (target.kind === 'postgres') {
    const client = new pg.Client({ connectionString: target.databaseUrl });
    await client.connect();
    try {
      return await fn({
        query: async <R,>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as R[],
        exec: async (text) => {
          await client.query(text);
        },
      });
    } finally {
      await client.end();
    }
  }
  const lite = await openPglite(path.join(target.dataDir, 'pgdata'));
  try {
    return await fn({
      query: async <R,>(text: string, params?: unknown[]) => (await lite.query<R>(text, params)).rows,
      exec: async (text) => {
        await lite.exec(text);
      },
    });
  } finally {
    await lite.close();
  }
}

/** A new empty database on the benchmark cluster. */
export async function createDatabase(clusterUrl: string, prefix: string): Promise<string> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: clusterUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
