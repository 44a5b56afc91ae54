import { loadReferences } from '../../domain/incidents/references.ts';
import type { IncidentDetail, TimelineEventRow } from '../../domain/incidents/types.ts';
import type { Executor } from '../../domain/store-types.ts';
import type { RpcLookups } from './present.ts';

/** Loads, in a few queries, the users, roles, assignments and severities the presenters refer to. */
export async function loadLookups(
  ex: Executor,
  details: IncidentDetail[],
  now: number,
  extraEvents: TimelineEventRow[] = [],
): Promise<RpcLookups> {
  return { ...(await loadReferences(ex, details, extraEvents)), now };
}
