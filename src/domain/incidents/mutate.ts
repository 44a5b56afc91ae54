import { noteIncidentChange, transaction, type Tx } from '../../store/db.ts';
import { lockIncidentForWrite } from '../access.ts';
import type { Actor, DomainContext } from '../context.ts';
import { requireVersion } from '../preconditions.ts';
import { eventsRaiseWebhooks, recordIncidentWebhooks } from '../incident-webhooks.ts';
import { eventTypesAppended, resetAppended } from '../timeline/append.ts';
import type { IncidentRow } from './types.ts';

/** A write's change: runs with the incident locked, appends its own timeline event through appendEvent. */
export type IncidentChange<T> = (tx: Tx, incident: IncidentRow, now: number) => Promise<T>;

/**
 * The shape of every write to an incident: one transaction, the incident row locked (so concurrent writes
 * to one incident are serialised and none is lost), the actor's right to change it checked first.
 * `change` appends its own timeline event through `appendEvent` in the same transaction.
 */
export function mutateIncident<T>(
  ctx: DomainContext,
  actor: Actor,
  incidentId: string,
  change: IncidentChange<T>,
): Promise<T> {
  return transaction(ctx.db, (tx) => mutateIncidentInTx(tx, ctx, actor, incidentId, change));
}

/** mutateIncident inside the caller's transaction (which then holds the incident's row lock until it ends). */
export async function mutateIncidentInTx<T>(tx: Tx, ctx: DomainContext, actor: Actor, incidentId: string, change: IncidentChange<T>): Promise<T> {
  const incident = await lockIncidentForWrite(tx, actor, incidentId);
  requireVersion('incident', incident.id, incident.version); // If-Match, against the locked row
  // Only this incident (and its channel's members) changes: cached reads of other incidents stay valid.
  noteIncidentChange(incident);
  resetAppended(tx);
  const result = await change(tx, incident, ctx.clock.now());
  // Outgoing Grafana webhooks for the events this change appended (seq above the locked row's). Every
  // event goes through appendEvent, so when none of their types raises a webhook there is nothing to read.
  if (eventsRaiseWebhooks(eventTypesAppended(tx))) await recordIncidentWebhooks(tx, ctx, incident.id, incident.last_event_seq);
  return result;
}
