import { Type } from 'typebox';
import { OneOf } from '../schemas.ts';

const IncidentID = Type.String({ minLength: 1, maxLength: 64 });
export const Status = OneOf(['active', 'resolved'] as const);
export const RoleName = Type.String({ minLength: 1, maxLength: 64 });
const Time = Type.String({ maxLength: 64 });
const Label = Type.Object({
  label: Type.String({ maxLength: 128 }),
  description: Type.Optional(Type.String({ maxLength: 1024 })),
  colorHex: Type.Optional(Type.String({ maxLength: 16 })),
  key: Type.Optional(Type.String({ maxLength: 128 })),
});

export const CreateIncidentRequest = Type.Object({
  title: Type.String({ maxLength: 1024 }),
  severity: Type.Optional(Type.String({ maxLength: 64 })),
  labels: Type.Optional(Type.Array(Label, { maxItems: 100 })),
  roomPrefix: Type.Optional(Type.String({ maxLength: 64 })),
  isDrill: Type.Optional(Type.Boolean()),
  status: Type.Optional(OneOf(['active', 'resolved', ''] as const)),
  attachCaption: Type.Optional(Type.String({ maxLength: 1024 })),
  attachURL: Type.Optional(Type.String({ maxLength: 2048 })),
  initialStatusUpdate: Type.Optional(Type.String({ maxLength: 65536 })),
  alertGroupID: Type.Optional(Type.String({ maxLength: 128 })),
});

export const IncidentRef = Type.Object({ incidentID: IncidentID });
export const UpdateTitleRequest = Type.Object({ incidentID: IncidentID, title: Type.String({ maxLength: 1024 }) });
export const UpdateStatusRequest = Type.Object({ incidentID: IncidentID, status: Status });
export const UpdateSeverityRequest = Type.Object({ incidentID: IncidentID, severity: Type.String({ minLength: 1, maxLength: 64 }) });
export const UpdateIsDrillRequest = Type.Object({ incidentID: IncidentID, isDrill: Type.Boolean() });
export const AddLabelRequest = Type.Object({ incidentID: IncidentID, label: Label });
/** `label` alone removes a plain label; with `key` a key:value label; `key` with `label: ""` every label of that key. */
export const RemoveLabelRequest = Type.Object({
  incidentID: IncidentID,
  label: Type.String({ maxLength: 128 }),
  key: Type.Optional(Type.String({ maxLength: 128 })),
});
export const EventTimeKind = OneOf(['incidentStart', 'incidentEnd'] as const);
const EventTimeKindOrEmpty = OneOf(['incidentStart', 'incidentEnd', ''] as const);
export const UpdateEventTimeRequest = Type.Object({
  incidentID: IncidentID,
  eventTime: Time,
  activityItemKind: Type.Optional(EventTimeKindOrEmpty),
  eventName: Type.Optional(EventTimeKindOrEmpty),
});
export const Empty = Type.Object({});
export const RoleRequest = Type.Object({ incidentID: IncidentID, userID: Type.String({ minLength: 1, maxLength: 128 }), role: RoleName });
