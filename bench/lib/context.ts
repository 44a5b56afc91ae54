import type { Cluster } from '../../test/helpers/postgres.ts';
import { createDatabase, type DbTarget } from './db.ts';
import { startMuster, tempDir, type DbKind, type MusterProcess } from './muster.ts';
import type { ScenarioReport } from './report.ts';

export interface BenchContext {
  smoke: boolean;
  /** Rounds per figure (3; the smoke run does 1). */
  rounds: number;
  kinds: DbKind[];
  cluster: Cluster | undefined;
  log(message: string): void;
}

export interface Scenario {
  name: string;
  title: string;
  run(ctx: BenchContext, report: ScenarioReport): Promise<void>;
}

/** A fresh database of the given kind: a temp PGlite dir, or a new database on the benchmark cluster. */
export async function freshTarget(ctx: BenchContext, kind: DbKind): Promise<DbTarget> {
  if (kind === 'pglite') return { kind, dataDir: tempDir('muster-bench-'), databaseUrl: undefined };
  if (!ctx.cluster) throw new Error('no PostgreSQL cluster');
  return { kind, dataDir: tempDir('muster-bench-'), databaseUrl: await createDatabase(ctx.cluster.url, 'bench') };
}

export function startOn(target: DbTarget): Promise<MusterProcess> {
  return startMuster({ kind: target.kind, dataDir: target.dataDir, databaseUrl: target.databaseUrl });
}

/** Runs `fn` `rounds` times, collecting one value set per round. */
export async function rounds<T>(ctx: BenchContext, fn: (round: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ctx.rounds; i++) out.push(await fn(i));
  return out;
}
