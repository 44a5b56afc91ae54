// An alert reaching an integration: the first alert of a dedup key opens an incident, later ones land on
// its timeline, a resolved one (with auto_resolve) resolves it. "One open incident per key" is the unique
// index of alert_groups: concurrent first alerts race on its INSERT, and the losers join the winner's incident.
import { newId } from '../../lib/ids.ts';
import { transaction, type Tx } from '../../store/db.ts';
import { alertGroupsRepo, type IntegrationRow } from '../../store/intake.repo.ts';
import { SYSTEM_ACTOR, type DomainContext } from '../context.ts';
import { conflict } from '../errors.ts';
import { claimIdempotencyKey, committedReplay, completeIdempotencyKey, currentIdempotencyKey } from '../idempotency.ts';
import { declareInTx } from '../incidents/create.ts';
import { mutateIncidentGrouped } from '../incidents/group-commit.ts';
import { finishIncidentInTx } from '../incidents/lifecycle.ts';
import { mutateIncidentInTx } from '../incidents/mutate.ts';
import type { IncidentRow } from '../incidents/types.ts';
import { appendEvent, type NewEvent } from '../timeline/append.ts';
import { findUsableSeverity } from '../severities-admin.ts';
import { severityCandidates, type Alert } from './alert.ts';

export interface AlertReceipt {
  /** The incident the alert belongs to ('' when a resolved alert found no open incident). */
  incidentId: string;
  /** True when this alert opened the incident. */
  opened: boolean;
  /** True when the incident was resolved by this alert (auto_resolve). */
  resolved: boolean;
  /** Why nothing was recorded, when nothing was. */
  ignored?: string;
}

/** The incident's group was closed (it was resolved) between reading the group and writing to it. */
class GroupClosed extends Error {}

function alertEvent(alert: Alert): NewEvent {
  return { type: 'alert_received', summary: alert.summary, details: alert.details, creatorUserId: '', tags: [alert.status] };
}

/** Records one alert of an integration (see the file comment). */
export async function receiveAlert(ctx: DomainContext, integration: IntegrationRow, alert: Alert): Promise<AlertReceipt> {
  // The common case in a storm: the group is open and the alert is one more note on it, merged by the group
  // commit with its neighbours. An Idempotency-Key or an auto-resolve needs the one-transaction path.
  const autoResolves = alert.status === 'resolved' && integration.auto_resolve;
  if (!currentIdempotencyKey() && !autoResolves) {
    const group = await alertGroupsRepo.open(ctx.db, integration.id, alert.dedupKey);
    if (group) {
      const appended = await appendToOpenIncident(ctx, group.incident_id, alert).catch((err: unknown) => {
        if (err instanceof GroupClosed) return undefined;
        throw err;
      });
      if (appended) return appended;
    }
  }
  const committed = await committedReplay(ctx.db, ctx.clock.now());
  if (committed) return repeatOf(committed);
  return transaction(ctx.db, (tx) => receiveInTx(tx, ctx, integration, alert));
}

const repeatOf = (incidentId: string): AlertReceipt => ({ incidentId, opened: false, resolved: false, ignored: 'a repeat of an earlier request (Idempotency-Key)' });

function appendToOpenIncident(ctx: DomainContext, incidentId: string, alert: Alert): Promise<AlertReceipt> {
  return mutateIncidentGrouped(ctx, SYSTEM_ACTOR, incidentId, (incident, now) => {
    if (incident.status !== 'active') throw new GroupClosed();
    return { appends: [{ event: alertEvent(alert), now }], result: () => ({ incidentId, opened: false, resolved: false }) };
  });
}

async function receiveInTx(tx: Tx, ctx: DomainContext, integration: IntegrationRow, alert: Alert): Promise<AlertReceipt> {
  const now = ctx.clock.now();
  const earlier = await claimIdempotencyKey(tx, now);
  if (earlier !== undefined) return repeatOf(earlier);
  let receipt: AlertReceipt | undefined;
  // Twice at most: a claim lost to a transaction that then rolled back finds no group, and claims again.
  for (let round = 0; round < 2 && !receipt; round++) {
    const group = await alertGroupsRepo.open(tx, integration.id, alert.dedupKey);
    if (group) receipt = await recordOnIncident(tx, ctx, group.incident_id, alert, integration.auto_resolve);
    else if (alert.status === 'resolved') receipt = { incidentId: '', opened: false, resolved: false, ignored: 'no open incident for this alert group' };
    else receipt = await openIncident(tx, ctx, integration, alert, now);
  }
  if (!receipt) throw conflict('the alert group changed while the alert was recorded; send it again');
  await completeIdempotencyKey(tx, receipt.incidentId);
  return receipt;
}

async function recordOnIncident(tx: Tx, ctx: DomainContext, incidentId: string, alert: Alert, autoResolve: boolean): Promise<AlertReceipt> {
  return mutateIncidentInTx(tx, ctx, SYSTEM_ACTOR, incidentId, async (_tx, incident: IncidentRow, now) => {
    await appendEvent(tx, incident.id, now, alertEvent(alert));
    const resolves = autoResolve && alert.status === 'resolved' && incident.status === 'active';
    if (resolves) await finishIncidentInTx(tx, ctx, SYSTEM_ACTOR, incident);
    return { incidentId: incident.id, opened: false, resolved: resolves };
  });
}

/** Claims the key's group, then declares its incident in the same transaction; undefined when the claim was lost. */
async function openIncident(tx: Tx, ctx: DomainContext, integration: IntegrationRow, alert: Alert, now: number): Promise<AlertReceipt | undefined> {
  const claimed = await alertGroupsRepo.claim(tx, { id: newId(), integration_id: integration.id, dedup_key: alert.dedupKey, incident_id: '', create_at: now, update_at: now });
  if (!claimed) return undefined;
  const declared = await declareInTx(tx, ctx, SYSTEM_ACTOR, {
    name: alert.title,
    team_id: integration.team_id,
    playbook_id: integration.playbook_id || undefined,
    origin: 'intake',
    severity: await severityOf(tx, alert.severity),
    labels: alert.labels,
    summary: `Opened by the ${integration.kind} integration "${integration.name}".`,
  });
  await alertGroupsRepo.setIncident(tx, claimed.id, declared.incident.id);
  await appendEvent(tx, declared.incident.id, now, alertEvent(alert));
  return { incidentId: declared.incident.id, opened: true, resolved: false };
}

async function severityOf(tx: Tx, asked: string): Promise<string | undefined> {
  for (const candidate of severityCandidates(asked)) {
    const found = await findUsableSeverity(tx, candidate);
    if (found) return found.label;
  }
  return undefined;
}
