import { Type, type Static } from 'typebox';
import { Id, NonNegative, OneOf } from '../schemas.ts';

const Status = OneOf(['InProgress', 'Finished'] as const);
const StatusList = Type.Array(Status, { maxItems: 10 });

/** GET /runs and GET /runs/channels. sort/direction are case-insensitive, so they are checked in code. */
export const ListRunsQuery = Type.Object({
  team_id: Type.Optional(Type.Union([Type.Literal(''), Id])),
  page: Type.Optional(Type.Integer()),
  per_page: Type.Optional(Type.Integer()),
  sort: Type.Optional(Type.String({ maxLength: 64 })),
  direction: Type.Optional(Type.String({ maxLength: 8 })),
  statuses: Type.Optional(StatusList),
  // The spec's singular form on /runs/channels; `all` means no filter.
  status: Type.Optional(Type.Array(OneOf(['InProgress', 'Finished', 'all'] as const), { maxItems: 10 })),
  owner_user_id: Type.Optional(Type.String({ maxLength: 26 })),
  participant_id: Type.Optional(Type.String({ maxLength: 26 })),
  participant_or_follower_id: Type.Optional(Type.String({ maxLength: 26 })),
  participant_or_follower: Type.Optional(Type.String({ maxLength: 26 })),
  playbook_id: Type.Optional(Type.Union([Type.Literal(''), Id])),
  channel_id: Type.Optional(Type.Union([Type.Literal(''), Id])),
  search_term: Type.Optional(Type.String({ maxLength: 512 })),
  active_gte: Type.Optional(NonNegative),
  active_lt: Type.Optional(NonNegative),
  started_gte: Type.Optional(NonNegative),
  started_lt: Type.Optional(NonNegative),
  is_active: Type.Optional(Type.String()),
});
export type ListRunsQuery = Static<typeof ListRunsQuery>;

export const CreateRunBody = Type.Object({
  name: Type.String({ maxLength: 1024 }),
  description: Type.Optional(Type.String({ maxLength: 65536 })),
  summary: Type.Optional(Type.String({ maxLength: 65536 })),
  owner_user_id: Type.String({ maxLength: 64 }),
  team_id: Type.Optional(Type.Union([Type.Literal(''), Id])),
  playbook_id: Type.Optional(Type.Union([Type.Literal(''), Id])),
  channel_id: Type.Optional(Type.Union([Type.Literal(''), Id])),
  post_id: Type.Optional(Type.Union([Type.Literal(''), Id])),
  severity: Type.Optional(Type.String({ maxLength: 64 })),
  is_drill: Type.Optional(Type.Boolean()),
  labels: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 100 })),
});
export type CreateRunBody = Static<typeof CreateRunBody>;
