import { transaction } from '../store/db.ts';
import type { DomainContext } from './context.ts';

/**
 * Seals every stored secret that is still plain text (rows written before encryption existed) or sealed
 * under a previous key (after a rotation), in one transaction at start. Idempotent; returns how many changed.
 */
export async function sealStoredSecrets(ctx: DomainContext): Promise<number> {
  const box = ctx.secrets;
  return transaction(ctx.db, async (tx) => {
    let changed = 0;
    for (const row of await tx.selectFrom('webhook_subscriptions').select(['id', 'secret']).forUpdate().execute()) {
      if (!box.needsReseal(row.secret)) continue;
      await tx.updateTable('webhook_subscriptions').set({ secret: box.seal(box.open(row.secret)) }).where('id', '=', row.id).execute();
      changed++;
    }
    for (const row of await tx.selectFrom('slash_commands').select(['id', 'token']).forUpdate().execute()) {
      if (!box.needsReseal(row.token)) continue;
      await tx.updateTable('slash_commands').set({ token: box.seal(box.open(row.token)) }).where('id', '=', row.id).execute();
      changed++;
    }
    for (const row of await tx.selectFrom('signing_secrets').select(['id', 'secret']).forUpdate().execute()) {
      if (!box.needsReseal(row.secret)) continue;
      await tx.updateTable('signing_secrets').set({ secret: box.seal(box.open(row.secret)) }).where('id', '=', row.id).execute();
      changed++;
    }
    return changed;
  });
}
