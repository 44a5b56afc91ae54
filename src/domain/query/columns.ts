import { sql } from 'kysely';

// Derived incident times, computed the way the RPC presenter shows them (0 = not set).

/** closedTime: when a resolved incident was closed. */
export const CLOSED_AT = sql<number>`(CASE WHEN incidents.status = 'resolved' THEN incidents.end_at ELSE 0 END)`;
/** incidentStart: set by UpdateIncidentEventTime, else the creation time. */
export const STARTED_AT = sql<number>`(CASE WHEN incidents.incident_start > 0 THEN incidents.incident_start ELSE incidents.create_at END)`;
/** incidentEnd: set by UpdateIncidentEventTime, else the close time. */
export const ENDED_AT = sql<number>`(CASE WHEN incidents.incident_end > 0 THEN incidents.incident_end ELSE ${CLOSED_AT} END)`;
