import { Type, type Static } from 'typebox';
import { INTEGRATION_KINDS } from '../../domain/intake/integrations.ts';
import { Id } from '../schemas.ts';

export const IntegrationBody = Type.Object(
  {
    kind: Type.Union(INTEGRATION_KINDS.map((k) => Type.Literal(k))),
    name: Type.String({ minLength: 1, maxLength: 128 }),
    team_id: Id,
    playbook_id: Type.Optional(Type.Union([Id, Type.Literal('')])),
    auto_resolve: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type IntegrationBody = Static<typeof IntegrationBody>;

export const IntakeParams = Type.Object({ secret: Type.String({ minLength: 1, maxLength: 200 }) });
