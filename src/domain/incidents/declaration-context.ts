import { sql, type Expression } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Executor } from '../../store/db.ts';
import { BOT_USERNAME } from '../identity/identity.ts';

/** A user a declaration names (caller or owner candidate), as far as the checks need it. */
export interface DeclarationUser {
  id: string;
  username: string;
  is_admin: boolean;
  delete_at: number;
}

/** Everything a declaration checks and needs before it writes, read in one statement. */
export interface DeclarationContext {
  teamId: string;
  /** Which of the asked-about users are members of the team. */
  teamMemberIds: Set<string>;
  users: Map<string, DeclarationUser>;
  /** The bot that posts system messages ('' when there is none). */
  botUserId: string;
  /** Whether the war room's first-choice channel name is already used in the team. */
  roomNameTaken: boolean;
  /** Whether any Grafana outgoing-webhook subscription is enabled (else recordIncidentWebhooks has nothing to do). */
  incidentSubscriptions: boolean;
}

export interface DeclarationContextQuery {
  /** The team asked for; '' lets the caller's default team be chosen (RPC: no teams in Grafana). */
  teamId: string;
  actor: { userId: string; isAdmin: boolean };
  /** Users whose team membership the checks ask about. */
  memberCandidates: string[];
  /** Users whose rows the checks read (caller, owner candidates). */
  userIds: string[];
  /** The war room's first-choice name; undefined when the incident uses an existing channel. */
  roomName: string | undefined;
}

/**
 * Reads the team (or picks the caller's default team), the team membership of every user the checks ask
 * about, those users, the bot and whether the room name is taken: one round trip instead of one per check.
 * Returns undefined when there is no such team (or, with no team asked for, no team to default to).
 */
export async function loadDeclarationContext(ex: Executor, query: DeclarationContextQuery): Promise<DeclarationContext | undefined> {
  const memberCandidates = [...new Set(query.memberCandidates.filter(Boolean))];
  const userIds = [...new Set(query.userIds.filter(Boolean))];
  const row = await ex
    .selectFrom('teams')
    .select((eb) => [
      'teams.id',
      sql<string[]>`array(select tm.user_id from team_members tm where tm.team_id = teams.id and tm.user_id = any(${memberCandidates}::text[]))`.as(
        'member_ids',
      ),
      jsonArrayFrom(
        eb.selectFrom('users').select(['users.id', 'users.username', 'users.is_admin', 'users.delete_at']).where(sql<boolean>`users.id = any(${userIds}::text[])`),
      ).as('users'),
      eb.selectFrom('users').select('users.id').where('users.username', '=', BOT_USERNAME.toLowerCase()).as('bot_id'),
      query.roomName === undefined
        ? sql<boolean>`false`.as('room_name_taken')
        : eb.exists(eb.selectFrom('channels').select('channels.id').whereRef('channels.team_id', '=', 'teams.id').where('channels.name', '=', query.roomName)).as('room_name_taken'),
      // The same subscriptions recordIncidentWebhooks reads (source 'incident', enabled).
      eb.exists(eb.selectFrom('webhook_subscriptions').select('webhook_subscriptions.id').where('source', '=', 'incident').where('enabled', '=', true)).as(
        'incident_subscriptions',
      ),
    ])
    .where('teams.id', '=', query.teamId ? sql.val(query.teamId) : defaultTeamOf(query.actor))
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    teamId: row.id,
    teamMemberIds: new Set(row.member_ids),
    users: new Map(row.users.map((u) => [u.id, { ...u, delete_at: Number(u.delete_at) }])),
    botUserId: row.bot_id ?? '',
    roomNameTaken: Boolean(row.room_name_taken),
    incidentSubscriptions: Boolean(row.incident_subscriptions),
  };
}

/** The caller's first team by name; for an admin in no team, the oldest team. NULL when there is none. */
function defaultTeamOf(actor: { userId: string; isAdmin: boolean }): Expression<string> {
  const mine = sql<string>`(select t.id from teams t join team_members tm on tm.team_id = t.id
    where tm.user_id = ${actor.userId} and t.delete_at = 0 order by t.name limit 1)`;
  if (!actor.isAdmin) return mine;
  return sql<string>`coalesce(${mine}, (select t.id from teams t where t.delete_at = 0 order by t.create_at limit 1))`;
}
