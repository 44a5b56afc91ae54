import type { Executor } from './db.ts';

/** The rows an incident's detail is built from, for many incidents at once: one query per table, in parallel. */
export const incidentDetailsRepo = {
  async rowsOf(ex: Executor, ids: string[], channelIds: string[]) {
    const [lists, items, events, posts, members, followers, labels] = await Promise.all([
      ex.selectFrom('checklists').selectAll().where('incident_id', 'in', ids).orderBy('position').execute(),
      ex.selectFrom('checklist_items').selectAll().where('incident_id', 'in', ids).orderBy('position').execute(),
      ex.selectFrom('timeline_events').selectAll().where('incident_id', 'in', ids).where('delete_at', '=', 0).orderBy('event_at').orderBy('seq').execute(),
      ex
        .selectFrom('posts')
        .select(['id', 'incident_id', 'create_at', 'delete_at', 'message', 'user_id'])
        .where('incident_id', 'in', ids)
        .where('type', '=', 'custom_run_update')
        .orderBy('create_at')
        .orderBy('id')
        .execute(),
      // Participants are the channel's people: bots are members but not participants.
      ex
        .selectFrom('channel_members')
        .innerJoin('users', 'users.id', 'channel_members.user_id')
        .select(['channel_members.channel_id', 'channel_members.user_id'])
        .where('channel_members.channel_id', 'in', channelIds)
        .where('users.is_bot', '=', false)
        .orderBy('channel_members.joined_at')
        .orderBy('channel_members.user_id')
        .execute(),
      ex.selectFrom('incident_followers').selectAll().where('incident_id', 'in', ids).orderBy('user_id').execute(),
      ex.selectFrom('incident_labels').selectAll().where('incident_id', 'in', ids).orderBy('create_at').orderBy('label').execute(),
    ]);
    return { lists, items, events, posts, members, followers, labels };
  },
};
