import type { presentIncident } from './present.ts';

type PresentedIncident = ReturnType<typeof presentIncident>;

export interface PreviewOptions {
  includeCustomFieldValues: boolean;
  includeMembershipPreview: boolean;
  includeIncidentChannels: boolean;
}

/**
 * An IncidentPreview (notes §5), derived from the full Incident shape so both always agree. The optional
 * parts appear only when asked for.
 */
export function presentPreview(incident: PresentedIncident, opts: PreviewOptions) {
  const membership = incident.incidentMembership;
  return {
    incidentID: incident.incidentID,
    severityID: incident.severityID,
    severityLabel: incident.severityLabel,
    incidentType: incident.incidentType,
    labels: incident.labels,
    isDrill: incident.isDrill,
    createdTime: incident.createdTime,
    modifiedTime: incident.modifiedTime,
    closedTime: incident.closedTime,
    createdByUser: incident.createdByUser,
    title: incident.title,
    // Playbooks' run description is the incident summary: one text, shown under both names.
    description: incident.summary,
    summary: incident.summary,
    heroImagePath: incident.heroImagePath,
    status: incident.status,
    // The overview URL ends with the slug the presenter made from the title.
    slug: incident.overviewURL.slice(incident.overviewURL.lastIndexOf('/') + 1),
    incidentStart: incident.incidentStart,
    incidentEnd: incident.incidentEnd,
    ...(opts.includeCustomFieldValues ? { fieldValues: incident.fieldValues } : {}),
    ...(opts.includeMembershipPreview
      ? {
          incidentMembershipPreview: {
            importantAssignments: membership.assignments.filter((a) => a.role.important).map((a) => ({ user: a.user, roleID: a.roleID })),
            totalAssignments: membership.totalAssignments,
            totalParticipants: membership.totalParticipants,
          },
        }
      : {}),
    ...(opts.includeIncidentChannels ? { incidentChannels: incident.incidentChannels } : {}),
    version: incident.version,
  };
}
