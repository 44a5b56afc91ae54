// Owned by the run-lifecycle work: finish/restore, owner, status updates, reminders, stages, followers.
// Each write has a `...InTx` form (for composition, e.g. slash commands) and a wrapper using mutateIncident.
import type { Tx } from '../../store/db.ts';
import type { Actor, DomainContext } from '../context.ts';
import type { IncidentRow } from './types.ts';

export interface StatusUpdateProps {
  message: string;
  /** Seconds until the next reminder; 0 or absent schedules none. */
  reminder?: number | undefined;
  finish_run?: boolean | undefined;
}

export async function finishIncidentInTx(_tx: Tx, _ctx: DomainContext, _actor: Actor, _incident: IncidentRow): Promise<void> {
  throw new Error('not implemented');
}

export async function changeOwnerInTx(
  _tx: Tx,
  _ctx: DomainContext,
  _actor: Actor,
  _incident: IncidentRow,
  _ownerId: string,
): Promise<void> {
  throw new Error('not implemented');
}

export async function postStatusUpdateInTx(
  _tx: Tx,
  _ctx: DomainContext,
  _actor: Actor,
  _incident: IncidentRow,
  _props: StatusUpdateProps,
): Promise<void> {
  throw new Error('not implemented');
}
