// Response shapes that incident-node validates with zod, written from shared/notes/grafana-incident-api.md
// §3/§5/§6 for two versions: 1.30.2 (the documented API: `roles[]`, severity enum) and 1.33.1 (custom
// severities, `incidentMembership` with `Assignment.roleID`). zod objects strip unknown keys, so extra fields
// are allowed; every listed field is required unless marked nullish; enums also accept ''.
import { Type, type TSchema } from 'typebox';

const S = Type.String();
const N = Type.Number();
const B = Type.Boolean();
const nullish = (t: TSchema) => Type.Optional(Type.Union([t, Type.Null()]));
const oneOf = (values: string[]) => Type.Union([...values, ''].map((v) => Type.Literal(v)));

const ACTIVITY_KINDS = [
  'incidentUpdated', 'incidentTitleChanged', 'incidentStatusChanged', 'incidentSeverityChanged', 'incidentCreated',
  'incidentDeleted', 'incidentClosed', 'roleAssigned', 'roleUnassigned', 'actionRun', 'userNote', 'dataQuery',
  'hookRunMetadata', 'taskAdded', 'taskUpdated', 'taskCompleted', 'taskDeleted', 'messageReaction', 'contextAttached',
  'incidentIsDrillChanged', 'incidentStart', 'incidentEnd', 'incidentSummary', 'labelAdded', 'labelRemoved', 'siftResult',
];

const UserPreview = Type.Object({ userID: S, name: S, photoURL: S });
const IncidentLabel = Type.Object({ label: S, description: S, colorHex: S });
const Task = Type.Object({
  taskID: S,
  immutable: B,
  createdTime: S,
  modifiedTime: S,
  text: S,
  status: oneOf(['todo', 'progress', 'done']),
  authorUser: nullish(UserPreview),
  assignedUser: nullish(UserPreview),
});
const TaskList = Type.Object({ tasks: Type.Array(Task), todoCount: N, doneCount: N });
const Cursor = Type.Object({ nextValue: S, hasMore: B });
const Direction = oneOf(['ASC', 'DESC']);
const Attachment = Type.Object({}); // items are never emitted yet; the array itself is required (node ≥ 1.20)
const ActivityItem = Type.Object({
  activityItemID: S,
  incidentID: S,
  user: UserPreview,
  subjectUser: UserPreview,
  createdTime: S,
  eventTime: S,
  activityKind: oneOf(ACTIVITY_KINDS),
  body: S,
  url: S,
  tags: Type.Array(oneOf(['important', 'starred'])),
  immutable: B,
  fieldValues: Type.Object({}),
  attachments: Type.Array(Attachment),
});
const ActivityQuery = Type.Object({
  incidentID: S,
  limit: N,
  tag: Type.Optional(S),
  orderDirection: Direction,
  activityKind: Type.Optional(Type.Array(S)),
});
const Role = Type.Object({
  roleID: nullish(N),
  orgID: S,
  name: S,
  description: nullish(S),
  important: B,
  mandatory: B,
  archived: B,
  createdAt: S,
  updatedAt: nullish(S),
});
const IncidentRole = Type.Object({
  role: oneOf(['commander', 'investigator', 'observer']),
  description: S,
  maxPeople: N,
  mandatory: B,
  important: B,
  user: UserPreview,
});
const Assignment133 = Type.Object({ user: UserPreview, role: Role, roleID: N });
const Membership133 = Type.Object({ assignments: Type.Array(Assignment133), totalAssignments: N, totalParticipants: N });

const incidentCommon = {
  incidentID: S,
  labels: Type.Array(IncidentLabel),
  isDrill: B,
  createdTime: S,
  modifiedTime: S,
  createdByUser: UserPreview,
  closedTime: S,
  durationSeconds: N,
  status: oneOf(['active', 'resolved']),
  title: S,
  overviewURL: S,
  taskList: TaskList,
  summary: S,
  heroImagePath: S,
  incidentStart: S,
  incidentEnd: S,
};

export interface ClientSchemas {
  version: string;
  Incident: TSchema;
  responses: Record<string, TSchema>;
}

function responses(Incident: TSchema, extra: Record<string, TSchema>): Record<string, TSchema> {
  const withIncident = Type.Object({ incident: Incident, error: Type.Optional(S) });
  const withRoleChange = Type.Object({ incident: Incident, didChange: B, error: Type.Optional(S) });
  const withItem = Type.Object({ activityItem: ActivityItem, error: Type.Optional(S) });
  const withTask = Type.Object({ incidentID: S, task: Task, taskList: TaskList, error: Type.Optional(S) });
  const IncidentsQuery = Type.Object({ limit: N, orderDirection: Direction });
  return {
    'ActivityService.AddActivity': withItem,
    'ActivityService.QueryActivity': Type.Object({ activityItems: Type.Array(ActivityItem), query: ActivityQuery, cursor: Cursor }),
    'ActivityService.RemoveActivity': withItem,
    'ActivityService.UpdateActivityBody': withItem,
    'ActivityService.UpdateActivityEventTime': withItem,
    'IncidentsService.AddLabel': withIncident,
    'IncidentsService.AssignRole': withRoleChange,
    'IncidentsService.CreateIncident': withIncident,
    'IncidentsService.GetIncident': withIncident,
    'IncidentsService.QueryIncidents': Type.Object({ incidents: Type.Array(Incident), query: IncidentsQuery, cursor: Cursor }),
    'IncidentsService.RemoveLabel': withIncident,
    'IncidentsService.UnassignRole': withRoleChange,
    'IncidentsService.UpdateIncidentEventTime': Type.Object({ error: Type.Optional(S) }),
    'IncidentsService.UpdateIncidentIsDrill': withIncident,
    'IncidentsService.UpdateSeverity': withIncident,
    'IncidentsService.UpdateStatus': withIncident,
    'IncidentsService.UpdateTitle': withIncident,
    'TasksService.AddTask': withTask,
    'TasksService.DeleteTask': Type.Object({ incidentID: S, taskList: TaskList, error: Type.Optional(S) }),
    'TasksService.UpdateTaskStatus': withTask,
    'TasksService.UpdateTaskText': withTask,
    'TasksService.UpdateTaskUser': withTask,
    ...extra,
  };
}

/** incident-node 1.30.2: the documented API. severity is an enum; `roles[]` is required. */
export const node1302: ClientSchemas = (() => {
  const Incident = Type.Object({
    ...incidentCommon,
    severity: oneOf(['pending', 'minor', 'major', 'critical']),
    roles: Type.Array(IncidentRole),
    incidentMembership: nullish(Type.Object({})),
  });
  return {
    version: '1.30.2',
    Incident,
    responses: responses(Incident, {
      'RolesService.GetRoles': Type.Object({ roles: Type.Array(Role) }),
      'IncidentsService.GetIncidentVersion': Type.Object({ version: N }),
      'IncidentsService.GetHomescreenVersion': Type.Object({ version: N }),
    }),
  };
})();

/** incident-node 1.33.1: custom severities (a free string), membership with Assignment.roleID, previews. */
export const node1331: ClientSchemas = (() => {
  const Incident = Type.Object({ ...incidentCommon, severity: S, incidentMembership: nullish(Membership133) });
  const Preview = Type.Object({
    incidentID: S,
    severityID: S,
    severityLabel: S,
    incidentType: oneOf(['internal', 'private']),
    labels: Type.Array(IncidentLabel),
    isDrill: B,
    createdTime: S,
    modifiedTime: S,
    closedTime: S,
    createdByUser: UserPreview,
    title: S,
    description: S,
    summary: S,
    heroImagePath: S,
    status: S,
    slug: S,
    incidentStart: S,
    incidentEnd: S,
    version: N,
  });
  const PreviewsQuery = Type.Object({ limit: N, orderDirection: Type.Optional(Direction), orderField: Type.Optional(S), queryString: Type.Optional(S) });
  return {
    version: '1.33.1',
    Incident,
    responses: responses(Incident, {
      'IncidentsService.QueryIncidentPreviews': Type.Object({ incidentPreviews: Type.Array(Preview), query: PreviewsQuery, cursor: Cursor }),
      'IncidentsService.GetIncidentMembership': Type.Object({ assignments: Type.Array(Assignment133) }),
      'RolesService.GetRoles': Type.Object({ roles: Type.Array(Role) }),
      'RolesService.CreateRole': Type.Object({ role: Role }),
      'RolesService.UpdateRole': Type.Object({ role: Role }),
      'RolesService.DeleteRole': Type.Object({}),
      'RolesService.ArchiveRole': Type.Object({}),
      'RolesService.UnarchiveRole': Type.Object({}),
    }),
  };
})();
