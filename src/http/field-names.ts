import type { FastifyRequest } from 'fastify';
import { isRpcPath, type FieldNaming } from './errors.ts';

// The one place each facade names the domain's input fields (an `InputError`'s `field`). A name not listed
// is the same on the wire as in the domain.

/** The Grafana Incident RPC: lowerCamel with Go's initialisms, as the clients send them. */
const RPC: Record<string, string> = {
  name: 'title',
  task: 'taskID',
  task_text: 'text',
  assignee: 'userID',
  activity_item: 'activityItemID',
  note: 'body',
  user: 'userID',
  event_time: 'eventTime',
  cursor: 'cursor.nextValue',
  label: 'label.label',
  label_color: 'label.colorHex',
  field_id: 'fieldUUID',
  option_id: 'selectOptionUUID',
  label_key_id: 'keyUUID',
  label_value_id: 'valueUUID',
  status_id: 'statusID',
  severity_id: 'severityID',
  severity_label: 'displayLabel',
  role_id: 'roleID',
  incident_id: 'incidentID',
  incident_type: 'incidentType',
  limit: 'query.limit',
  role_name: 'role.name',
  role_description: 'role.description',
  role_max_people: 'role.maxPeople',
  hook_id: 'hookID',
  hook_event: 'eventName',
  hook_config: 'hookConfig.fields',
  field_value: 'value',
};

/** What the RPC calls the domain's actions an error suggests instead (InputError.hint). */
const RPC_HINTS: Record<string, string> = {
  assign_label: 'use IncidentsService.AssignLabel',
  list_statuses: 'StatusService.QueryOrgStatuses lists them',
  list_severities: 'SeveritiesService.GetOrgSeverities lists them',
};

/** Methods whose request names a field unlike the rest of the RPC. */
const RPC_BY_METHOD: Record<string, Record<string, string>> = {
  'TasksService.AddTask': { assignee: 'assignToUserID' },
  'IncidentsService.RemoveLabel': { label: 'label' },
};

/** The Playbooks REST API and the Mattermost slice: snake_case body fields. */
const PLAYBOOKS: Record<string, string> = {
  user: 'user_id',
  assignee: 'assignee_id',
  label: 'labels',
  label_color: 'labels',
};

/** Grafana's incoming webhook declares from URL parameters. */
const INCOMING_WEBHOOK: Record<string, string> = { name: 'title' };

function naming(where: FieldNaming['where'], tables: Array<Record<string, string> | undefined>, hints: Record<string, string> = {}): FieldNaming {
  return {
    where,
    name: (field) => tables.reduce<string | undefined>((found, table) => found ?? table?.[field], undefined) ?? field,
    hint: (action) => hints[action],
  };
}

/** The RPC method a request calls (`IncidentsService.CreateIncident`), as rpc.ts resolves it. */
function rpcMethodOf(request: FastifyRequest): string {
  const method = String((request.params as { method?: unknown } | undefined)?.method ?? '');
  return method.startsWith('v1') ? method.slice(2) : method;
}

/** The naming of the facade a request came through. */
export function fieldNamingOf(request: FastifyRequest): FieldNaming {
  if (request.url.includes('/incoming-webhook')) return naming('query parameter', [INCOMING_WEBHOOK]);
  if (isRpcPath(request.url)) return naming('field', [RPC_BY_METHOD[rpcMethodOf(request)], RPC], RPC_HINTS);
  return naming('field', [PLAYBOOKS]);
}
