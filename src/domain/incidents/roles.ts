import type { Selectable } from 'kysely';
import type { Executor } from '../../store/db.ts';
import type { RolesTable } from '../../store/schema.ts';

export type RoleRow = Selectable<RolesTable>;
export const COMMANDER_ROLE_ID = 1;

export interface RoleAssignment {
  incident_id: string;
  role_id: number;
  user_id: string;
}

/** All roles of the organisation, archived ones included, by id. */
export async function allRoles(ex: Executor): Promise<RoleRow[]> {
  return ex.selectFrom('roles').selectAll().orderBy('id').execute();
}

/**
 * Role assignments of incidents. The commander is the Playbooks owner (incidents.owner_user_id), so it is
 * derived here rather than stored twice.
 */
export async function assignmentsOf(
  ex: Executor,
  incidents: Array<{ id: string; owner_user_id: string }>,
): Promise<Map<string, RoleAssignment[]>> {
  const map = new Map<string, RoleAssignment[]>();
  for (const incident of incidents) {
    map.set(incident.id, incident.owner_user_id ? [{ incident_id: incident.id, role_id: COMMANDER_ROLE_ID, user_id: incident.owner_user_id }] : []);
  }
  if (incidents.length === 0) return map;
  const rows = await ex
    .selectFrom('incident_role_assignments')
    .select(['incident_id', 'role_id', 'user_id'])
    .where(
      'incident_id',
      'in',
      incidents.map((i) => i.id),
    )
    .orderBy('create_at')
    .orderBy('user_id')
    .execute();
  for (const row of rows) map.get(row.incident_id)?.push(row);
  return map;
}
