import type { Insertable, Updateable } from 'kysely';
import type { Executor } from './db.ts';
import type { ChecklistItemsTable, IncidentsTable, TimelineEventsTable } from './schema.ts';
import type {
  ChecklistWithItems,
  IncidentRow,
  ItemRow,
  LabelRow,
  TimelineEventRow,
} from '../domain/incidents/types.ts';

/** All SQL for the incident aggregate: the incident row, checklists, items, timeline, labels, followers. */
export const incidentsRepo = {
  byId: (ex: Executor, id: string): Promise<IncidentRow | undefined> =>
    ex.selectFrom('incidents').selectAll().where('id', '=', id).where('delete_at', '=', 0).executeTakeFirst(),

  /** Locks the incident row for the rest of the transaction: writes to one incident are serialised. */
  lock: (ex: Executor, id: string): Promise<IncidentRow | undefined> =>
    ex.selectFrom('incidents').selectAll().where('id', '=', id).where('delete_at', '=', 0).forUpdate().executeTakeFirst(),

  byChannel: (ex: Executor, channelId: string): Promise<IncidentRow[]> =>
    ex
      .selectFrom('incidents')
      .selectAll()
      .where('channel_id', '=', channelId)
      .where('delete_at', '=', 0)
      .orderBy('create_at')
      .execute(),

  insert: (ex: Executor, row: Insertable<IncidentsTable>) => ex.insertInto('incidents').values(row).execute(),

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

  timeline: (ex: Executor, incidentId: string, includeDeleted = false): Promise<TimelineEventRow[]> => {
    let query = ex.selectFrom('timeline_events').selectAll().where('incident_id', '=', incidentId);
    if (!includeDeleted) query = query.where('delete_at', '=', 0);
    return query.orderBy('event_at').orderBy('seq').execute();
  },

  eventById: (ex: Executor, incidentId: string, eventId: string): Promise<TimelineEventRow | undefined> =>
    ex
      .selectFrom('timeline_events')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .where('id', '=', eventId)
      .executeTakeFirst(),

  insertEvent: (ex: Executor, row: Insertable<TimelineEventsTable>) => ex.insertInto('timeline_events').values(row).execute(),

  softDeleteEvent: (ex: Executor, eventId: string, now: number) =>
    ex.updateTable('timeline_events').set({ delete_at: now }).where('id', '=', eventId).execute(),

  labels: (ex: Executor, incidentId: string): Promise<LabelRow[]> =>
    ex.selectFrom('incident_labels').selectAll().where('incident_id', '=', incidentId).orderBy('create_at').orderBy('label').execute(),

  async followerIds(ex: Executor, incidentId: string): Promise<string[]> {
    const rows = await ex
      .selectFrom('incident_followers')
      .select('user_id')
      .where('incident_id', '=', incidentId)
      .orderBy('user_id')
      .execute();
    return rows.map((r) => r.user_id);
  },

  addFollower: (ex: Executor, incidentId: string, userId: string) =>
    ex
      .insertInto('incident_followers')
      .values({ incident_id: incidentId, user_id: userId })
      .onConflict((oc) => oc.doNothing())
      .execute(),

  removeFollower: (ex: Executor, incidentId: string, userId: string) =>
    ex.deleteFrom('incident_followers').where('incident_id', '=', incidentId).where('user_id', '=', userId).execute(),
};
