import type { AuditLog } from './domain/audit/log.ts';
import type { DomainContext } from './domain/context.ts';
import type { Database } from './store/db.ts';

/** What the HTTP facades, the CLI and the jobs share: the database and the domain context. */
export interface Services {
  database: Database;
  ctx: DomainContext;
  /** The tamper-evident audit log every mutating call appends to. */
  audit: AuditLog;
}
