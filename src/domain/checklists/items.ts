// Items of a run's checklists, addressed by index as Playbooks does (the RPC facade resolves ids to indices).
// Every write goes through mutateIncident: the incident row is locked, so concurrent changes to one run are
// serialised and positions, states and the timeline stay consistent. `...InTx` forms are for callers that
// already hold the lock (slash commands, the RPC facade).
import { sql } from 'kysely';
import { newId } from '../../lib/ids.ts';
import type { Tx } from '../../store/db.ts';
import type { ItemState } from '../../store/schema.ts';
import { usersRepo } from '../../store/users.repo.ts';
import type { Actor, DomainContext } from '../context.ts';
import { invalid, invalidInput } from '../errors.ts';
import { mutateIncidentGrouped } from '../incidents/group-commit.ts';
import { mutateIncident } from '../incidents/mutate.ts';
import type { ChecklistRow, IncidentRow, ItemRow } from '../incidents/types.ts';
import { appendEvent } from '../timeline/append.ts';

export const ITEM_STATES: readonly ItemState[] = ['', 'in_progress', 'closed', 'skipped'];
export const MAX_TITLE_LENGTH = 1024;
const NO_ASSIGNEE = 'No Assignee';

// ---- locating checklists and items -------------------------------------------------------------------

export function checklistsOf(tx: Tx, incidentId: string): Promise<ChecklistRow[]> {
  return tx.selectFrom('checklists').selectAll().where('incident_id', '=', incidentId).orderBy('position').orderBy('id').execute();
}

export function itemsOf(tx: Tx, checklistId: string): Promise<ItemRow[]> {
  return tx.selectFrom('checklist_items').selectAll().where('checklist_id', '=', checklistId).orderBy('position').orderBy('id').execute();
}

function noSuch(field: string, what: string, index: number, count: number) {
  return invalid(field, `invalid ${field}: there is no ${what} ${index} (there ${count === 1 ? 'is 1' : `are ${count}`})`);
}

function isIndex(index: number): boolean {
  return Number.isInteger(index) && index >= 0;
}

/** `index` must address an element of `list`; otherwise a 400 naming `field` (a path or body field). */
export function pick<T>(list: T[], index: number, field: string, what: string): T {
  const found = isIndex(index) ? list[index] : undefined;
  if (found === undefined) throw noSuch(field, what, index, list.length);
  return found;
}

export async function checklistAt(tx: Tx, incidentId: string, index: number, field = 'checklist'): Promise<ChecklistRow> {
  return pick(await checklistsOf(tx, incidentId), index, field, 'checklist');
}

/**
 * Checklist `checklist` and its item `item`, in one statement: the addressed rows plus the counts the
 * errors name. Same 400s as picking from checklistsOf / itemsOf.
 */
export async function itemAt(tx: Tx, incidentId: string, checklist: number, item: number): Promise<{ list: ChecklistRow; item: ItemRow }> {
  const result = await sql<{ lists: number; list: ChecklistRow | null; items: number; item: ItemRow | null }>`
    select (select count(*) from checklists where incident_id = ${incidentId})::int as lists,
      to_jsonb(l) as list,
      (select count(*) from checklist_items where checklist_id = l.id)::int as items,
      (select to_jsonb(i) from checklist_items i where i.checklist_id = l.id
        order by i.position, i.id offset ${isIndex(item) ? item : 0} limit 1) as item
    from (select 1) as one
    left join lateral (select * from checklists where incident_id = ${incidentId}
      order by position, id offset ${isIndex(checklist) ? checklist : 0} limit 1) as l on true`.execute(tx);
  const found = result.rows[0]!;
  if (!isIndex(checklist) || !found.list) throw noSuch('checklist', 'checklist', checklist, found.lists);
  if (!isIndex(item) || !found.item) throw noSuch('item', 'item', item, found.items);
  return { list: found.list, item: found.item };
}

/**
 * Makes `ordered` the content of checklist `checklistId`, positions 0..n-1. Only rows whose place changed
 * are written. Items keep their ids, also when they come from another checklist.
 */
export async function writeItemOrder(tx: Tx, checklistId: string, ordered: ItemRow[], now: number): Promise<void> {
  for (const [position, item] of ordered.entries()) {
    if (item.position === position && item.checklist_id === checklistId) continue;
    await tx
      .updateTable('checklist_items')
      .set({ position, checklist_id: checklistId, update_at: now })
      .where('id', '=', item.id)
      .execute();
  }
}

/** Moves the element at `from` to `to` (both valid indices), returning a new array. */
export function moved<T>(list: T[], from: number, to: number): T[] {
  const copy = [...list];
  const [element] = copy.splice(from, 1);
  copy.splice(to, 0, element as T);
  return copy;
}

export async function requireAssignee(tx: Tx, assigneeId: string, field = 'assignee_id'): Promise<void> {
  if (!assigneeId) return;
  const user = await usersRepo.byId(tx, assigneeId);
  if (!user || user.delete_at !== 0) throw invalidInput(field, `unknown user ${assigneeId}`);
}

async function mention(tx: Tx, userId: string): Promise<string> {
  if (!userId) return NO_ASSIGNEE;
  return `@${(await usersRepo.byId(tx, userId))?.username ?? userId}`;
}

export function requireTitle(raw: string, field = 'title'): string {
  const title = raw.trim();
  if (!title) throw invalidInput(field, 'must not be blank');
  if (title.length > MAX_TITLE_LENGTH) throw invalidInput(field, `must be at most ${MAX_TITLE_LENGTH} characters`);
  return title;
}

// ---- adding ------------------------------------------------------------------------------------------

export interface NewItemProps {
  title: string;
  description?: string | undefined;
  command?: string | undefined;
  state?: ItemState | undefined;
  assignee_id?: string | undefined;
  due_date?: number | undefined;
}

/** Checks an item's fields before anything is written; `prefix` names it inside a larger body (`items.2.`). */
export async function validateNewItem(tx: Tx, props: NewItemProps, prefix = ''): Promise<NewItemProps & { title: string }> {
  const title = requireTitle(props.title, `${prefix}title`);
  if (props.state !== undefined && !ITEM_STATES.includes(props.state)) {
    throw invalid(`${prefix}state`, `invalid field ${prefix}state: must be one of "", "in_progress", "closed", "skipped"`);
  }
  await requireAssignee(tx, props.assignee_id ?? '', `${prefix}assignee_id`);
  return { ...props, title };
}

/** Inserts a validated item at `position` of a checklist (the caller keeps positions dense). */
export async function insertItem(
  tx: Tx,
  actor: Actor,
  list: ChecklistRow,
  position: number,
  props: NewItemProps & { title: string },
  now: number,
): Promise<ItemRow> {
  const state = props.state ?? '';
  const assignee = props.assignee_id ?? '';
  return tx
    .insertInto('checklist_items')
    .values({
      id: newId(),
      checklist_id: list.id,
      incident_id: list.incident_id,
      position,
      title: props.title,
      description: props.description ?? '',
      command: props.command ?? '',
      state,
      state_modified: state ? now : 0,
      assignee_id: assignee,
      assignee_modified: assignee ? now : 0,
      due_date: props.due_date ?? 0,
      skipped_at: state === 'skipped' ? now : 0,
      author_user_id: actor.userId,
      create_at: now,
      update_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function addItemInTx(tx: Tx, actor: Actor, incident: IncidentRow, checklist: number, props: NewItemProps, now: number): Promise<ItemRow> {
  const list = await checklistAt(tx, incident.id, checklist);
  const valid = await validateNewItem(tx, props);
  const position = (await itemsOf(tx, list.id)).length;
  const item = await insertItem(tx, actor, list, position, valid, now);
  await appendEvent(tx, incident.id, now, {
    type: 'task_added',
    summary: `added checklist item **${item.title}** to **${list.title}**`,
    subjectUserId: actor.userId,
    creatorUserId: actor.userId,
  });
  return item;
}

/** Appends an item to checklist number `checklist`. */
export function addItem(ctx: DomainContext, actor: Actor, incidentId: string, checklist: number, props: NewItemProps): Promise<ItemRow> {
  return mutateIncident(ctx, actor, incidentId, (tx, incident, now) => addItemInTx(tx, actor, incident, checklist, props, now));
}

// ---- editing -----------------------------------------------------------------------------------------

export interface EditItemProps {
  title: string;
  /** Absent keeps the current value. */
  command?: string | undefined;
  description?: string | undefined;
}

/** Changes an item's title, command and description. Nothing changed: no write, no event. Incident locked. */
export async function editItemInTx(
  tx: Tx,
  actor: Actor,
  incident: IncidentRow,
  checklist: number,
  index: number,
  props: EditItemProps & { titleField?: string },
  now: number,
): Promise<void> {
  const { item } = await itemAt(tx, incident.id, checklist, index);
  const title = requireTitle(props.title, props.titleField);
  const next = { title, command: props.command ?? item.command, description: props.description ?? item.description };
  const changed = (Object.keys(next) as Array<keyof typeof next>).filter((key) => next[key] !== item[key]);
  if (changed.length === 0) return;
  await tx.updateTable('checklist_items').set({ ...next, update_at: now }).where('id', '=', item.id).execute();
  await appendEvent(tx, incident.id, now, {
    type: 'task_updated',
    summary: title === item.title ? `updated checklist item **${title}**` : `renamed checklist item **${item.title}** to **${title}**`,
    details: { item_id: item.id, changed },
    subjectUserId: actor.userId,
    creatorUserId: actor.userId,
  });
}

export function editItem(ctx: DomainContext, actor: Actor, incidentId: string, checklist: number, index: number, props: EditItemProps): Promise<void> {
  return mutateIncident(ctx, actor, incidentId, (tx, incident, now) => editItemInTx(tx, actor, incident, checklist, index, props, now));
}

/** Removes an item; the items after it move up one place. Incident locked. */
export async function deleteItemInTx(tx: Tx, actor: Actor, incident: IncidentRow, checklist: number, index: number, now: number): Promise<void> {
  const { list, item } = await itemAt(tx, incident.id, checklist, index);
  await tx.deleteFrom('checklist_items').where('id', '=', item.id).execute();
  await writeItemOrder(tx, list.id, await itemsOf(tx, list.id), now);
  await appendEvent(tx, incident.id, now, {
    type: 'task_deleted',
    summary: `deleted checklist item **${item.title}** from **${list.title}**`,
    subjectUserId: actor.userId,
    creatorUserId: actor.userId,
  });
}

export function deleteItem(ctx: DomainContext, actor: Actor, incidentId: string, checklist: number, index: number): Promise<void> {
  return mutateIncident(ctx, actor, incidentId, (tx, incident, now) => deleteItemInTx(tx, actor, incident, checklist, index, now));
}

/** Moves an item inside its checklist (Playbooks' `reorder`); both indices must address existing items. */
export function reorderItem(
  ctx: DomainContext,
  actor: Actor,
  incidentId: string,
  checklist: number,
  props: { item_num: number; new_location: number },
): Promise<void> {
  return mutateIncident(ctx, actor, incidentId, async (tx, incident, now) => {
    const list = await checklistAt(tx, incident.id, checklist);
    const items = await itemsOf(tx, list.id);
    const item = pick(items, props.item_num, 'item_num', 'item');
    pick(items, props.new_location, 'new_location', 'item position');
    if (props.item_num === props.new_location) return;
    await writeItemOrder(tx, list.id, moved(items, props.item_num, props.new_location), now);
    await appendEvent(tx, incident.id, now, {
      type: 'checklist_changed',
      summary: `moved checklist item **${item.title}** in **${list.title}** from position ${props.item_num + 1} to ${props.new_location + 1}`,
      subjectUserId: actor.userId,
      creatorUserId: actor.userId,
    });
  });
}

// ---- state and assignee ------------------------------------------------------------------------------

function stateSummary(from: ItemState, to: ItemState, title: string): string {
  if (to === 'closed') return `checked off checklist item **${title}**`;
  if (to === 'skipped') return `skipped checklist item **${title}**`;
  if (from === 'skipped') return `restored checklist item **${title}**`;
  return `unchecked checklist item **${title}**`;
}

/**
 * Sets an item's state inside a transaction that already holds the incident lock and has checked the
 * actor's right to change the run. Same state: no write, no event. Skipping stamps `skipped_at` (the
 * Playbooks "last skipped" time, kept on restore as Playbooks does).
 */
export async function setItemStateInTx(
  tx: Tx,
  ctx: DomainContext,
  actor: Actor,
  incident: IncidentRow,
  checklist: number,
  item: number,
  state: ItemState,
): Promise<void> {
  if (!ITEM_STATES.includes(state)) {
    throw invalid('new_state', 'invalid field new_state: must be one of "", "in_progress", "closed", "skipped"');
  }
  const { item: row } = await itemAt(tx, incident.id, checklist, item);
  if (row.state === state) return;
  const now = ctx.clock.now();
  const update = tx
    .updateTable('checklist_items')
    .set({ state, state_modified: now, update_at: now, ...(state === 'skipped' ? { skipped_at: now } : {}) })
    .where('id', '=', row.id);
  await appendEvent(
    tx,
    incident.id,
    now,
    {
      type: 'task_state_modified',
      summary: stateSummary(row.state, state, row.title),
      details: { task_id: row.id, old_state: row.state, new_state: state },
      subjectUserId: actor.userId,
      creatorUserId: actor.userId,
    },
    { alongside: [update] },
  );
}

export function setItemState(ctx: DomainContext, actor: Actor, incidentId: string, checklist: number, item: number, state: ItemState): Promise<void> {
  // It reads the item first: a change, run in order in the batch (not appends declared as data).
  return mutateIncidentGrouped(ctx, actor, incidentId, () => (tx, incident) => setItemStateInTx(tx, ctx, actor, incident, checklist, item, state));
}

/** Assigns an item ("" unassigns). Same assignee: no write, no event. */
export async function setItemAssigneeInTx(
  tx: Tx,
  actor: Actor,
  incident: IncidentRow,
  checklist: number,
  index: number,
  assigneeId: string,
  now: number,
): Promise<void> {
  const { item } = await itemAt(tx, incident.id, checklist, index);
  await requireAssignee(tx, assigneeId);
  if (item.assignee_id === assigneeId) return;
  await tx
    .updateTable('checklist_items')
    .set({ assignee_id: assigneeId, assignee_modified: now, update_at: now })
    .where('id', '=', item.id)
    .execute();
  const [from, to] = [await mention(tx, item.assignee_id), await mention(tx, assigneeId)];
  await appendEvent(tx, incident.id, now, {
    type: 'assignee_changed',
    summary: `changed assignee of checklist item **${item.title}** from **${from}** to **${to}**`,
    subjectUserId: actor.userId,
    creatorUserId: actor.userId,
  });
}

export function setItemAssignee(ctx: DomainContext, actor: Actor, incidentId: string, checklist: number, item: number, assigneeId: string): Promise<void> {
  return mutateIncident(ctx, actor, incidentId, (tx, incident, now) => setItemAssigneeInTx(tx, actor, incident, checklist, item, assigneeId, now));
}
