// What presenters of incidents refer to besides the incidents themselves: users, roles, role assignments and
// severity ids, each loaded in one query for any number of incidents.
import type { Executor } from '../../store/db.ts';
import { usersRepo, type UserRow } from '../../store/users.repo.ts';
import { allRoles, assignmentsOf, type RoleAssignment, type RoleRow } from './roles.ts';
import type { IncidentDetail, TimelineEventRow } from './types.ts';

export interface IncidentReferences {
  users: Map<string, UserRow>;
  roles: Map<number, RoleRow>;
  assignments: Map<string, RoleAssignment[]>;
  /** Severity label → id. */
  severityIds: Map<string, string>;
  /** Severity label → level (0 pending, 1 the most severe). */
  severityLevels: Map<string, number>;
}

function referencedUserIds(details: IncidentDetail[], extraEvents: TimelineEventRow[], assignments: Map<string, RoleAssignment[]>): string[] {
  const userIds = new Set<string>();
  for (const d of details) {
    userIds.add(d.incident.reporter_user_id);
    userIds.add(d.incident.owner_user_id);
    for (const list of d.checklists) for (const item of list.items) userIds.add(item.author_user_id).add(item.assignee_id);
    for (const e of d.timeline) userIds.add(e.creator_user_id).add(e.subject_user_id);
  }
  for (const e of extraEvents) userIds.add(e.creator_user_id).add(e.subject_user_id);
  for (const list of assignments.values()) for (const a of list) userIds.add(a.user_id);
  userIds.delete('');
  return [...userIds];
}

/** The references of these incidents (and of `extraEvents`, timeline rows shown without their incident). */
export async function loadReferences(ex: Executor, details: IncidentDetail[], extraEvents: TimelineEventRow[] = []): Promise<IncidentReferences> {
  const assignments = await assignmentsOf(ex, details.map((d) => d.incident));
  const [users, roles, severities] = await Promise.all([
    usersRepo.byIds(ex, referencedUserIds(details, extraEvents, assignments)),
    allRoles(ex),
    ex.selectFrom('severities').select(['id', 'label', 'level']).execute(),
  ]);
  return {
    users: new Map(users.map((u) => [u.id, u])),
    roles: new Map(roles.map((r) => [r.id, r])),
    assignments,
    severityIds: new Map(severities.map((s) => [s.label, s.id])),
    severityLevels: new Map(severities.map((s) => [s.label, s.level])),
  };
}
