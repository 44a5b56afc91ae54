import { ping, type Db } from '../store/db.ts';
import { appliedSchemaVersion, currentSchemaVersion } from '../store/migrate.ts';

/** Resolves when the database answers a trivial query (the readiness probe bounds how long it waits). */
export function databaseAnswers(db: Db): Promise<void> {
  return ping(db);
}

/**
 * Why the database schema does not match this code, or undefined when it does. Another instance on the same
 * PostgreSQL may have migrated it past this one during a rolling upgrade: this one must leave the pool.
 */
export async function schemaMismatch(db: Db): Promise<string | undefined> {
  const [applied, known] = [await appliedSchemaVersion(db), currentSchemaVersion()];
  if (applied > known) return `the database schema is at version ${applied}, newer than this Muster (${known}): upgrade this instance`;
  if (applied < known) return `the database schema is at version ${applied}; this Muster needs ${known}: run the migrations (restart, or muster migrate)`;
  return undefined;
}
