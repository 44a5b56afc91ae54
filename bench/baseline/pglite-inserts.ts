import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { tempDir } from '../lib/muster.ts';

/** A PGlite of the bench's own, on its own temp dir, with a scratch table like the PostgreSQL baseline's. */
export async function openScratchPglite(): Promise<PGlite> {
  const { PGlite } = await import('@electric-sql/pglite');
  const lite = await PGlite.create(path.join(tempDir('muster-pglite-baseline-'), 'pgdata'));
  await lite.exec(`CREATE TABLE scratch_inserts (
    id bigserial PRIMARY KEY, incident_id text NOT NULL, body text NOT NULL, create_at bigint NOT NULL)`);
  return lite;
}

/** `clients` concurrent loops of single-row insert transactions for `seconds`. Returns transactions/s. */
export async function pgliteInserts(lite: PGlite, clients: number, seconds: number): Promise<number> {
  const started = performance.now();
  const end = started + seconds * 1000;
  let done = 0;
  const loop = async () => {
    while (performance.now() < end) {
      await lite.transaction(async (tx) => {
        await tx.query('INSERT INTO scratch_inserts (incident_id, body, create_at) VALUES ($1, $2, $3)', [
          'bench-incident',
          'a note appended by the baseline loop',
          Date.now(),
        ]);
      });
      done++;
    }
  };
  await Promise.all(Array.from({ length: clients }, loop));
  return done / ((performance.now() - started) / 1000);
}
