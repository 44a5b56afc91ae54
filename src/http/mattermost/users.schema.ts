import { Type, type Static } from 'typebox';
import { Id, NonNegative, OneOf } from '../schemas.ts';

/** Mattermost's paging: `page` from 0, `per_page` 60 by default and at most 200 (clamped in the handler). */
export const PageQuery = Type.Object({
  page: Type.Optional(NonNegative),
  per_page: Type.Optional(NonNegative),
});
export type PageQuery = Static<typeof PageQuery>;

export const DEFAULT_PER_PAGE = 60;
export const MAX_PER_PAGE = 200;

export function pageOf(q: PageQuery): { limit: number; offset: number } {
  const limit = !q.per_page ? DEFAULT_PER_PAGE : Math.min(q.per_page, MAX_PER_PAGE);
  return { limit, offset: (q.page ?? 0) * limit };
}

// Lengths here only bound the input; the domain checks the real rules (username/email/password format).
export const CreateUserBody = Type.Object({
  username: Type.String({ maxLength: 64 }),
  email: Type.String({ maxLength: 256 }),
  password: Type.String({ maxLength: 256 }),
  first_name: Type.Optional(Type.String({ maxLength: 64 })),
  last_name: Type.Optional(Type.String({ maxLength: 64 })),
  nickname: Type.Optional(Type.String({ maxLength: 64 })),
});
export type CreateUserBody = Static<typeof CreateUserBody>;

/** Mattermost clients also send device_id, token (MFA) and ldap_only; they are accepted and ignored. */
export const LoginBody = Type.Object({
  login_id: Type.String({ minLength: 1, maxLength: 256 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
});
export type LoginBody = Static<typeof LoginBody>;

export const CreateTeamBody = Type.Object({
  name: Type.String({ maxLength: 64 }),
  display_name: Type.String({ maxLength: 256 }),
  type: Type.Optional(OneOf(['O', 'I'] as const)),
});
export type CreateTeamBody = Static<typeof CreateTeamBody>;

export const TeamIdParams = Type.Object({ team_id: Id });

export const AddTeamMemberBody = Type.Object({
  team_id: Id,
  user_id: Id,
});
export type AddTeamMemberBody = Static<typeof AddTeamMemberBody>;

/** `id` is a user id or `me`; checked in the handler so the message can say both. */
export const UserRefParams = Type.Object({ id: Type.String({ maxLength: 26 }) });

export const CreateTokenBody = Type.Object({
  // Mattermost requires a description for personal access tokens.
  description: Type.String({ minLength: 1, maxLength: 255 }),
});
export type CreateTokenBody = Static<typeof CreateTokenBody>;

export const RevokeTokenBody = Type.Object({ token_id: Id });
export type RevokeTokenBody = Static<typeof RevokeTokenBody>;
