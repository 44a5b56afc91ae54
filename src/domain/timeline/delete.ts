import type { Actor, DomainContext } from '../context.ts';
import { notFound } from '../errors.ts';
import { mutateIncident } from '../incidents/mutate.ts';

/**
 * Soft-deletes one timeline event of a run (`delete_at` = now); it then drops out of the run's timeline.
 * An unknown, already deleted, or other run's event is a 404.
 *
 * Deleting an event appends no event of its own: "deleted event X" would itself be deletable, and so on
 * without end, and the timeline is the thing being curated. The run still changed, so its version and
 * modified time are bumped directly (not through appendEvent, which would also consume a seq number).
 */
export function deleteTimelineEvent(ctx: DomainContext, actor: Actor, incidentId: string, eventId: string): Promise<void> {
  return mutateIncident(ctx, actor, incidentId, async (tx, incident, now) => {
    const deleted = await tx
      .updateTable('timeline_events')
      .set({ delete_at: now })
      .where('incident_id', '=', incident.id)
      .where('id', '=', eventId)
      .where('delete_at', '=', 0)
      .returning('id')
      .executeTakeFirst();
    if (!deleted) throw notFound();
    await tx
      .updateTable('incidents')
      .set((eb) => ({ version: eb('version', '+', 1), modified_at: now }))
      .where('id', '=', incident.id)
      .execute();
  });
}
