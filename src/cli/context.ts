import type { Config } from '../config.ts';
import { openServices } from '../app.ts';
import type { AuditLog } from '../domain/audit/log.ts';
import type { DomainContext } from '../domain/context.ts';
import type { BootstrapResult } from '../domain/identity/identity.ts';
import type { Database } from '../store/db.ts';

export interface CliContext {
  database: Database;
  ctx: DomainContext;
  audit: AuditLog;
  /** Set when this command found an empty database and created the admin account. */
  bootstrapped: BootstrapResult | undefined;
  /** Set when this command created the Playbooks webhook signing secret (shown once). */
  newSigningSecret: string | undefined;
}

/**
 * Opens the database the way the server does (migrate, then the first-start bootstrap) without starting
 * anything else. Bootstrapping here matters: a `user create` on an empty database would otherwise make the
 * later first `serve` skip creating the admin and the Playbooks bot.
 */
export async function openCliContext(config: Config): Promise<CliContext> {
  return openServices(config);
}
