import { Type, type Static } from 'typebox';
import { Id, OptionalId } from '../schemas.ts';

export const OwnersQuery = Type.Object({ team_id: Type.Optional(OptionalId) });
export type OwnersQuery = Static<typeof OwnersQuery>;

/** The code reads `channel_id`; the spec writes `channel_ID`. Both are accepted; one is required (checked in code). */
export const AutocompleteQuery = Type.Object({
  channel_id: Type.Optional(Id),
  channel_ID: Type.Optional(Id),
});
export type AutocompleteQuery = Static<typeof AutocompleteQuery>;

export const ChannelParams = Type.Object({ channel_id: Id });

/**
 * A Mattermost interactive-dialog submission. Other dialog fields (callback_id, cancelled, ...) are allowed
 * and ignored; submission values are what the dialog's elements held.
 */
export const RunDialogBody = Type.Object({
  user_id: Type.String({ maxLength: 64 }),
  team_id: Type.Optional(OptionalId),
  channel_id: Type.Optional(OptionalId),
  state: Type.Optional(Type.String({ maxLength: 65536 })),
  submission: Type.Object({
    playbookID: Type.Optional(OptionalId),
    playbookRunName: Type.Optional(Type.String({ maxLength: 1024 })),
    playbookRunDescription: Type.Optional(Type.String({ maxLength: 65536 })),
  }),
});
export type RunDialogBody = Static<typeof RunDialogBody>;
