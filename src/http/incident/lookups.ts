import { assignmentsOf, allRoles } from '../../domain/incidents/roles.ts';
import type { IncidentDetail, TimelineEventRow } from '../../domain/incidents/types.ts';
import type { Executor } from '../../store/db.ts';
import { usersRepo } from '../../store/users.repo.ts';
import type { RpcLookups } from './present.ts';

/** Loads, in a few queries, the users, roles, assignments and severities the presenters refer to. */
export async function loadLookups(
  ex: Executor,
  details: IncidentDetail[],
  now: number,
  extraEvents: TimelineEventRow[] = [],
): Promise<RpcLookups> {
  const assignments = await assignmentsOf(ex, details.map((d) => d.incident));
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
  const [users, roles, severities] = await Promise.all([
    usersRepo.byIds(ex, [...userIds]),
    allRoles(ex),
    ex.selectFrom('severities').select(['id', 'label']).execute(),
  ]);
  return {
    users: new Map(users.map((u) => [u.id, u])),
    roles: new Map(roles.map((r) => [r.id, r])),
    assignments,
    severityIds: new Map(severities.map((s) => [s.label, s.id])),
    now,
  };
}
