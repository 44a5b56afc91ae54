import { Type } from 'typebox';
import { ORDER_FIELDS } from '../../domain/query/order.ts';
import { OneOf } from '../schemas.ts';

const Status = OneOf(['active', 'resolved'] as const);
// incident-go sends zero values: '' for an unset enum, 0 for an unset limit.
const Direction = OneOf(['ASC', 'DESC', ''] as const);
const OrderField = OneOf([...ORDER_FIELDS, ''] as const);
const Limit = Type.Integer({ minimum: 0 });
const QueryString = Type.String({ maxLength: 4096 });
const Time = Type.String({ maxLength: 64 });

export const Cursor = Type.Object({
  nextValue: Type.Optional(Type.String({ maxLength: 2048 })),
  hasMore: Type.Optional(Type.Boolean()),
});

export const IncidentsQuery = Type.Object({
  limit: Type.Optional(Limit),
  includeStatuses: Type.Optional(Type.Array(Status, { maxItems: 10 })),
  excludeStatuses: Type.Optional(Type.Array(Status, { maxItems: 10 })),
  incidentLabels: Type.Optional(Type.Array(Type.String({ maxLength: 128 }), { maxItems: 100 })),
  dateFrom: Type.Optional(Time),
  dateTo: Type.Optional(Time),
  onlyDrills: Type.Optional(Type.Boolean()),
  orderDirection: Type.Optional(Direction),
  severity: Type.Optional(Type.String({ maxLength: 64 })),
  queryString: Type.Optional(QueryString),
});

export const IncidentPreviewsQuery = Type.Object({
  limit: Type.Optional(Limit),
  orderDirection: Type.Optional(Direction),
  orderField: Type.Optional(OrderField),
  queryString: Type.Optional(QueryString),
});

export const QueryIncidentsRequest = Type.Object({
  query: Type.Optional(IncidentsQuery),
  cursor: Type.Optional(Cursor),
});

export const QueryIncidentPreviewsRequest = Type.Object({
  query: Type.Optional(IncidentPreviewsQuery),
  cursor: Type.Optional(Cursor),
  includeCustomFieldValues: Type.Optional(Type.Boolean()),
  includeMembershipPreview: Type.Optional(Type.Boolean()),
  includeIncidentChannels: Type.Optional(Type.Boolean()),
});
