import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Executor } from './db.ts';
import type { ChecklistItemsTable, ChecklistsTable, IncidentsTable } from './schema.ts';

export type IncidentRow = Selectable<IncidentsTable>;
export type ChecklistRow = Selectable<ChecklistsTable>;
export type ItemRow = Selectable<ChecklistItemsTable>;
export interface ChecklistWithItems extends ChecklistRow {
  items: ItemRow[];
}

/** What the modify policy (mayModifyIncident) needs to know about a user and an incident, read with the incident row. */
export interface WriteFacts {
  inChannel: boolean;
  /** The incident channel's type ('O' public, 'P' private), null when the channel is missing. */
  channelType: string | null;
  inTeam: boolean;
  /** Whether the incident's playbook is public; null when it has none or the playbook is gone. */
  playbookPublic: boolean | null;
  inPlaybook: boolean;
}

/** All SQL for the incident aggregate: the incident row, checklists, items, timeline, labels, followers. */
export const incidentsRepo = {
  byId: (ex: Executor, id: string): Promise<IncidentRow | undefined> =>
    ex.selectFrom('incidents').selectAll().where('id', '=', id).where('delete_at', '=', 0).executeTakeFirst(),

  /** Locks the incident row for the rest of the transaction: writes to one incident are serialised. */
  lock: (ex: Executor, id: string): Promise<IncidentRow | undefined> =>
    ex.selectFrom('incidents').selectAll().where('id', '=', id).where('delete_at', '=', 0).forUpdate().executeTakeFirst(),

  /**
   * The incident row and, in the same statement, what deciding whether each of `userIds` may change it takes
   * (see mayModifyIncident). With `lock`, the row is locked like `lock` does; the facts are then read as of the
   * statement's start: when it had to wait for the lock, the row returned is the latest version but the facts
   * may predate the wait.
   */
  async withWriteFacts(
    ex: Executor,
    id: string,
    userIds: string[],
    options: { lock: boolean },
  ): Promise<{ incident: IncidentRow; facts: Map<string, WriteFacts> } | undefined> {
    const query = ex
      .selectFrom(['incidents', sql<{ actor: string }>`unnest(${[...new Set(userIds)]}::text[])`.as('actor')])
      .selectAll('incidents')
      .select((eb) => [
        'actor.actor as fact_user',
        eb
          .exists(eb.selectFrom('channel_members as cm').select('cm.user_id').whereRef('cm.channel_id', '=', 'incidents.channel_id').whereRef('cm.user_id', '=', 'actor.actor'))
          .as('fact_in_channel'),
        eb.selectFrom('channels as c').select('c.type').whereRef('c.id', '=', 'incidents.channel_id').as('fact_channel_type'),
        eb
          .exists(eb.selectFrom('team_members as tm').select('tm.user_id').whereRef('tm.team_id', '=', 'incidents.team_id').whereRef('tm.user_id', '=', 'actor.actor'))
          .as('fact_in_team'),
        eb.selectFrom('playbooks as p').select('p.public').whereRef('p.id', '=', 'incidents.playbook_id').as('fact_playbook_public'),
        eb
          .exists(
            eb
              .selectFrom('playbook_members as pm')
              .select('pm.user_id')
              .whereRef('pm.playbook_id', '=', 'incidents.playbook_id')
              .whereRef('pm.user_id', '=', 'actor.actor'),
          )
          .as('fact_in_playbook'),
      ])
      .where('incidents.id', '=', id)
      .where('incidents.delete_at', '=', 0);
    const rows = await (options.lock ? query.forUpdate('incidents') : query).execute();
    const first = rows[0];
    if (!first) return undefined;
    const facts = new Map<string, WriteFacts>();
    for (const row of rows) {
      facts.set(row.fact_user, {
        inChannel: Boolean(row.fact_in_channel),
        channelType: row.fact_channel_type ?? null,
        inTeam: Boolean(row.fact_in_team),
        playbookPublic: row.fact_playbook_public ?? null,
        inPlaybook: Boolean(row.fact_in_playbook),
      });
    }
    const {
      fact_user: _user,
      fact_in_channel: _inChannel,
      fact_channel_type: _channelType,
      fact_in_team: _inTeam,
      fact_playbook_public: _playbookPublic,
      fact_in_playbook: _inPlaybook,
      ...incident
    } = first;
    return { incident, facts };
  },

  byChannel: (ex: Executor, channelId: string): Promise<IncidentRow[]> =>
    ex
      .selectFrom('incidents')
      .selectAll()
      .where('channel_id', '=', channelId)
      .where('delete_at', '=', 0)
      .orderBy('create_at')
      .execute(),

  update: (ex: Executor, id: string, changes: Updateable<IncidentsTable>) =>
    ex.updateTable('incidents').set(changes).where('id', '=', id).execute(),

  async checklists(ex: Executor, incidentId: string): Promise<ChecklistWithItems[]> {
    const lists = await ex
      .selectFrom('checklists')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('position')
      .execute();
    const items = await ex
      .selectFrom('checklist_items')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('position')
      .execute();
    return lists.map((list) => ({ ...list, items: items.filter((item) => item.checklist_id === list.id) }));
  },

  insertChecklist: (ex: Executor, row: { id: string; incident_id: string; position: number; title: string }) =>
    ex.insertInto('checklists').values(row).execute(),

  insertItem: (ex: Executor, row: Insertable<ChecklistItemsTable>) => ex.insertInto('checklist_items').values(row).execute(),

  updateItem: (ex: Executor, id: string, changes: Updateable<ChecklistItemsTable>) =>
    ex.updateTable('checklist_items').set(changes).where('id', '=', id).execute(),

  itemById: (ex: Executor, id: string): Promise<ItemRow | undefined> =>
    ex.selectFrom('checklist_items').selectAll().where('id', '=', id).executeTakeFirst(),

  async followerIds(ex: Executor, incidentId: string): Promise<string[]> {
    const rows = await ex
      .selectFrom('incident_followers')
      .select('user_id')
      .where('incident_id', '=', incidentId)
      .orderBy('user_id')
      .execute();
    return rows.map((r) => r.user_id);
  },

  async addFollower(ex: Executor, incidentId: string, userId: string): Promise<void> {
    await ex.insertInto('incident_followers').values({ incident_id: incidentId, user_id: userId }).onConflict((oc) => oc.doNothing()).execute();
    await countFollowers(ex, incidentId);
  },

  async removeFollower(ex: Executor, incidentId: string, userId: string): Promise<void> {
    await ex.deleteFrom('incident_followers').where('incident_id', '=', incidentId).where('user_id', '=', userId).execute();
    await countFollowers(ex, incidentId);
  },
};

/** Keeps `incidents.follower_count` true: a batched write decides from the row alone whether anyone is told. */
async function countFollowers(ex: Executor, incidentId: string): Promise<void> {
  await ex
    .updateTable('incidents')
    .set((eb) => ({ follower_count: eb.selectFrom('incident_followers').select(eb.fn.countAll<number>().as('n')).where('incident_id', '=', incidentId) }))
    .where('id', '=', incidentId)
    .execute();
}
