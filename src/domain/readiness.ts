import { ping, type Db } from '../store/db.ts';

/** Resolves when the database answers a trivial query (the readiness probe bounds how long it waits). */
export function databaseAnswers(db: Db): Promise<void> {
  return ping(db);
}
