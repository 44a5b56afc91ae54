// Owned by the checklists work: items and checklists of a run, addressed by index as Playbooks does.
import type { Tx } from '../../store/db.ts';
import type { ItemState } from '../../store/schema.ts';
import type { Actor, DomainContext } from '../context.ts';
import type { IncidentRow } from '../incidents/types.ts';

export async function setItemStateInTx(
  _tx: Tx,
  _ctx: DomainContext,
  _actor: Actor,
  _incident: IncidentRow,
  _checklist: number,
  _item: number,
  _state: ItemState,
): Promise<void> {
  throw new Error('not implemented');
}
