import { Type } from 'typebox';
import { ID_PATTERN } from './errors.ts';

/** A 26-character Mattermost-style id. */
export const Id = Type.String({ pattern: ID_PATTERN });
/** An id, or empty meaning "none". */
export const OptionalId = Type.Union([Type.Literal(''), Id]);
export const IdParams = Type.Object({ id: Id });
export const Index = Type.Integer({ minimum: 0, maximum: 100000 });
export const NonNegative = Type.Integer({ minimum: 0 });
