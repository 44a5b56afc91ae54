import { isValidId } from '../lib/ids.ts';
import { json, transaction, type Executor } from '../store/db.ts';
import type { Actor, DomainContext } from './context.ts';
import { forbidden, invalid } from './errors.ts';

/** Server-wide Playbooks settings. */
export interface PlaybooksSettings {
  /** When non-empty, only these users (and system admins) may create playbooks. */
  playbook_creators_user_ids: string[];
  enable_experimental_features: boolean;
}

const KEY = 'playbooks';
const DEFAULTS: PlaybooksSettings = { playbook_creators_user_ids: [], enable_experimental_features: false };

export async function getSettings(ex: Executor): Promise<PlaybooksSettings> {
  const row = await ex.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  return { ...DEFAULTS, ...(row?.value as Partial<PlaybooksSettings> | undefined) };
}

export async function updateSettings(
  ctx: DomainContext,
  actor: Actor,
  props: Partial<PlaybooksSettings>,
): Promise<PlaybooksSettings> {
  if (!actor.isAdmin) throw forbidden('only system admins can change settings');
  for (const [i, id] of (props.playbook_creators_user_ids ?? []).entries()) {
    if (!isValidId(id)) throw invalid(`playbook_creators_user_ids.${i}`, `playbook_creators_user_ids.${i} must be a 26-character id`);
  }
  return transaction(ctx.db, async (tx) => {
    const next = { ...(await getSettings(tx)), ...props };
    const now = ctx.clock.now();
    await tx
      .insertInto('settings')
      .values({ key: KEY, value: json(next), update_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: json(next), update_at: now }))
      .execute();
    return next;
  });
}

/** Whether the actor may create playbooks under the server-wide settings. */
export async function mayCreatePlaybooks(ex: Executor, actor: Actor): Promise<boolean> {
  if (actor.isAdmin) return true;
  const { playbook_creators_user_ids: creators } = await getSettings(ex);
  return creators.length === 0 || creators.includes(actor.userId);
}
