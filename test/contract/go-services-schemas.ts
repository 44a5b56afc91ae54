// Response shapes of the 39 incident-go methods beyond the documented set, written from
// shared/notes/grafana-incident-go-services.md §2/§3 (incident-go d3474be). Go decodes leniently and sends no
// schema of its own, so these check what Muster promises: every field of the type present with its wire type
// (Go would decode a wrong type as an error), `T?` fields nullable, enums as the note lists them.
import { Type, type TSchema } from 'typebox';

const S = Type.String();
const I = Type.Integer();
const B = Type.Boolean();
const nullable = (t: TSchema) => Type.Union([t, Type.Null()]);
const oneOf = (values: string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Obj = (props: Record<string, TSchema>) => Type.Object(props);
const Empty = Obj({});
const Cursor = Obj({ nextValue: S, hasMore: B });

const UserPreview = Obj({ userID: S, name: S, photoURL: S });
const KeyValueLabel = Obj({ key: S, keyUUID: S, valueUUID: S, value: S, description: S, colorHex: S });
const IncidentChannel = Obj({ provider: S, channelID: S, teamID: S });
const SelectOption = Obj({ uuid: S, value: S, label: S, color: S, icon: S, description: S, source: S, externalID: S });
const Field = Obj({
  uuid: S, name: S, slug: S, color: S, icon: S, description: S,
  type: oneOf(['string', 'single-select', 'multi-select', 'bool', 'number', 'date']),
  required: B, immutable: B, domainName: oneOf(['labels', 'incident']), selectoptions: Type.Array(SelectOption),
  source: S, externalID: S, archived: B, version: I,
});
const EVENT_NAMES = ['incidentCreated', 'incidentDeleted', 'incidentUpdated', 'incidentClosed', 'manuallyTriggered', 'incidentFilter'];
const RUN_STATUS = oneOf(['todo', 'success', 'failed']);
const Hook = Obj({ hookID: S, name: S, description: S });
const EnabledHook = Obj({ integrationID: S, enabledHookID: S, eventName: oneOf(EVENT_NAMES), hook: Hook, incidentFilter: S, sensitive: B });
const HookRun = Obj({
  integrationID: S, hookID: S, enabledHookID: S, lastRun: S, lastUpdate: S,
  metadata: Obj({ title: S, explanation: S, url: S }),
  eventName: oneOf(EVENT_NAMES), eventKind: S, status: RUN_STATUS, updateStatus: RUN_STATUS, updateError: S,
});
const KeyUpdate = Obj({
  id: S, orgID: S, incidentID: S, title: nullable(S), content: S,
  contentType: oneOf(['text/plain', 'application/x-lexical-editor', 'text/markdown+slack', 'text/markdown+msteams']),
  createdTime: S, modifiedTime: S, createdBy: UserPreview, lastModifiedBy: UserPreview, statusID: S, severityID: S,
  scope: oneOf(['internal', 'public', 'private']), color: nullable(S),
});
const KeyUpdatesQuery = Obj({ incidentID: S, limit: I, orderDirection: oneOf(['ASC', 'DESC']), orderField: oneOf(['createdTime', 'modifiedTime', 'title']), scope: S, contentType: S });
const Status = Obj({
  statusID: S, name: S, description: S, incidentType: oneOf(['internal', 'private']), category: oneOf(['active', 'resolved']),
  kind: oneOf(['active', 'resolved']), color: S, icon: S, slug: S, position: I, archivedTime: S, immutable: B, createdTime: S, modifiedTime: S,
});
const User = Obj({
  userID: S, internalUserID: S, email: S, modifiedTime: S, name: S, photoURL: S, grafanaUserID: S, grafanaLogin: S,
  slackUserID: S, slackTeamID: S, msTeamsUserID: S,
});
const ActivityItem = Obj({ activityItemID: S, incidentID: S, relevance: oneOf(['archive', 'low', 'normal', 'high']) });

const labels = Obj({ labels: Type.Array(KeyValueLabel) });
const field = Obj({ field: Field });

/** Method → response schema (without `error`, checked separately). */
export const GO_SERVICES: Record<string, TSchema> = {
  'ActivityService.UpdateActivityRelevance': Obj({ activityItem: ActivityItem }),
  'IncidentsService.AssignLabel': labels,
  'IncidentsService.AssignLabelByUUID': labels,
  'IncidentsService.UnassignLabel': labels,
  'IncidentsService.UnassignLabelByUUID': labels,
  'IncidentsService.GetLabels': labels,
  'IncidentsService.GetIncidentChannels': Obj({ incidentChannels: Type.Array(IncidentChannel) }),
  'FieldsService.AddField': field,
  'FieldsService.AddFieldSelectOption': Obj({ fieldSelectOptionUUID: S }),
  'FieldsService.AddLabelKey': field,
  'FieldsService.AddLabelValue': field,
  'FieldsService.ArchiveField': Empty,
  'FieldsService.UnarchiveField': Empty,
  'FieldsService.DeleteField': Empty,
  'FieldsService.DeleteFieldSelectOption': Empty,
  'FieldsService.GetField': field,
  'FieldsService.GetFields': Obj({ fields: Type.Array(Field) }),
  'FieldsService.GetFieldValues': Obj({ fieldValues: Type.Array(Obj({ field: Field, value: S })) }),
  'FieldsService.RecordFieldValue': Empty,
  'FieldsService.UpdateField': field,
  'FieldsService.UpdateFieldSelectOption': Empty,
  'IntegrationService.CreateIncidentSlackChannel': Obj({ channelID: S, channelName: S }),
  'IntegrationService.EnableHook': Obj({ enabledHookID: S }),
  'IntegrationService.DisableHook': Empty,
  'IntegrationService.GetEnabledHooks': Obj({ enabledHooks: Type.Array(EnabledHook) }),
  'IntegrationService.GetHookRuns': Obj({ hookRuns: Type.Array(HookRun) }),
  'KeyUpdatesService.CreateKeyUpdate': Obj({ keyUpdate: KeyUpdate }),
  'KeyUpdatesService.UpdateKeyUpdate': Obj({ keyUpdate: KeyUpdate }),
  'KeyUpdatesService.DeleteKeyUpdate': Empty,
  'KeyUpdatesService.GetKeyUpdate': Obj({ keyUpdate: KeyUpdate }),
  'KeyUpdatesService.GetInitialKeyUpdate': Obj({ keyUpdate: nullable(KeyUpdate) }),
  'KeyUpdatesService.GetLastKeyUpdate': Obj({ keyUpdate: nullable(KeyUpdate), keyUpdateCount: I }),
  'KeyUpdatesService.QueryKeyUpdates': Obj({ keyUpdates: Type.Array(KeyUpdate), query: KeyUpdatesQuery, cursor: Cursor }),
  'StatusService.CreateOrgStatus': Obj({ status: Status }),
  'StatusService.UpdateOrgStatus': Obj({ status: Status }),
  'StatusService.GetStatusByID': Obj({ status: Status }),
  'StatusService.QueryOrgStatuses': Obj({ configurations: Type.Array(Obj({ statuses: Type.Array(Status), incidentType: oneOf(['internal', 'private']), default: B })) }),
  'UsersService.GetUser': Obj({ user: User }),
  'UsersService.QueryUsers': Obj({ users: Type.Array(User), query: Obj({ limit: I }), cursor: Cursor }),
};

/** Methods that answer only errors here, each with the reason (issue 14: never a fake success). */
export const REFUSED: Record<string, RegExp> = {
  'IntegrationService.CreateIncidentSlackChannel': /no Slack integration/,
};
