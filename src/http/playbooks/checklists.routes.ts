import {
  createChecklist,
  moveChecklist,
  moveChecklistItem,
  removeChecklist,
  renameChecklist,
  restoreChecklist,
  skipChecklist,
} from '../../domain/checklists/checklists.ts';
import { addItem, deleteItem, editItem, reorderItem, setItemAssignee, setItemState } from '../../domain/checklists/items.ts';
import { setItemDueDate } from '../../domain/checklists/due-date.ts';
import { invalid } from '../../domain/errors.ts';
import { deleteTimelineEvent } from '../../domain/timeline/delete.ts';
import type { App } from '../app-type.ts';
import { IdParams } from '../schemas.ts';
import {
  ChecklistItemBody,
  ChecklistParams,
  CreateChecklistBody,
  EditItemBody,
  ItemAssigneeBody,
  ItemDueDateBody,
  ItemParams,
  ItemStateBody,
  MoveChecklistBody,
  MoveItemBody,
  RenameChecklistBody,
  ReorderItemBody,
  TimelineEventParams,
} from './checklists.schema.ts';

const RUN = '/runs/:id';
const CHECKLIST = `${RUN}/checklists/:checklist`;
const ITEM = `${CHECKLIST}/item/:item`;

/** Checklists and items of a run (addressed by zero-based index), and timeline event deletion. */
export async function checklistsRoutes(app: App): Promise<void> {
  checklistRoutes(app);
  itemRoutes(app);
  itemSkipRoutes(app);
  const ctx = app.services.ctx;
  // The spec writes this path with a trailing slash; the server ignores trailing slashes, so both work.
  app.delete(`${RUN}/timeline/:event_id`, { schema: { params: TimelineEventParams } }, async (request, reply) => {
    await deleteTimelineEvent(ctx, request.actor, request.params.id, request.params.event_id);
    return reply.code(204).send();
  });
}

/** A run's checklists: add, remove, rename, move, skip and restore. */
function checklistRoutes(app: App): void {
  const ctx = app.services.ctx;

  app.post(`${RUN}/checklists`, { schema: { params: IdParams, body: CreateChecklistBody } }, async (request, reply) => {
    await createChecklist(ctx, request.actor, request.params.id, request.body);
    return reply.code(201).send();
  });

  app.delete(CHECKLIST, { schema: { params: ChecklistParams } }, async (request, reply) => {
    await removeChecklist(ctx, request.actor, request.params.id, request.params.checklist);
    return reply.code(204).send();
  });

  app.put(`${CHECKLIST}/rename`, { schema: { params: ChecklistParams, body: RenameChecklistBody } }, async (request, reply) => {
    const title = request.body.title ?? request.body.Title;
    if (title === undefined) throw invalid('title', 'invalid field title: is required');
    await renameChecklist(ctx, request.actor, request.params.id, request.params.checklist, title);
    return reply.code(200).send();
  });

  app.post(`${RUN}/checklists/move`, { schema: { params: IdParams, body: MoveChecklistBody } }, async (request, reply) => {
    await moveChecklist(ctx, request.actor, request.params.id, request.body);
    return reply.code(200).send();
  });

  app.post(`${RUN}/checklists/move-item`, { schema: { params: IdParams, body: MoveItemBody } }, async (request, reply) => {
    await moveChecklistItem(ctx, request.actor, request.params.id, request.body);
    return reply.code(200).send();
  });

  app.put(`${CHECKLIST}/skip`, { schema: { params: ChecklistParams } }, async (request, reply) => {
    await skipChecklist(ctx, request.actor, request.params.id, request.params.checklist);
    return reply.code(200).send();
  });

  app.put(`${CHECKLIST}/restore`, { schema: { params: ChecklistParams } }, async (request, reply) => {
    await restoreChecklist(ctx, request.actor, request.params.id, request.params.checklist);
    return reply.code(200).send();
  });

}

/** The items of a checklist: add, reorder, edit, delete, state, assignee, due date. */
function itemRoutes(app: App): void {
  const ctx = app.services.ctx;

  // PUT until 2022-02, POST since; the spec says 200, the server has always answered 201.
  app.route({
    method: ['POST', 'PUT'],
    url: `${CHECKLIST}/add`,
    schema: { params: ChecklistParams, body: ChecklistItemBody },
    handler: async (request, reply) => {
      await addItem(ctx, request.actor, request.params.id, request.params.checklist, request.body);
      return reply.code(201).send();
    },
  });

  app.put(`${CHECKLIST}/reorder`, { schema: { params: ChecklistParams, body: ReorderItemBody } }, async (request, reply) => {
    await reorderItem(ctx, request.actor, request.params.id, request.params.checklist, request.body);
    return reply.code(200).send();
  });

  app.put(ITEM, { schema: { params: ItemParams, body: EditItemBody } }, async (request, reply) => {
    const { id, checklist, item } = request.params;
    await editItem(ctx, request.actor, id, checklist, item, request.body);
    return reply.code(200).send();
  });

  app.delete(ITEM, { schema: { params: ItemParams } }, async (request, reply) => {
    const { id, checklist, item } = request.params;
    await deleteItem(ctx, request.actor, id, checklist, item);
    return reply.code(204).send();
  });

  app.put(`${ITEM}/state`, { schema: { params: ItemParams, body: ItemStateBody } }, async (request) => {
    const { id, checklist, item } = request.params;
    await setItemState(ctx, request.actor, id, checklist, item, request.body.new_state);
    return {};
  });

  app.put(`${ITEM}/assignee`, { schema: { params: ItemParams, body: ItemAssigneeBody } }, async (request) => {
    const { id, checklist, item } = request.params;
    await setItemAssignee(ctx, request.actor, id, checklist, item, request.body.assignee_id);
    return {};
  });

  app.put(`${ITEM}/duedate`, { schema: { params: ItemParams, body: ItemDueDateBody } }, async (request) => {
    const { id, checklist, item } = request.params;
    await setItemDueDate(ctx, request.actor, id, checklist, item, request.body.due_date);
    return {};
  });

}

/** An item's skip and restore (PUT …/state covers both too, by its new_state). */
function itemSkipRoutes(app: App): void {
  const ctx = app.services.ctx;

  app.put(`${ITEM}/skip`, { schema: { params: ItemParams } }, async (request, reply) => {
    const { id, checklist, item } = request.params;
    await setItemState(ctx, request.actor, id, checklist, item, 'skipped');
    return reply.code(200).send();
  });

  app.put(`${ITEM}/restore`, { schema: { params: ItemParams } }, async (request, reply) => {
    const { id, checklist, item } = request.params;
    await setItemState(ctx, request.actor, id, checklist, item, '');
    return reply.code(200).send();
  });
}
