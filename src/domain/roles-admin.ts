// The organisation's incident roles (Grafana RolesService). commander, investigator and observer are built
// in: the RPC API assigns them by name and commander is the Playbooks owner, so they keep their names.
import { sql } from 'kysely';
import { transaction, type Executor, type Tx } from '../store/db.ts';
import type { Actor, DomainContext } from './context.ts';
import { conflict, forbidden, invalidInput, notFound } from './errors.ts';
import { allRoles, COMMANDER_ROLE_ID, type RoleRow } from './incidents/roles.ts';

export const BUILT_IN_ROLES = new Set(['commander', 'investigator', 'observer']);
const MAX_ROLE_NAME = 64;
const MAX_ROLE_DESCRIPTION = 1024;

export interface RoleProps {
  name: string;
  description?: string | undefined;
  important?: boolean | undefined;
  mandatory?: boolean | undefined;
  maxPeople?: number | undefined;
}

function requireAdmin(actor: Actor): void {
  if (!actor.isAdmin) throw forbidden('only a system admin may change the roles of the organisation');
}

function cleanName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw invalidInput('role_name', 'must not be blank');
  if (trimmed.length > MAX_ROLE_NAME) throw invalidInput('role_name', `must be at most ${MAX_ROLE_NAME} characters`);
  return trimmed;
}

function checkProps(props: RoleProps): void {
  if ((props.description?.length ?? 0) > MAX_ROLE_DESCRIPTION) {
    throw invalidInput('role_description', `must be at most ${MAX_ROLE_DESCRIPTION} characters`);
  }
  if (props.maxPeople !== undefined && (!Number.isInteger(props.maxPeople) || props.maxPeople < 0)) {
    throw invalidInput('role_max_people', 'must be a whole number, 0 for no limit');
  }
}

/** Names are unique regardless of case, so `Commander` cannot shadow `commander` in AssignRole. */
async function requireFreeName(tx: Tx, name: string, exceptId = 0): Promise<void> {
  const taken = await tx
    .selectFrom('roles')
    .select('id')
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .where('id', '!=', exceptId)
    .executeTakeFirst();
  if (taken) throw conflict(`a role named "${name}" already exists`, 'role_name');
}

async function lockRole(tx: Tx, roleId: number): Promise<RoleRow> {
  const role = await tx.selectFrom('roles').selectAll().where('id', '=', roleId).forUpdate().executeTakeFirst();
  if (!role) throw notFound(`role ${roleId} not found`);
  return role;
}

/** A unique-name race lost to a concurrent writer is the same 409 as the check above. */
function uniqueViolationToConflict(name: string) {
  return (err: unknown): never => {
    if ((err as { code?: string }).code === '23505') throw conflict(`a role named "${name}" already exists`, 'role_name');
    throw err;
  };
}

export function listRoles(ex: Executor): Promise<RoleRow[]> {
  return allRoles(ex);
}

export async function createRole(ctx: DomainContext, actor: Actor, props: RoleProps): Promise<RoleRow> {
  requireAdmin(actor);
  const name = cleanName(props.name);
  checkProps(props);
  return transaction(ctx.db, async (tx) => {
    await requireFreeName(tx, name);
    const now = ctx.clock.now();
    return tx
      .insertInto('roles')
      .values({
        name,
        description: props.description ?? '',
        important: props.important ?? false,
        mandatory: props.mandatory ?? false,
        max_people: props.maxPeople ?? 0,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }).catch(uniqueViolationToConflict(name));
}

/** Sets the name and whatever else is given (the rest is kept). Built-in roles keep their names. */
export async function updateRole(ctx: DomainContext, actor: Actor, roleId: number, props: RoleProps): Promise<RoleRow> {
  requireAdmin(actor);
  const name = cleanName(props.name);
  checkProps(props);
  return transaction(ctx.db, async (tx) => {
    const role = await lockRole(tx, roleId);
    if (BUILT_IN_ROLES.has(role.name) && name !== role.name) {
      throw invalidInput('role_name', `the name of the built-in role ${role.name} cannot change`);
    }
    // The commander is the incident's one owner.
    if (role.id === COMMANDER_ROLE_ID && props.maxPeople !== undefined && props.maxPeople !== 1) {
      throw invalidInput('role_max_people', 'the commander role is held by exactly one person: must be 1');
    }
    await requireFreeName(tx, name, role.id);
    return tx
      .updateTable('roles')
      .set({
        name,
        description: props.description ?? role.description,
        important: props.important ?? role.important,
        mandatory: props.mandatory ?? role.mandatory,
        max_people: props.maxPeople ?? role.max_people,
        updated_at: ctx.clock.now(),
      })
      .where('id', '=', role.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }).catch(uniqueViolationToConflict(name));
}

/**
 * Deletes a role nobody holds. The FK from incident_role_assignments makes a concurrent first assignment
 * either wait for this delete or fail it; the latter is reported as the same 409.
 */
export async function deleteRole(ctx: DomainContext, actor: Actor, roleId: number): Promise<void> {
  requireAdmin(actor);
  const held = conflict(`role ${roleId}: the role is held in an incident; unassign it everywhere (or archive the role) first`, 'role_id');
  await transaction(ctx.db, async (tx) => {
    const role = await lockRole(tx, roleId);
    if (BUILT_IN_ROLES.has(role.name)) throw invalidInput('role_id', `${role.id} is the built-in role ${role.name}, which cannot be deleted`);
    const holder = await tx.selectFrom('incident_role_assignments').select('incident_id').where('role_id', '=', role.id).executeTakeFirst();
    if (holder) throw held;
    await tx.deleteFrom('roles').where('id', '=', role.id).execute();
  }).catch((err: unknown) => {
    if ((err as { code?: string }).code === '23503') throw held;
    throw err;
  });
}

/** Archived roles stay on the incidents that hold them but cannot be newly assigned. */
export async function setRoleArchived(ctx: DomainContext, actor: Actor, roleId: number, archived: boolean): Promise<void> {
  requireAdmin(actor);
  await transaction(ctx.db, async (tx) => {
    const role = await lockRole(tx, roleId);
    if (archived && role.id === COMMANDER_ROLE_ID) throw invalidInput('role_id', `${role.id} is the commander role, which cannot be archived`);
    if (role.archived === archived) return;
    await tx.updateTable('roles').set({ archived, updated_at: ctx.clock.now() }).where('id', '=', role.id).execute();
  });
}
