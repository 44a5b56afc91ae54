import { Type } from 'typebox';
import { ID_PATTERN } from './errors.ts';

/** A 26-character Mattermost-style id. */
export const Id = Type.String({ pattern: ID_PATTERN });
/** An id, or empty meaning "none". */
export const OptionalId = Type.Union([Type.Literal(''), Id]);
export const IdParams = Type.Object({ id: Id });
export const Index = Type.Integer({ minimum: 0, maximum: 100000 });
export const NonNegative = Type.Integer({ minimum: 0 });
/** Largest value of an `integer` (int4) column; bigger numbers would fail in SQL instead of being a 400. */
export const INT4_MAX = 2_147_483_647;
/** A number stored in an `integer` (int4) column. */
export const Int4 = (opts: { minimum?: number } = {}) => Type.Integer({ minimum: -INT4_MAX - 1, ...opts, maximum: INT4_MAX });

/**
 * A string enum as JSON Schema `enum` (not a union of constants), so a bad value is refused with
 * `must be one of "a", "b"` naming what to send.
 */
export function OneOf<const T extends readonly string[]>(values: T, options: { description?: string } = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}
