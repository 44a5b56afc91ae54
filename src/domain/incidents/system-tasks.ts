import type { Tx } from '../../store/db.ts';
import type { Actor } from '../context.ts';
import { appendEvent } from '../timeline/append.ts';

/** Marks a Grafana system task done once the change it asks for has happened (no-op if absent or done). */
export async function completeSystemTask(tx: Tx, actor: Actor, incidentId: string, key: string, now: number): Promise<void> {
  const task = await tx
    .selectFrom('checklist_items')
    .select(['id', 'title', 'state'])
    .where('incident_id', '=', incidentId)
    .where('system_key', '=', key)
    .executeTakeFirst();
  if (!task || task.state === 'closed') return;
  await tx.updateTable('checklist_items').set({ state: 'closed', state_modified: now, update_at: now }).where('id', '=', task.id).execute();
  await appendEvent(tx, incidentId, now, {
    type: 'task_state_modified',
    summary: `checked off checklist item **${task.title}**`,
    details: { task_id: task.id, old_state: task.state, new_state: 'closed' },
    creatorUserId: actor.userId,
  });
}

