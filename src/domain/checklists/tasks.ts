// Tasks as the Grafana Incident API sees them: checklist items of the incident, addressed by id instead of
// by (checklist, item) index. The locks, validation and timeline events are the Playbooks side's
// (items.ts); this file only resolves ids to places and adds the rules of immutable system tasks.
import { newId } from '../../lib/ids.ts';
import type { Tx } from '../../store/db.ts';
import { incidentsRepo } from '../../store/incidents.repo.ts';
import type { ItemState } from '../../store/schema.ts';
import type { Actor, DomainContext } from '../context.ts';
import { invalidInput, notFound } from '../errors.ts';
import { mutateIncident } from '../incidents/mutate.ts';
import { loadDetail } from '../incidents/read.ts';
import type { IncidentDetail, IncidentRow, ItemRow } from '../incidents/types.ts';
import { appendEvent } from '../timeline/append.ts';
import {
  addItemInTx,
  checklistsOf,
  deleteItemInTx,
  editItemInTx,
  itemsOf,
  requireAssignee,
  requireTitle,
  setItemAssigneeInTx,
  setItemStateInTx,
} from './items.ts';

/** The checklist Grafana tasks are added to; created at the end of the incident's checklists when missing. */
export const TASKS_CHECKLIST_TITLE = 'Tasks';

/** The incident after a task change, read in the change's transaction; `taskId` is the task it was about. */
export interface TaskChange {
  taskId: string;
  detail: IncidentDetail;
}

interface PlacedTask {
  item: ItemRow;
  checklist: number;
  index: number;
  checklistTitle: string;
}

/** Finds a task of the incident by id (any item of any of its checklists): 404 when there is none. */
async function locateTask(tx: Tx, incidentId: string, taskId: string): Promise<PlacedTask> {
  const lists = await checklistsOf(tx, incidentId);
  const item = await tx
    .selectFrom('checklist_items')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('id', '=', taskId)
    .executeTakeFirst();
  const checklist = item ? lists.findIndex((list) => list.id === item.checklist_id) : -1;
  if (!item || checklist < 0) throw notFound('task not found');
  const index = (await itemsOf(tx, item.checklist_id)).findIndex((row) => row.id === item.id);
  return { item, checklist, index, checklistTitle: lists[checklist]!.title };
}

function requireMutable(task: ItemRow, what: string): void {
  if (task.system_key !== '') {
    throw invalidInput('task', `the task is immutable (a system task), so it cannot be ${what}`);
  }
}

async function changed(tx: Tx, incident: IncidentRow, taskId: string): Promise<TaskChange> {
  const fresh = (await incidentsRepo.byId(tx, incident.id)) ?? incident;
  return { taskId, detail: await loadDetail(tx, fresh) };
}

/** Index of the incident's "Tasks" checklist, appending it (with its `checklist_changed` event) when missing. */
async function tasksChecklist(tx: Tx, actor: Actor, incident: IncidentRow, now: number): Promise<number> {
  const lists = await checklistsOf(tx, incident.id);
  const existing = lists.findIndex((list) => list.title === TASKS_CHECKLIST_TITLE);
  if (existing >= 0) return existing;
  await tx.insertInto('checklists').values({ id: newId(), incident_id: incident.id, position: lists.length, title: TASKS_CHECKLIST_TITLE }).execute();
  await appendEvent(tx, incident.id, now, {
    type: 'checklist_changed',
    summary: `added checklist **${TASKS_CHECKLIST_TITLE}**`,
    subjectUserId: actor.userId,
    creatorUserId: actor.userId,
  });
  return lists.length;
}

/** Appends a task, written by the actor, to the incident's "Tasks" checklist. */
export function addTask(
  ctx: DomainContext,
  actor: Actor,
  incidentId: string,
  props: { text: string; assigneeId: string },
): Promise<TaskChange> {
  return mutateIncident(ctx, actor, incidentId, async (tx, incident, now) => {
    const text = requireTitle(props.text, 'task_text');
    await requireAssignee(tx, props.assigneeId, 'assignee');
    const checklist = await tasksChecklist(tx, actor, incident, now);
    const item = await addItemInTx(tx, actor, incident, checklist, { title: text, assignee_id: props.assigneeId }, now);
    return changed(tx, incident, item.id);
  });
}

/** Removes a task (system tasks cannot be removed); the tasks after it move up one place. */
export function deleteTask(ctx: DomainContext, actor: Actor, incidentId: string, taskId: string): Promise<TaskChange> {
  return mutateIncident(ctx, actor, incidentId, async (tx, incident, now) => {
    const { item, checklist, index } = await locateTask(tx, incident.id, taskId);
    requireMutable(item, 'deleted');
    await deleteItemInTx(tx, actor, incident, checklist, index, now);
    return changed(tx, incident, item.id);
  });
}

/** Sets a task's state (system tasks too). Same state: no write, no event. */
export function setTaskState(ctx: DomainContext, actor: Actor, incidentId: string, taskId: string, state: ItemState): Promise<TaskChange> {
  return mutateIncident(ctx, actor, incidentId, async (tx, incident) => {
    const { checklist, index } = await locateTask(tx, incident.id, taskId);
    await setItemStateInTx(tx, ctx, actor, incident, checklist, index, state);
    return changed(tx, incident, taskId);
  });
}

/** Changes a task's text (not a system task's). Same text: no write, no event. */
export function setTaskText(ctx: DomainContext, actor: Actor, incidentId: string, taskId: string, rawText: string): Promise<TaskChange> {
  return mutateIncident(ctx, actor, incidentId, async (tx, incident, now) => {
    const { item, checklist, index } = await locateTask(tx, incident.id, taskId);
    requireTitle(rawText, 'task_text');
    requireMutable(item, 'edited');
    await editItemInTx(tx, actor, incident, checklist, index, { title: rawText, titleField: 'task_text' }, now);
    return changed(tx, incident, item.id);
  });
}

/** Assigns a task to a user ('' clears the assignee). Same assignee: no write, no event. */
export function setTaskAssignee(ctx: DomainContext, actor: Actor, incidentId: string, taskId: string, assigneeId: string): Promise<TaskChange> {
  return mutateIncident(ctx, actor, incidentId, async (tx, incident, now) => {
    const { checklist, index } = await locateTask(tx, incident.id, taskId);
    await requireAssignee(tx, assigneeId, 'assignee');
    await setItemAssigneeInTx(tx, actor, incident, checklist, index, assigneeId, now);
    return changed(tx, incident, taskId);
  });
}
