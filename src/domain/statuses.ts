// The organisation's incident statuses (Grafana StatusService): named statuses over the run's two states.
// Category `active` is a run in progress, `resolved` a finished one; the built-in Active and Resolved of
// each incident type are immutable. Key updates snapshot a status id. Only system admins change them.
import { sql, type Selectable } from 'kysely';
import { newId } from '../lib/ids.ts';
import { transaction, type Executor } from '../store/db.ts';
import type { OrgStatusesTable } from '../store/schema.ts';
import type { Actor, DomainContext } from './context.ts';
import { conflict, forbidden, invalid, invalidInput, notFound } from './errors.ts';

export type StatusRow = Selectable<OrgStatusesTable>;
export const INCIDENT_TYPES = ['internal', 'private'] as const;
export const STATUS_CATEGORIES = ['active', 'resolved'] as const;
export const STATUS_ICONS = ['clock', 'info-circle', 'exclamation-circle', 'question-circle', 'check-circle'] as const;

export interface StatusProps {
  incidentType: string;
  name: string;
  description: string;
  category: string;
  color: string;
  icon: string;
}

function requireAdmin(actor: Actor): void {
  if (!actor.isAdmin) throw forbidden('only a system admin may change the incident statuses of the organisation');
}

function check(props: StatusProps) {
  const name = props.name.trim();
  if (!name) throw invalid('name', 'name must not be blank');
  if (name.length > 64) throw invalid('name', 'name must be at most 64 characters');
  if (props.description.length > 1024) throw invalid('description', 'description must be at most 1024 characters');
  if (props.color && !/^#[0-9a-fA-F]{3,8}$/.test(props.color)) throw invalid('color', 'color must be a hex colour such as #e02f44');
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'status';
  return { name, slug, incident_type: (props.incidentType || 'internal') as StatusRow['incident_type'], category: props.category as StatusRow['category'] };
}

export async function listStatuses(ex: Executor, incidentType: string): Promise<StatusRow[]> {
  let q = ex.selectFrom('org_statuses').selectAll().orderBy('incident_type').orderBy('position').orderBy('id');
  if (incidentType) q = q.where('incident_type', '=', incidentType as StatusRow['incident_type']);
  return q.execute();
}

export async function getStatus(ex: Executor, id: string): Promise<StatusRow> {
  const row = await ex.selectFrom('org_statuses').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`status ${id} not found`);
  return row;
}

function uniqueName(name: string) {
  return (err: unknown): never => {
    if ((err as { code?: string }).code === '23505') throw conflict(`name "${name}": a status with this name already exists for the incident type`, 'name');
    throw err;
  };
}

export function createStatus(ctx: DomainContext, actor: Actor, props: StatusProps): Promise<StatusRow> {
  requireAdmin(actor);
  const def = check(props);
  return transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const last = await tx.selectFrom('org_statuses').select(sql<number>`coalesce(max(position), 0)`.as('p')).where('incident_type', '=', def.incident_type).executeTakeFirst();
    return tx
      .insertInto('org_statuses')
      .values({ id: newId(), ...def, description: props.description, color: props.color, icon: props.icon, position: Number(last?.p ?? 0) + 1, create_at: now, update_at: now })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch(uniqueName(def.name));
  });
}

export function updateStatus(ctx: DomainContext, actor: Actor, id: string, props: StatusProps): Promise<StatusRow> {
  requireAdmin(actor);
  const def = check(props);
  return transaction(ctx.db, async (tx) => {
    const row = await tx.selectFrom('org_statuses').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw notFound(`status ${id} not found`);
    if (row.immutable) throw conflict(`the built-in status ${row.name} (${row.incident_type}) is immutable`, 'status_id');
    if (def.incident_type !== row.incident_type) throw invalidInput('incident_type', `cannot change (the status belongs to ${row.incident_type})`);
    return tx
      .updateTable('org_statuses')
      .set({ name: def.name, slug: def.slug, category: def.category, description: props.description, color: props.color, icon: props.icon, update_at: ctx.clock.now() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch(uniqueName(def.name));
  });
}
