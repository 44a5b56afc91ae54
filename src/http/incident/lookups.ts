import { loadReferences } from '../../domain/incidents/references.ts';
import type { IncidentDetail, TimelineEventRow } from '../../domain/incidents/types.ts';
import type { Executor } from '../../domain/store-types.ts';
import type { RpcLookups } from './present.ts';

/**
 * MUSTER_RPC_LEGACY_SEVERITY (server-wide, set when the facade is registered): the Incident's `severity`
 * carries the nearest built-in severity. One server runs per process, so this is the process's setting.
 */
let legacySeverity = false;

export function setLegacySeverity(enabled: boolean): void {
  legacySeverity = enabled;
}

/** Loads, in a few queries, the users, roles, assignments and severities the presenters refer to. */
export async function loadLookups(
  ex: Executor,
  details: IncidentDetail[],
  now: number,
  extraEvents: TimelineEventRow[] = [],
): Promise<RpcLookups> {
  return { ...(await loadReferences(ex, details, extraEvents)), now, legacySeverity };
}
