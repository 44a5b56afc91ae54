import { Type } from 'typebox';
import { KEY_UPDATE_SCOPES } from '../../domain/incidents/key-updates.ts';
import { OneOf } from '../schemas.ts';
import { CONTENT_TYPES } from './content.ts';
import { Cursor } from './query.schema.ts';

const IncidentID = Type.String({ minLength: 1, maxLength: 64 });
const Id = Type.String({ minLength: 1, maxLength: 64 });
// Go sends '' for every unset enum.
const ContentType = OneOf([...CONTENT_TYPES, ''] as const);
const Scope = OneOf([...KEY_UPDATE_SCOPES, ''] as const);
const Nullable = (max: number) => Type.Optional(Type.Union([Type.String({ maxLength: max }), Type.Null()]));

const Fields = {
  incidentID: IncidentID,
  title: Nullable(256),
  content: Type.String({ maxLength: 65536 }),
  contentType: Type.Optional(ContentType),
  statusID: Type.Optional(Type.String({ maxLength: 64 })),
  severityID: Type.Optional(Type.String({ maxLength: 64 })),
  scope: Type.Optional(Scope),
  color: Nullable(16),
};

export const CreateKeyUpdateRequest = Type.Object(Fields);
export const UpdateKeyUpdateRequest = Type.Object({ ...Fields, id: Id });
export const KeyUpdateRef = Type.Object({ incidentID: IncidentID, id: Id, contentType: Type.Optional(ContentType) });
export const IncidentKeyUpdatesRequest = Type.Object({ incidentID: IncidentID, contentType: Type.Optional(ContentType) });
export const QueryKeyUpdatesRequest = Type.Object({
  query: Type.Object({
    incidentID: IncidentID,
    limit: Type.Optional(Type.Integer({ minimum: 0 })),
    orderDirection: Type.Optional(OneOf(['ASC', 'DESC', ''] as const)),
    orderField: Type.Optional(OneOf(['createdTime', 'modifiedTime', 'title', ''] as const)),
    scope: Type.Optional(Scope),
    contentType: Type.Optional(ContentType),
  }),
  cursor: Type.Optional(Cursor),
});
