import { relevanceOf } from '../../domain/incidents/activity.ts';
import type { IncidentDetail, ItemRow, TimelineEventRow } from '../../domain/incidents/types.ts';
import type { RoleAssignment, RoleRow } from '../../domain/incidents/roles.ts';
import type { UserRow } from '../../domain/store-types.ts';

/** Everything the RPC presenters look up besides the incident itself. */
export interface RpcLookups {
  users: Map<string, UserRow>;
  roles: Map<number, RoleRow>;
  assignments: Map<string, RoleAssignment[]>;
  severityIds: Map<string, string>;
  /** Severity label → level; with `legacySeverity` the Incident's `severity` is the nearest built-in one. */
  severityLevels?: Map<string, number> | undefined;
  legacySeverity?: boolean | undefined;
  now: number;
}

/** RFC 3339, second precision unless the time has milliseconds; '' for unset. */
export function rfc3339(ms: number): string {
  if (!ms) return '';
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

export const USER_ID_PREFIX = 'grafana-incident:';

export function presentUser(lookups: RpcLookups, userId: string) {
  const user = userId ? lookups.users.get(userId) : undefined;
  if (!user) return { userID: userId ? `${USER_ID_PREFIX}${userId}` : '', name: '', photoURL: '' };
  const fullName = [user.first_name, user.last_name].filter(Boolean).join(' ');
  return { userID: `${USER_ID_PREFIX}${user.id}`, name: fullName || user.username, photoURL: '' };
}

/** `grafana-incident:<id>` (or a bare id) → the user id; undefined when it is not that form. */
export function parseUserId(value: string): string {
  return value.startsWith(USER_ID_PREFIX) ? value.slice(USER_ID_PREFIX.length) : value;
}

const TASK_STATUS = { '': 'todo', in_progress: 'progress', closed: 'done', skipped: 'done' } as const;
export type TaskStatus = 'todo' | 'progress' | 'done';
export const ITEM_STATE: Record<TaskStatus, '' | 'in_progress' | 'closed'> = { todo: '', progress: 'in_progress', done: 'closed' };

export function presentTask(lookups: RpcLookups, item: ItemRow) {
  return {
    taskID: item.id,
    immutable: item.system_key !== '',
    createdTime: rfc3339(item.create_at),
    modifiedTime: rfc3339(item.update_at),
    text: item.title,
    status: TASK_STATUS[item.state],
    authorUser: item.author_user_id ? presentUser(lookups, item.author_user_id) : null,
    assignedUser: item.assignee_id ? presentUser(lookups, item.assignee_id) : null,
  };
}

export function presentTaskList(lookups: RpcLookups, detail: IncidentDetail) {
  const tasks = detail.checklists.flatMap((list) => list.items).map((item) => presentTask(lookups, item));
  const doneCount = tasks.filter((t) => t.status === 'done').length;
  return { tasks, todoCount: tasks.length - doneCount, doneCount };
}

export function presentRole(role: RoleRow) {
  return {
    roleID: role.id,
    orgID: '1',
    name: role.name,
    description: role.description,
    important: role.important,
    mandatory: role.mandatory,
    archived: role.archived,
    createdAt: rfc3339(role.created_at) || '1970-01-01T00:00:00Z',
    updatedAt: rfc3339(role.updated_at) || '1970-01-01T00:00:00Z',
  };
}

const DOCUMENTED_ROLES = new Set(['commander', 'investigator', 'observer']);

function presentMembership(lookups: RpcLookups, detail: IncidentDetail) {
  const assignments = (lookups.assignments.get(detail.incident.id) ?? []).flatMap((a) => {
    const role = lookups.roles.get(a.role_id);
    return role ? [{ user: presentUser(lookups, a.user_id), role: presentRole(role), roleID: role.id }] : [];
  });
  const people = new Set([...assignments.map((a) => a.user.userID), ...detail.participantIds.map((id) => `${USER_ID_PREFIX}${id}`)]);
  return { assignments, totalAssignments: assignments.length, totalParticipants: people.size };
}

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64) || 'incident';
}

/**
 * Two presentations of one incident detail differ only when this differs: the running duration is the
 * one part that depends on the clock (whole seconds, and only while the incident has no end).
 */
export function incidentRenderKey(detail: IncidentDetail, now: number): number {
  return endOf(detail.incident) ? -1 : durationSeconds(detail.incident, now);
}

// One rule for the times (docs/INCIDENT-GO.md, "Incident times"): closedTime is when the incident was
// resolved (the run's end_at), "" while it is active; incidentStart is the edited start, else the
// declaration; incidentEnd the edited end, else closedTime; durationSeconds runs from incidentStart to
// incidentEnd, or to now while there is no end. Reopening clears closedTime and the edited end.

/** When the incident was resolved (0 while active). */
function closedAt(incident: IncidentDetail['incident']): number {
  return incident.status === 'resolved' ? incident.end_at : 0;
}

function startOf(incident: IncidentDetail['incident']): number {
  return incident.incident_start || incident.create_at;
}

function endOf(incident: IncidentDetail['incident']): number {
  return incident.incident_end || closedAt(incident);
}

/** Whole seconds from incidentStart to incidentEnd, or to `now` while the incident has no end. */
function durationSeconds(incident: IncidentDetail['incident'], now: number): number {
  return Math.max(0, Math.floor(((endOf(incident) || now) - startOf(incident)) / 1000));
}

/** The built-in severities by level (critical 1 is the most severe; 0 is pending, "not decided"). */
const BUILT_IN_LEVELS: Array<[number, string]> = [
  [1, 'critical'],
  [2, 'major'],
  [3, 'minor'],
];

/**
 * The Incident's `severity`: the label, or with MUSTER_RPC_LEGACY_SEVERITY the built-in severity of the
 * nearest level (ties go to the more severe; levels past minor's are minor), so node <= 1.31's closed enum
 * accepts it. severityID and severityLabel keep the custom one.
 */
function wireSeverity(lookups: RpcLookups, label: string): string {
  if (!lookups.legacySeverity || BUILT_IN_LEVELS.some(([, name]) => name === label) || label === 'pending') return label;
  const level = lookups.severityLevels?.get(label);
  if (level === undefined || level <= 0) return 'pending';
  let nearest = BUILT_IN_LEVELS[0]!;
  for (const candidate of BUILT_IN_LEVELS) if (Math.abs(candidate[0] - level) < Math.abs(nearest[0] - level)) nearest = candidate;
  return nearest[1];
}

/**
 * An Incident in the superset shape every incident-node version (0.1.3–1.33.1) and incident-go accept:
 * both `severity` and `severityID`, the documented `roles[]` and the newer `incidentMembership`, no nulls
 * where a list or object is required, '' for unset times.
 */
export function presentIncident(lookups: RpcLookups, detail: IncidentDetail) {
  const incident = detail.incident;
  const severity = incident.severity || 'pending';
  const membership = presentMembership(lookups, detail);
  return {
    incidentID: incident.id,
    severity: wireSeverity(lookups, severity),
    severityID: lookups.severityIds.get(severity) ?? severity,
    severityLabel: severity,
    labels: detail.labels.map((l) => ({ label: l.label, description: l.description, colorHex: l.color_hex, key: l.key })),
    isDrill: incident.is_drill,
    createdTime: rfc3339(incident.create_at),
    modifiedTime: rfc3339(incident.modified_at),
    createdByUser: presentUser(lookups, incident.reporter_user_id),
    closedTime: rfc3339(closedAt(incident)),
    durationSeconds: durationSeconds(incident, lookups.now),
    status: incident.status,
    title: incident.name,
    overviewURL: `/a/grafana-incident-app/incidents/${incident.id}/${slug(incident.name)}`,
    roles: membership.assignments
      .filter((a) => DOCUMENTED_ROLES.has(a.role.name))
      .map((a) => {
        const role = lookups.roles.get(a.roleID)!;
        return {
          role: role.name,
          description: role.description,
          maxPeople: role.max_people,
          mandatory: role.mandatory,
          important: role.important,
          user: a.user,
        };
      }),
    incidentMembership: membership,
    taskList: presentTaskList(lookups, detail),
    summary: incident.summary,
    heroImagePath: `/api/hero-images/${incident.id}.png`,
    incidentStart: rfc3339(startOf(incident)),
    incidentEnd: rfc3339(endOf(incident)),
    refs: [],
    incidentType: 'internal',
    incidentChannels: presentIncidentChannels(incident),
    // Not in Go's Incident (clients ignore it); the slim CustomMetadataFieldValue of IncidentPreview.
    fieldValues: detail.fieldValues.map((v) => ({ fieldUUID: v.field_id, value: v.value })),
    version: incident.version,
  };
}

/** IncidentChannel[]: the run's war-room channel (broadcast channels are announcement targets, not the room). */
export function presentIncidentChannels(incident: { channel_id: string; team_id: string }) {
  return [{ provider: 'muster', channelID: incident.channel_id, teamID: incident.team_id }];
}

/** Domain event type → Grafana activity kind. */
export function activityKind(event: TimelineEventRow): string {
  switch (event.event_type) {
    case 'incident_created':
      return 'incidentCreated';
    case 'user_note':
    case 'event_from_post':
    case 'status_updated':
      return 'userNote';
    case 'run_finished':
      return 'incidentClosed';
    case 'run_restored':
      return 'incidentStatusChanged';
    case 'title_changed':
      return 'incidentTitleChanged';
    case 'summary_changed':
      return 'incidentSummary';
    case 'severity_changed':
      return 'incidentSeverityChanged';
    case 'owner_changed':
      // Removing the commander leaves the incident without an owner.
      return event.details.includes('"to":""') ? 'roleUnassigned' : 'roleAssigned';
    case 'role_assigned':
      return 'roleAssigned';
    case 'role_unassigned':
      return 'roleUnassigned';
    case 'task_added':
      return 'taskAdded';
    case 'task_deleted':
      return 'taskDeleted';
    case 'task_state_modified':
      return event.details.includes('"new_state":"closed"') ? 'taskCompleted' : 'taskUpdated';
    case 'task_updated':
    case 'assignee_changed':
      return 'taskUpdated';
    case 'label_added':
      return 'labelAdded';
    case 'label_removed':
      return 'labelRemoved';
    case 'drill_changed':
      return 'incidentIsDrillChanged';
    case 'event_time_changed':
      return event.details.includes('incidentEnd') ? 'incidentEnd' : 'incidentStart';
    case 'ran_slash_command':
      return 'actionRun';
    case 'context_attached':
      return 'contextAttached';
    default:
      return 'incidentUpdated';
  }
}

export function presentActivityItem(lookups: RpcLookups, event: TimelineEventRow) {
  return {
    activityItemID: event.id,
    incidentID: event.incident_id,
    user: presentUser(lookups, event.creator_user_id),
    subjectUser: presentUser(lookups, event.subject_user_id),
    createdTime: rfc3339(event.create_at),
    eventTime: rfc3339(event.event_at),
    activityKind: activityKind(event),
    body: event.summary,
    url: event.url,
    tags: event.tags,
    immutable: event.event_type !== 'user_note' && event.event_type !== 'event_from_post',
    fieldValues: {},
    attachments: [],
    relevance: relevanceOf(event),
  };
}
