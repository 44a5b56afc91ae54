import { newId } from '../../lib/ids.ts';
import type { Executor } from '../../store/db.ts';
import { incidentsRepo } from '../../store/incidents.repo.ts';
import type { TimelineEventRow, TimelineEventType } from '../incidents/types.ts';

export interface NewEvent {
  type: TimelineEventType;
  summary?: string;
  details?: string | Record<string, unknown>;
  postId?: string;
  subjectUserId?: string;
  creatorUserId: string;
  /** When the thing happened; defaults to now. */
  eventAt?: number;
  /** RPC activity attributes. */
  url?: string;
  tags?: string[];
}

/**
 * Appends one timeline event and bumps the incident's version. Must run in the transaction that made the
 * change, so a change and its event land together or not at all. seq is gapless per incident.
 */
export async function appendEvent(ex: Executor, incidentId: string, now: number, event: NewEvent): Promise<TimelineEventRow> {
  const bumped = await ex
    .updateTable('incidents')
    .set((eb) => ({ last_event_seq: eb('last_event_seq', '+', 1), version: eb('version', '+', 1), modified_at: now }))
    .where('id', '=', incidentId)
    .returning('last_event_seq')
    .executeTakeFirstOrThrow();
  const row = {
    id: newId(),
    incident_id: incidentId,
    seq: bumped.last_event_seq,
    event_type: event.type,
    event_at: event.eventAt ?? now,
    create_at: now,
    delete_at: 0,
    summary: event.summary ?? '',
    details: typeof event.details === 'string' ? event.details : event.details ? JSON.stringify(event.details) : '',
    post_id: event.postId ?? '',
    subject_user_id: event.subjectUserId ?? '',
    creator_user_id: event.creatorUserId,
  };
  await incidentsRepo.insertEvent(ex, { ...row, url: event.url ?? '', tags: JSON.stringify(event.tags ?? []) });
  return { ...row, url: event.url ?? '', tags: event.tags ?? [], attachments: [], relevance: '' };
}
