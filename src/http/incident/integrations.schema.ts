import { Type } from 'typebox';
import { HOOK_EVENTS } from '../../domain/integrations.ts';
import { OneOf } from '../schemas.ts';

const Id = Type.String({ maxLength: 128 });
const ConfigField = Type.Object({
  key: Type.String({ maxLength: 128 }),
  description: Type.Optional(Type.String({ maxLength: 1024 })),
  value: Type.Optional(Type.String({ maxLength: 4096 })),
  type: Type.Optional(Type.String({ maxLength: 64 })),
  secret: Type.Optional(Type.Boolean()),
  checked: Type.Optional(Type.Boolean()),
  hidden: Type.Optional(Type.Boolean()),
});

export const CreateIncidentSlackChannelRequest = Type.Object({
  incidentID: Type.String({ minLength: 1, maxLength: 64 }),
  channelName: Type.Optional(Type.String({ maxLength: 256 })),
  postUpdates: Type.Optional(Type.Boolean()),
  inviteUsers: Type.Optional(Type.Boolean()),
});
export const EnableHookRequest = Type.Object({
  integrationID: Id,
  hookID: Id,
  eventName: OneOf(HOOK_EVENTS),
  hookConfig: Type.Optional(Type.Union([Type.Object({ fields: Type.Optional(Type.Union([Type.Array(ConfigField, { maxItems: 50 }), Type.Null()])) }), Type.Null()])),
  incidentFilter: Type.Optional(Type.String({ maxLength: 4096 })),
  sensitive: Type.Optional(Type.Boolean()),
});
export const DisableHookRequest = Type.Object({ integrationID: Id, enabledHookID: Type.String({ minLength: 1, maxLength: 64 }) });
export const GetEnabledHooksRequest = Type.Object({ eventName: Type.Optional(OneOf([...HOOK_EVENTS, ''] as const)) });
export const GetHookRunsRequest = Type.Object({ incidentID: Type.String({ minLength: 1, maxLength: 64 }) });
