// Whole checklists of a run: create, remove, rename, move, skip/restore, and moving items between them.
// Each change is one mutateIncident transaction with one `checklist_changed` event; positions stay 0..n-1.
import { newId } from '../../lib/ids.ts';
import type { Tx } from '../../store/db.ts';
import type { Actor, DomainContext } from '../context.ts';
import { mutateIncident } from '../incidents/mutate.ts';
import type { ChecklistRow, IncidentRow } from '../incidents/types.ts';
import { appendEvent } from '../timeline/append.ts';
import {
  checklistAt,
  checklistsOf,
  insertItem,
  itemsOf,
  MAX_TITLE_LENGTH,
  moved,
  pick,
  validateNewItem,
  writeItemOrder,
  type NewItemProps,
} from './items.ts';
import { invalid } from '../errors.ts';

function requireChecklistTitle(raw: string): string {
  const title = raw.trim();
  if (!title) throw invalid('title', 'invalid field title: checklist title must not be blank');
  if (title.length > MAX_TITLE_LENGTH) throw invalid('title', `invalid field title: must be at most ${MAX_TITLE_LENGTH} characters`);
  return title;
}

async function writeChecklistOrder(tx: Tx, ordered: ChecklistRow[]): Promise<void> {
  for (const [position, list] of ordered.entries()) {
    if (list.position !== position) await tx.updateTable('checklists').set({ position }).where('id', '=', list.id).execute();
  }
}

function checklistChanged(tx: Tx, actor: Actor, incident: IncidentRow, now: number, summary: string) {
  return appendEvent(tx, incident.id, now, { type: 'checklist_changed', summary, subjectUserId: actor.userId, creatorUserId: actor.userId });
}

/** Appends a checklist, with its items, after the run's last one. */
export function createChecklist(
  ctx: DomainContext,
  actor: Actor,
  incidentId: string,
  props: { title: string; items?: NewItemProps[] | null | undefined },
): Promise<ChecklistRow> {
  return mutateIncident(ctx, actor, incidentId, async (tx, incident, now) => {
    const title = requireChecklistTitle(props.title);
    const items = [];
    for (const [index, item] of (props.items ?? []).entries()) items.push(await validateNewItem(tx, item, `items.${index}.`));
    const list = { id: newId(), incident_id: incident.id, position: (await checklistsOf(tx, incident.id)).length, title };
    await tx.insertInto('checklists').values(list).execute();
    for (const [position, item] of items.entries()) await insertItem(tx, actor, list, position, item, now);
    await checklistChanged(tx, actor, incident, now, `added checklist **${title}**`);
    return list;
  });
}

/** Removes a checklist and its items; the checklists after it move up one place. */
export function removeChecklist(ctx: DomainContext, actor: Actor, incidentId: string, checklist: number): Promise<void> {
  return mutateIncident(ctx, actor, incidentId, async (tx, incident, now) => {
    const list = await checklistAt(tx, incident.id, checklist);
    await tx.deleteFrom('checklist_items').where('checklist_id', '=', list.id).execute();
    await tx.deleteFrom('checklists').where('id', '=', list.id).execute();
    await writeChecklistOrder(tx, await checklistsOf(tx, incident.id));
    await checklistChanged(tx, actor, incident, now, `removed checklist **${list.title}**`);
  });
}

/** Same title (after trimming): no write, no event. */
export function renameChecklist(ctx: DomainContext, actor: Actor, incidentId: string, checklist: number, newTitle: string): Promise<void> {
  return mutateIncident(ctx, actor, incidentId, async (tx, incident, now) => {
    const list = await checklistAt(tx, incident.id, checklist);
    const title = requireChecklistTitle(newTitle);
    if (title === list.title) return;
    await tx.updateTable('checklists').set({ title }).where('id', '=', list.id).execute();
    await checklistChanged(tx, actor, incident, now, `renamed checklist **${list.title}** to **${title}**`);
  });
}

export function moveChecklist(
  ctx: DomainContext,
  actor: Actor,
  incidentId: string,
  props: { source_checklist_idx: number; dest_checklist_idx: number },
): Promise<void> {
  return mutateIncident(ctx, actor, incidentId, async (tx, incident, now) => {
    const lists = await checklistsOf(tx, incident.id);
    const list = pick(lists, props.source_checklist_idx, 'source_checklist_idx', 'checklist');
    pick(lists, props.dest_checklist_idx, 'dest_checklist_idx', 'checklist position');
    if (props.source_checklist_idx === props.dest_checklist_idx) return;
    await writeChecklistOrder(tx, moved(lists, props.source_checklist_idx, props.dest_checklist_idx));
    await checklistChanged(
      tx,
      actor,
      incident,
      now,
      `moved checklist **${list.title}** from position ${props.source_checklist_idx + 1} to ${props.dest_checklist_idx + 1}`,
    );
  });
}

/**
 * Moves an item to `dest_item_idx` of another (or the same) checklist; the item keeps its id. In another
 * checklist the item may go one past the end (appended); in the same one it must land on an existing place.
 */
export function moveChecklistItem(
  ctx: DomainContext,
  actor: Actor,
  incidentId: string,
  props: { source_checklist_idx: number; source_item_idx: number; dest_checklist_idx: number; dest_item_idx: number },
): Promise<void> {
  return mutateIncident(ctx, actor, incidentId, async (tx, incident, now) => {
    const lists = await checklistsOf(tx, incident.id);
    const source = pick(lists, props.source_checklist_idx, 'source_checklist_idx', 'checklist');
    const dest = pick(lists, props.dest_checklist_idx, 'dest_checklist_idx', 'checklist');
    const sourceItems = await itemsOf(tx, source.id);
    const item = pick(sourceItems, props.source_item_idx, 'source_item_idx', 'item');
    if (source.id === dest.id) {
      pick(sourceItems, props.dest_item_idx, 'dest_item_idx', 'item position');
      if (props.source_item_idx === props.dest_item_idx) return;
      await writeItemOrder(tx, source.id, moved(sourceItems, props.source_item_idx, props.dest_item_idx), now);
      await checklistChanged(tx, actor, incident, now, `moved checklist item **${item.title}** within **${source.title}**`);
      return;
    }
    const destItems = await itemsOf(tx, dest.id);
    // One past the end appends, so the valid places are 0..length.
    pick([...destItems, item], props.dest_item_idx, 'dest_item_idx', 'item position');
    const remaining = sourceItems.filter((other) => other.id !== item.id);
    const arrived = [...destItems];
    arrived.splice(props.dest_item_idx, 0, item);
    await writeItemOrder(tx, source.id, remaining, now);
    await writeItemOrder(tx, dest.id, arrived, now);
    await checklistChanged(tx, actor, incident, now, `moved checklist item **${item.title}** from **${source.title}** to **${dest.title}**`);
  });
}

/**
 * Skips every item of a checklist that is not skipped yet. Nothing to skip: no write, no event.
 */
export function skipChecklist(ctx: DomainContext, actor: Actor, incidentId: string, checklist: number): Promise<void> {
  return mutateIncident(ctx, actor, incidentId, async (tx, incident, now) => {
    const list = await checklistAt(tx, incident.id, checklist);
    const changed = await tx
      .updateTable('checklist_items')
      .set({ state: 'skipped', state_modified: now, skipped_at: now, update_at: now })
      .where('checklist_id', '=', list.id)
      .where('state', '!=', 'skipped')
      .returning('id')
      .execute();
    if (changed.length === 0) return;
    await checklistChanged(tx, actor, incident, now, `skipped checklist **${list.title}**`);
  });
}

/**
 * Reopens the skipped items of a checklist. Playbooks reopens every item, which would also undo items
 * checked off after the skip; reopening only the skipped ones loses no work. Nothing skipped: no event.
 */
export function restoreChecklist(ctx: DomainContext, actor: Actor, incidentId: string, checklist: number): Promise<void> {
  return mutateIncident(ctx, actor, incidentId, async (tx, incident, now) => {
    const list = await checklistAt(tx, incident.id, checklist);
    const changed = await tx
      .updateTable('checklist_items')
      .set({ state: '', state_modified: now, update_at: now })
      .where('checklist_id', '=', list.id)
      .where('state', '=', 'skipped')
      .returning('id')
      .execute();
    if (changed.length === 0) return;
    await checklistChanged(tx, actor, incident, now, `restored checklist **${list.title}**`);
  });
}
