import { Type } from 'typebox';
import { INCIDENT_TYPES, STATUS_CATEGORIES, STATUS_ICONS } from '../../domain/statuses.ts';
import { OneOf } from '../schemas.ts';

// Go sends '' for an unset enum; `category` has no default.
const Fields = {
  incidentType: Type.Optional(OneOf([...INCIDENT_TYPES, ''] as const)),
  name: Type.String({ maxLength: 64 }),
  description: Type.Optional(Type.String({ maxLength: 1024 })),
  category: OneOf(STATUS_CATEGORIES),
  color: Type.Optional(Type.String({ maxLength: 16 })),
  icon: Type.Optional(OneOf([...STATUS_ICONS, ''] as const)),
};
export const CreateOrgStatusRequest = Type.Object(Fields);
export const UpdateOrgStatusRequest = Type.Object({ statusID: Type.String({ minLength: 1, maxLength: 64 }), ...Fields });
export const StatusRef = Type.Object({ statusID: Type.String({ minLength: 1, maxLength: 64 }) });
export const QueryOrgStatusesRequest = Type.Object({ incidentType: Type.Optional(OneOf([...INCIDENT_TYPES, ''] as const)) });
