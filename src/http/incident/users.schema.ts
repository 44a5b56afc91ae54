import { Type } from 'typebox';
import { Cursor } from './query.schema.ts';

export const GetUserRequest = Type.Object({ userID: Type.String({ minLength: 1, maxLength: 256 }) });
export const QueryUsersRequest = Type.Object({
  query: Type.Optional(Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 0 })) })),
  cursor: Type.Optional(Cursor),
});
