import { Type } from 'typebox';
import { Int4 } from '../schemas.ts';

// Clients send whole Role objects (incident-go with every zero value), so the read-only fields are accepted
// and ignored: roleID (on create), orgID, archived, createdAt, updatedAt.
// Roles, their sizes and severity levels are `integer` (int4) columns.
const RoleID = Int4({ minimum: 1 });
const roleFields = {
  orgID: Type.Optional(Type.String({ maxLength: 64 })),
  name: Type.String({ maxLength: 256 }),
  description: Type.Optional(Type.String({ maxLength: 4096 })),
  important: Type.Optional(Type.Boolean()),
  mandatory: Type.Optional(Type.Boolean()),
  maxPeople: Type.Optional(Int4({ minimum: 0 })),
  archived: Type.Optional(Type.Boolean()),
  createdAt: Type.Optional(Type.String({ maxLength: 64 })),
  updatedAt: Type.Optional(Type.String({ maxLength: 64 })),
};

export const Empty = Type.Object({});
export const CreateRoleRequest = Type.Object({ role: Type.Object({ ...roleFields, roleID: Type.Optional(Int4()) }) });
export const UpdateRoleRequest = Type.Object({ role: Type.Object({ ...roleFields, roleID: RoleID }) });
export const RoleRef = Type.Object({ roleID: RoleID });

const SeverityID = Type.String({ minLength: 1, maxLength: 64 });
const severityFields = {
  description: Type.Optional(Type.String({ maxLength: 4096 })),
  color: Type.Optional(Type.String({ maxLength: 16 })),
  orgID: Type.Optional(Type.String({ maxLength: 64 })),
  archived: Type.Optional(Type.Boolean()),
};
export const CreateSeverityRequest = Type.Object({
  ...severityFields,
  displayLabel: Type.String({ maxLength: 256 }),
  level: Int4(),
});
export const UpdateSeverityRequest = Type.Object({
  ...severityFields,
  severityID: SeverityID,
  displayLabel: Type.Optional(Type.String({ maxLength: 256 })),
  level: Type.Optional(Int4()),
});
export const SeverityRef = Type.Object({ severityID: SeverityID });

export const CreateOutgoingWebhookRequest = Type.Object({
  url: Type.String({ minLength: 1, maxLength: 2048 }),
  events: Type.Optional(Type.Array(Type.String({ maxLength: 128 }), { maxItems: 32 })),
});
export const OutgoingWebhookRef = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
