import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from './db.ts';
import type { PlaybooksTable } from './schema.ts';

export type PlaybookRow = Selectable<PlaybooksTable>;

/** All SQL for playbooks, their members and auto-followers. */
export const playbooksRepo = {
  byId: (ex: Executor, id: string): Promise<PlaybookRow | undefined> =>
    ex.selectFrom('playbooks').selectAll().where('id', '=', id).executeTakeFirst(),
  lock: (ex: Executor, id: string): Promise<PlaybookRow | undefined> =>
    ex.selectFrom('playbooks').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
  insert: (ex: Executor, row: Insertable<PlaybooksTable>) => ex.insertInto('playbooks').values(row).execute(),
  update: (ex: Executor, id: string, changes: Updateable<PlaybooksTable>) =>
    ex.updateTable('playbooks').set(changes).where('id', '=', id).execute(),
  members: (ex: Executor, playbookId: string) =>
    ex.selectFrom('playbook_members').selectAll().where('playbook_id', '=', playbookId).orderBy('user_id').execute(),
  async isMember(ex: Executor, playbookId: string, userId: string): Promise<boolean> {
    const row = await ex
      .selectFrom('playbook_members')
      .select('user_id')
      .where('playbook_id', '=', playbookId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  },
  async autofollowIds(ex: Executor, playbookId: string): Promise<string[]> {
    const rows = await ex
      .selectFrom('playbook_autofollows')
      .select('user_id')
      .where('playbook_id', '=', playbookId)
      .orderBy('user_id')
      .execute();
    return rows.map((r) => r.user_id);
  },
};
