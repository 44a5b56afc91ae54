// Incident attributes that the Grafana RPC API changes: severity, drill flag, labels, event times, roles.
// Each `...InTx` runs inside mutateIncident (incident locked, edit right checked) and appends its event.
import { sql } from 'kysely';
import { channelsRepo } from '../../store/channels.repo.ts';
import type { Tx } from '../../store/db.ts';
import { incidentsRepo } from '../../store/incidents.repo.ts';
import { usersRepo } from '../../store/users.repo.ts';
import { usernameOf } from '../channels/channels.ts';
import type { Actor, DomainContext } from '../context.ts';
import { conflict, invalid, invalidInput, notFound } from '../errors.ts';
import { ensureTagsOption, TAGS_KEY } from '../fields/catalogue.ts';
import { labelText, unassignLabelInTx } from '../fields/labels.ts';
import { appendEvent } from '../timeline/append.ts';
import { changeOwnerInTx } from './lifecycle.ts';
import { completeSystemTask } from './system-tasks.ts';
import { resolveSeverity } from './severities.ts';
import { COMMANDER_ROLE_ID, type RoleRow } from './roles.ts';
import type { IncidentRow } from './types.ts';

async function who(tx: Tx, actor: Actor): Promise<string> {
  return actor.userId ? `@${await usernameOf(tx, actor.userId)}` : 'system';
}

export async function setSeverityInTx(tx: Tx, actor: Actor, incident: IncidentRow, value: string, now: number): Promise<void> {
  const severity = await resolveSeverity(tx, value);
  if (severity === (incident.severity || 'pending')) return;
  await incidentsRepo.update(tx, incident.id, { severity });
  await appendEvent(tx, incident.id, now, {
    type: 'severity_changed',
    summary: `${await who(tx, actor)} changed the severity from ${incident.severity || 'pending'} to ${severity}`,
    details: { from: incident.severity, to: severity },
    creatorUserId: actor.userId,
  });
  if (severity !== 'pending') await completeSystemTask(tx, actor, incident.id, 'must-choose-severity', now);
}

export async function setDrillInTx(tx: Tx, actor: Actor, incident: IncidentRow, isDrill: boolean, now: number): Promise<void> {
  if (incident.is_drill === isDrill) return;
  await incidentsRepo.update(tx, incident.id, { is_drill: isDrill });
  await appendEvent(tx, incident.id, now, {
    type: 'drill_changed',
    summary: `${await who(tx, actor)} ${isDrill ? 'marked the incident as a drill' : 'marked the incident as real (not a drill)'}`,
    details: { is_drill: isDrill },
    creatorUserId: actor.userId,
  });
}

export interface LabelProps {
  label: string;
  description?: string | undefined;
  color_hex?: string | undefined;
}

/** Adds a label; an existing label keeps its place and gets the new description and colour. */
export async function addLabelInTx(tx: Tx, actor: Actor, incident: IncidentRow, props: LabelProps, now: number): Promise<void> {
  const label = props.label.trim();
  if (!label) throw invalidInput('label', 'must not be blank');
  if (label.length > 128) throw invalidInput('label', 'must be at most 128 characters');
  if (props.color_hex && !/^#[0-9a-fA-F]{3,8}$/.test(props.color_hex)) throw invalidInput('label_color', 'must look like #rrggbb');
  const existing = await tx
    .selectFrom('incident_labels')
    .selectAll()
    .where('incident_id', '=', incident.id)
    .where('key', '=', TAGS_KEY)
    .where('label', '=', label)
    .executeTakeFirst();
  const description = props.description ?? existing?.description ?? '';
  const colorHex = props.color_hex ?? existing?.color_hex ?? '';
  if (existing && existing.description === description && existing.color_hex === colorHex) return;
  await tx
    .insertInto('incident_labels')
    .values({ incident_id: incident.id, label, description, color_hex: colorHex, create_at: now })
    .onConflict((oc) => oc.columns(['incident_id', 'key', 'label']).doUpdateSet({ description, color_hex: colorHex }))
    .execute();
  await ensureTagsOption(tx, label, colorHex, now);
  await appendEvent(tx, incident.id, now, {
    type: 'label_added',
    summary: `${await who(tx, actor)} added the label ${label}`,
    details: { label },
    creatorUserId: actor.userId,
  });
}

/** What RemoveLabel takes off: one label (`key` defaults to the plain labels' key), or every label of `key`. */
export interface LabelRemoval {
  label: string;
  key?: string | undefined;
}

/**
 * Removes a label: `label` alone is a plain label, `key` + `label` one key:value label, `key` with an empty
 * `label` every label of that key (the documented request sends `label: ""`). 404 when nothing matches.
 */
export async function removeLabelInTx(tx: Tx, actor: Actor, incident: IncidentRow, removal: LabelRemoval, now: number): Promise<void> {
  const label = removal.label.trim();
  const key = removal.key?.trim() || '';
  if (!label && !key) throw invalidInput('label', 'send the label to remove, or a key to remove every label of that key');
  if (label && key && key !== TAGS_KEY) return unassignLabelInTx(tx, actor, incident, { key, value: label }, now);
  let q = tx.deleteFrom('incident_labels').where('incident_id', '=', incident.id);
  q = label ? q.where('key', '=', TAGS_KEY).where('label', '=', label) : q.where(sql<string>`lower(key)`, '=', key.toLowerCase());
  const removed = await q.returning(['key', 'label']).execute();
  if (removed.length === 0) throw notFound(label ? `the incident has no label "${label}"` : `the incident has no label of the key "${key}"`);
  for (const row of removed) {
    await appendEvent(tx, incident.id, now, {
      type: 'label_removed',
      summary: `${await who(tx, actor)} removed the label ${labelText(row.key, row.label)}`,
      details: row.key === TAGS_KEY ? { label: row.label } : { key: row.key, label: row.label },
      creatorUserId: actor.userId,
    });
  }
}

export type EventTimeKind = 'incidentStart' | 'incidentEnd';

export async function setEventTimeInTx(tx: Tx, actor: Actor, incident: IncidentRow, kind: EventTimeKind, at: number, now: number): Promise<void> {
  const column = kind === 'incidentStart' ? 'incident_start' : 'incident_end';
  const start = kind === 'incidentStart' ? at : incident.incident_start || incident.create_at;
  const end = kind === 'incidentEnd' ? at : incident.incident_end || incident.end_at;
  if (end && start > end) {
    const other = kind === 'incidentStart' ? `its end (${new Date(end).toISOString()})` : `its start (${new Date(start).toISOString()})`;
    throw invalidInput('event_time', `the incident cannot start after it ends: send a time ${kind === 'incidentStart' ? 'before' : 'after'} ${other}`);
  }
  if (incident[column] === at) return;
  await incidentsRepo.update(tx, incident.id, { [column]: at });
  await appendEvent(tx, incident.id, now, {
    type: 'event_time_changed',
    summary: `${await who(tx, actor)} set the incident ${kind === 'incidentStart' ? 'start' : 'end'} time to ${new Date(at).toISOString()}`,
    details: { kind, at },
    eventAt: at,
    creatorUserId: actor.userId,
  });
}

async function requireUser(tx: Tx, userId: string) {
  const user = await usersRepo.byId(tx, userId);
  if (!user || user.delete_at !== 0) throw invalidInput('user', `unknown user ${userId}`);
  return user;
}

/**
 * Gives `userId` the role. Commander is the Playbooks owner, so assigning it changes the owner. Returns
 * whether anything changed (Grafana's `didChange`).
 */
export async function assignRoleInTx(
  tx: Tx,
  ctx: DomainContext,
  actor: Actor,
  incident: IncidentRow,
  role: RoleRow,
  userId: string,
): Promise<boolean> {
  const user = await requireUser(tx, userId);
  const now = ctx.clock.now();
  if (role.archived) throw invalid('role', `the role ${role.name} is archived`);
  if (role.id === COMMANDER_ROLE_ID) {
    if (incident.owner_user_id === user.id) return false;
    await changeOwnerInTx(tx, ctx, actor, incident, user.id);
    await completeSystemTask(tx, actor, incident.id, 'assign-role-commander', now);
    return true;
  }
  const holders = await tx
    .selectFrom('incident_role_assignments')
    .select('user_id')
    .where('incident_id', '=', incident.id)
    .where('role_id', '=', role.id)
    .execute();
  if (holders.some((h) => h.user_id === user.id)) return false;
  if (role.max_people > 0 && holders.length >= role.max_people) {
    throw conflict(`the role ${role.name} is already held by ${holders.length} of at most ${role.max_people} people`, 'role');
  }
  await tx.insertInto('incident_role_assignments').values({ incident_id: incident.id, role_id: role.id, user_id: user.id, create_at: now }).execute();
  await channelsRepo.addMember(tx, incident.channel_id, user.id, now);
  await appendEvent(tx, incident.id, now, {
    type: 'role_assigned',
    summary: `${await who(tx, actor)} assigned ${role.name} to @${user.username}`,
    details: { role: role.name, role_id: role.id },
    subjectUserId: user.id,
    creatorUserId: actor.userId,
  });
  if (role.name === 'investigator') await completeSystemTask(tx, actor, incident.id, 'assign-role-investigator', now);
  return true;
}

/** Takes the role from `userId`; removing the commander leaves the incident without an owner. */
export async function unassignRoleInTx(
  tx: Tx,
  ctx: DomainContext,
  actor: Actor,
  incident: IncidentRow,
  role: RoleRow,
  userId: string,
): Promise<boolean> {
  const user = await requireUser(tx, userId);
  const now = ctx.clock.now();
  if (role.id === COMMANDER_ROLE_ID) {
    if (incident.owner_user_id !== user.id) return false;
    await incidentsRepo.update(tx, incident.id, { owner_user_id: '' });
    await appendEvent(tx, incident.id, now, {
      type: 'owner_changed',
      summary: `${await who(tx, actor)} removed @${user.username} as commander`,
      details: { from: user.id, to: '' },
      subjectUserId: user.id,
      creatorUserId: actor.userId,
    });
    return true;
  }
  const removed = await tx
    .deleteFrom('incident_role_assignments')
    .where('incident_id', '=', incident.id)
    .where('role_id', '=', role.id)
    .where('user_id', '=', user.id)
    .returning('user_id')
    .executeTakeFirst();
  if (!removed) return false;
  await appendEvent(tx, incident.id, now, {
    type: 'role_unassigned',
    summary: `${await who(tx, actor)} unassigned ${role.name} from @${user.username}`,
    details: { role: role.name, role_id: role.id },
    subjectUserId: user.id,
    creatorUserId: actor.userId,
  });
  return true;
}
