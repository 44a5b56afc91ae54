import type { Static } from 'typebox';
import type { DomainContext } from '../../domain/context.ts';
import { addTask, deleteTask, setTaskAssignee, setTaskState, setTaskText, type TaskChange } from '../../domain/checklists/tasks.ts';
import * as S from './tasks.schema.ts';
import { loadLookups } from './lookups.ts';
import { ITEM_STATE, parseUserId, presentTask, presentTaskList } from './present.ts';
import type { RpcRegistry } from './rpc.ts';

type Req<T extends keyof typeof S> = Static<(typeof S)[T]>;

/** `{incidentID, task?, taskList}` of the incident as the change left it. */
async function present(ctx: DomainContext, change: TaskChange, withTask: boolean) {
  const lookups = await loadLookups(ctx.db, [change.detail], ctx.clock.now());
  const taskList = presentTaskList(lookups, change.detail);
  const incidentID = change.detail.incident.id;
  if (!withTask) return { incidentID, taskList };
  const item = change.detail.checklists.flatMap((list) => list.items).find((row) => row.id === change.taskId)!;
  return { incidentID, task: presentTask(lookups, item), taskList };
}

export const tasksMethods: RpcRegistry = {
  'TasksService.AddTask': {
    request: S.AddTaskRequest,
    handler: async (ctx, actor, req: Req<'AddTaskRequest'>) =>
      present(ctx, await addTask(ctx, actor, req.incidentID, { text: req.text, assigneeId: parseUserId(req.assignToUserID ?? '') }), true),
  },

  'TasksService.DeleteTask': {
    request: S.TaskRef,
    handler: async (ctx, actor, req: Req<'TaskRef'>) => present(ctx, await deleteTask(ctx, actor, req.incidentID, req.taskID), false),
  },

  'TasksService.UpdateTaskStatus': {
    request: S.UpdateTaskStatusRequest,
    handler: async (ctx, actor, req: Req<'UpdateTaskStatusRequest'>) =>
      present(ctx, await setTaskState(ctx, actor, req.incidentID, req.taskID, ITEM_STATE[req.status]), true),
  },

  'TasksService.UpdateTaskText': {
    request: S.UpdateTaskTextRequest,
    handler: async (ctx, actor, req: Req<'UpdateTaskTextRequest'>) =>
      present(ctx, await setTaskText(ctx, actor, req.incidentID, req.taskID, req.text), true),
  },

  'TasksService.UpdateTaskUser': {
    request: S.UpdateTaskUserRequest,
    handler: async (ctx, actor, req: Req<'UpdateTaskUserRequest'>) =>
      present(ctx, await setTaskAssignee(ctx, actor, req.incidentID, req.taskID, parseUserId(req.userID ?? '')), true),
  },
};
