import { Type, type Static } from 'typebox';
import { Id } from '../schemas.ts';

export const WebhookParams = Type.Object({ id: Id });
export const DeliveriesQuery = Type.Object({ per_page: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }, { additionalProperties: false });
export type DeliveriesQuery = Static<typeof DeliveriesQuery>;
