import { Type, type Static } from 'typebox';
import { Id, Index } from '../schemas.ts';

/** The reminder arrives as a JSON number of seconds; the domain rounds and bounds it. */
const ReminderSeconds = Type.Number({ minimum: 0 });

/** PATCH /runs/{id}: the 2020 stage move, plus the current rename/summary edit. */
export const UpdateRunBody = Type.Object({
  active_stage: Type.Optional(Index),
  name: Type.Optional(Type.String({ maxLength: 1024 })),
  summary: Type.Optional(Type.String({ maxLength: 65536 })),
  description: Type.Optional(Type.String({ maxLength: 65536 })),
});
export type UpdateRunBody = Static<typeof UpdateRunBody>;

/** Mattermost interactive-dialog submission; `state` carries the stage index as text. */
export const NextStageDialogBody = Type.Object({
  state: Type.String({ maxLength: 64 }),
});
export type NextStageDialogBody = Static<typeof NextStageDialogBody>;

export const StatusUpdateBody = Type.Object({
  message: Type.String({ maxLength: 65536 }),
  reminder: Type.Optional(ReminderSeconds),
  finish_run: Type.Optional(Type.Boolean()),
  // The spec lists `description` as required; no client sends it, so it is accepted and ignored.
  description: Type.Optional(Type.String({ maxLength: 65536 })),
});
export type StatusUpdateBody = Static<typeof StatusUpdateBody>;

/** The webapp's update-status dialog: select values are strings, the finish checkbox a bool (or its text). */
export const StatusUpdateDialogBody = Type.Object({
  submission: Type.Object({
    message: Type.String({ maxLength: 65536 }),
    reminder: Type.Optional(Type.String({ maxLength: 32 })),
    finish_run: Type.Optional(Type.Union([Type.Boolean(), Type.Literal('true'), Type.Literal('false')])),
  }),
});
export type StatusUpdateDialogBody = Static<typeof StatusUpdateDialogBody>;

export const SnoozeBody = Type.Object({
  new_reminder_seconds: Type.Number(),
});
export type SnoozeBody = Static<typeof SnoozeBody>;

export const ChangeOwnerBody = Type.Object({
  owner_id: Id,
});
export type ChangeOwnerBody = Static<typeof ChangeOwnerBody>;
