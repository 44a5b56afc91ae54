import { Type, type Static } from 'typebox';
import { Id, Index, OneOf, OptionalId } from '../schemas.ts';

/** /runs/{id}/checklists/{checklist}/item/{item}/run */
export const RunItemParams = Type.Object({ id: Id, checklist: Index, item: Index });
export type RunItemParams = Static<typeof RunItemParams>;

/** The trigger's form and the URL's scheme are checked by the domain, so its messages name the rule. */
export const CreateCommandBody = Type.Object({
  trigger: Type.String({ maxLength: 128 }),
  url: Type.String({ maxLength: 2048 }),
  method: Type.Optional(OneOf(['POST', 'GET'] as const)),
  team_id: Type.Optional(OptionalId),
  description: Type.Optional(Type.String({ maxLength: 1024 })),
});
export type CreateCommandBody = Static<typeof CreateCommandBody>;

export const ListCommandsQuery = Type.Object({ team_id: Type.Optional(OptionalId) });
export type ListCommandsQuery = Static<typeof ListCommandsQuery>;
