// An item's due date (Playbooks' `PUT …/item/{i}/duedate`): epoch ms, 0 clears it.
import type { Tx } from '../../store/db.ts';
import type { Actor, DomainContext } from '../context.ts';
import { invalid } from '../errors.ts';
import { mutateIncident } from '../incidents/mutate.ts';
import type { IncidentRow } from '../incidents/types.ts';
import { appendEvent } from '../timeline/append.ts';
import { itemAt } from './items.ts';

/** Sets or clears an item's due date. Same value: no write, no event. Incident locked. */
export async function setItemDueDateInTx(tx: Tx, actor: Actor, incident: IncidentRow, checklist: number, index: number, dueDate: number, now: number): Promise<void> {
  if (!Number.isSafeInteger(dueDate) || dueDate < 0) throw invalid('due_date', 'invalid field due_date: must be epoch milliseconds, or 0 to clear');
  const { item } = await itemAt(tx, incident.id, checklist, index);
  if (item.due_date === dueDate) return;
  await tx.updateTable('checklist_items').set({ due_date: dueDate, update_at: now }).where('id', '=', item.id).execute();
  await appendEvent(tx, incident.id, now, {
    type: 'task_updated',
    summary: dueDate === 0 ? `cleared the due date of checklist item **${item.title}**` : `set the due date of checklist item **${item.title}**`,
    details: { item_id: item.id, changed: ['due_date'], due_date: dueDate },
    subjectUserId: actor.userId,
    creatorUserId: actor.userId,
  });
}

export function setItemDueDate(ctx: DomainContext, actor: Actor, incidentId: string, checklist: number, index: number, dueDate: number): Promise<void> {
  return mutateIncident(ctx, actor, incidentId, (tx, incident, now) => setItemDueDateInTx(tx, actor, incident, checklist, index, dueDate, now));
}
