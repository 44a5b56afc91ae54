import { Type, type Static } from 'typebox';
import { Id, Index, NonNegative, OptionalId } from '../schemas.ts';

export const ChecklistParams = Type.Object({ id: Id, checklist: Index });
export const ItemParams = Type.Object({ id: Id, checklist: Index, item: Index });
export const TimelineEventParams = Type.Object({ id: Id, event_id: Id });

const Title = Type.String({ maxLength: 1024 });
const Text = Type.String({ maxLength: 65536 });

/**
 * A checklist item as clients send it. Real clients send the whole item (id, state_modified, delete_at,
 * ...); the fields the server sets itself are accepted and ignored.
 */
export const ChecklistItemBody = Type.Object({
  title: Title,
  description: Type.Optional(Text),
  command: Type.Optional(Type.String({ maxLength: 1024 })),
  state: Type.Optional(Type.Enum(['', 'in_progress', 'closed'])),
  assignee_id: Type.Optional(OptionalId),
  due_date: Type.Optional(NonNegative),
});
export type ChecklistItemBody = Static<typeof ChecklistItemBody>;

/** POST /runs/{id}/checklists. The Go client sends `"items": null` for a checklist without items. */
export const CreateChecklistBody = Type.Object({
  title: Title,
  items: Type.Optional(Type.Union([Type.Array(ChecklistItemBody, { maxItems: 1000 }), Type.Null()])),
});

/** The Go client sends `{"Title": ...}` (Go decodes JSON keys case-insensitively); the webapp `title`. */
export const RenameChecklistBody = Type.Object({
  title: Type.Optional(Title),
  Title: Type.Optional(Title),
});

export const ReorderItemBody = Type.Object({ item_num: NonNegative, new_location: NonNegative });

export const EditItemBody = Type.Object({
  title: Title,
  command: Type.Optional(Type.String({ maxLength: 1024 })),
  description: Type.Optional(Text),
});

export const ItemStateBody = Type.Object({ new_state: Type.Enum(['', 'in_progress', 'closed', 'skipped']) });
export const ItemAssigneeBody = Type.Object({ assignee_id: OptionalId });
/** Epoch milliseconds; 0 clears the due date. */
export const ItemDueDateBody = Type.Object({ due_date: NonNegative });

export const MoveChecklistBody = Type.Object({ source_checklist_idx: NonNegative, dest_checklist_idx: NonNegative });
export const MoveItemBody = Type.Object({
  source_checklist_idx: NonNegative,
  source_item_idx: NonNegative,
  dest_checklist_idx: NonNegative,
  dest_item_idx: NonNegative,
});
