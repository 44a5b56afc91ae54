import { incidentById, loadDetails } from '../../domain/incidents/read.ts';
import type { IncidentDetail, IncidentRow } from '../../domain/incidents/types.ts';
import type { Executor } from '../../domain/store-types.ts';
import { loadLookups } from './lookups.ts';
import { presentIncident } from './present.ts';

/** Reads incidents back after a change (or for a query) and presents them in the RPC shape. */
export async function presentIncidents(ex: Executor, incidents: IncidentRow[], now: number) {
  return presentDetails(ex, await loadDetails(ex, incidents), now);
}

/** Presents incidents whose details are already loaded (e.g. the rows a declaration returned). */
export async function presentDetails(ex: Executor, details: IncidentDetail[], now: number) {
  const lookups = await loadLookups(ex, details, now);
  return details.map((d) => presentIncident(lookups, d));
}

export async function presentDetail(ex: Executor, detail: IncidentDetail, now: number) {
  const [presented] = await presentDetails(ex, [detail], now);
  return presented!;
}

export async function presentIncidentById(ex: Executor, id: string, now: number) {
  const [presented] = await presentIncidents(ex, [await incidentById(ex, id)], now);
  return presented!;
}
