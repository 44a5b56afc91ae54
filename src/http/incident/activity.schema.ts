import { Type } from 'typebox';
import { OneOf } from '../schemas.ts';
import { MAX_ACTIVITY_LIMIT, MAX_NOTE_LENGTH, RELEVANCES } from '../../domain/incidents/activity.ts';

const IncidentID = Type.String({ minLength: 1, maxLength: 64 });
const ActivityItemID = Type.String({ minLength: 1, maxLength: 64 });
const Time = Type.String({ maxLength: 64 });
const Body = Type.String({ maxLength: MAX_NOTE_LENGTH });

/** Every documented ActivityItem.activityKind (notes §6). */
export const ACTIVITY_KINDS = [
  'incidentUpdated',
  'incidentTitleChanged',
  'incidentStatusChanged',
  'incidentSeverityChanged',
  'incidentCreated',
  'incidentDeleted',
  'incidentClosed',
  'roleAssigned',
  'roleUnassigned',
  'actionRun',
  'userNote',
  'dataQuery',
  'hookRunMetadata',
  'taskAdded',
  'taskUpdated',
  'taskCompleted',
  'taskDeleted',
  'messageReaction',
  'contextAttached',
  'incidentIsDrillChanged',
  'incidentStart',
  'incidentEnd',
  'incidentSummary',
  'labelAdded',
  'labelRemoved',
  'siftResult',
] as const;

export const AddActivityRequest = Type.Object({
  incidentID: IncidentID,
  // Checked by the handler, so that the error can say which kinds may be added.
  activityKind: Type.String({ maxLength: 64 }),
  body: Body,
  eventTime: Type.Optional(Time),
  fieldValues: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

export const ActivityQuery = Type.Object({
  incidentID: IncidentID,
  limit: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_ACTIVITY_LIMIT })),
  tag: Type.Optional(Type.Enum(['important', 'starred', ''])),
  orderDirection: Type.Optional(Type.Enum(['ASC', 'DESC', ''])),
  activityKind: Type.Optional(Type.Array(Type.Enum([...ACTIVITY_KINDS]), { maxItems: 64 })),
});

export const Cursor = Type.Object({
  nextValue: Type.Optional(Type.String({ maxLength: 256 })),
  hasMore: Type.Optional(Type.Boolean()),
});

export const QueryActivityRequest = Type.Object({
  query: ActivityQuery,
  cursor: Type.Optional(Cursor),
});

export const ActivityItemRef = Type.Object({ incidentID: IncidentID, activityItemID: ActivityItemID });

export const UpdateActivityBodyRequest = Type.Object({ incidentID: IncidentID, activityItemID: ActivityItemID, body: Body });

export const UpdateActivityEventTimeRequest = Type.Object({ incidentID: IncidentID, activityItemID: ActivityItemID, eventTime: Type.Optional(Time) });

export const UpdateActivityRelevanceRequest = Type.Object({
  incidentID: IncidentID,
  activityItemID: ActivityItemID,
  relevance: OneOf(RELEVANCES),
});
