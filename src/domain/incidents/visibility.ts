import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { DB } from '../../store/schema.ts';
import type { Actor } from '../context.ts';

/** Predicates over the `incidents` table, shared by every query that lists incidents. */
type IncidentsEB = ExpressionBuilder<DB, 'incidents'>;

/** The user is a current member of the incident's channel (a participant). */
export function isParticipant(eb: IncidentsEB, userId: string): Expression<SqlBool> {
  return eb.exists(
    eb
      .selectFrom('channel_members')
      .select('channel_members.user_id')
      .whereRef('channel_members.channel_id', '=', 'incidents.channel_id')
      .where('channel_members.user_id', '=', userId),
  );
}

export function isFollower(eb: IncidentsEB, userId: string): Expression<SqlBool> {
  return eb.exists(
    eb
      .selectFrom('incident_followers')
      .select('incident_followers.user_id')
      .whereRef('incident_followers.incident_id', '=', 'incidents.id')
      .where('incident_followers.user_id', '=', userId),
  );
}

/** The incident has no playbook, or its playbook is public, or the user is a member of it. */
function playbookVisible(eb: IncidentsEB, userId: string): Expression<SqlBool> {
  return eb.or([
    eb('incidents.playbook_id', '=', ''),
    eb.exists(
      eb
        .selectFrom('playbooks')
        .select('playbooks.id')
        .whereRef('playbooks.id', '=', 'incidents.playbook_id')
        .where((pb) =>
          pb.or([
            pb('playbooks.public', '=', true),
            pb.exists(
              pb
                .selectFrom('playbook_members')
                .select('playbook_members.user_id')
                .whereRef('playbook_members.playbook_id', '=', 'playbooks.id')
                .where('playbook_members.user_id', '=', userId),
            ),
          ]),
        ),
    ),
  ]);
}

/**
 * The SQL form of canViewIncident (src/domain/access.ts): admins see everything; others see incidents of
 * their teams that they take part in, follow, or whose playbook they can see.
 */
export function visibleTo(eb: IncidentsEB, actor: Actor): Expression<SqlBool> {
  if (actor.isAdmin) return eb.lit(true);
  return eb.and([
    eb('incidents.team_id', 'in', eb.selectFrom('team_members').select('team_members.team_id').where('team_members.user_id', '=', actor.userId)),
    eb.or([isParticipant(eb, actor.userId), isFollower(eb, actor.userId), playbookVisible(eb, actor.userId)]),
  ]);
}
