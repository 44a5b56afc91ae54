import type { Database } from '../store/db.ts';
import type { Actor } from './context.ts';
import { conflict, forbidden } from './errors.ts';

/**
 * A backup of a running embedded installation, taken through the server (its data directory is locked while it
 * runs): a gzipped tarball of the data directory, restored by `muster restore`. On PostgreSQL the database is
 * backed up with its own tools instead.
 */
export async function embeddedBackup(database: Pick<Database, 'kind' | 'dumpDataDir'>, actor: Actor): Promise<Blob> {
  if (!actor.isAdmin) throw forbidden('only a system admin may take a backup');
  if (!database.dumpDataDir) throw conflict('this server runs on PostgreSQL: back it up with "muster backup FILE" (pg_dump -Fc) or pg_dump itself');
  return database.dumpDataDir();
}
