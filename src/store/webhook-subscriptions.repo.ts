import type { Selectable } from 'kysely';
import type { Executor, Tx } from './db.ts';
import type { SigningSecretsTable, WebhookSubscriptionsTable } from './schema.ts';
import { newId } from '../lib/ids.ts';

export type SubscriptionRow = Selectable<WebhookSubscriptionsTable>;
export type SigningSecretRow = Selectable<SigningSecretsTable>;

/** SQL of outgoing-webhook subscriptions' delivery state, and of the server-wide signing secrets. */
export const subscriptionsRepo = {
  byId: (ex: Executor, id: string) => ex.selectFrom('webhook_subscriptions').selectAll().where('id', '=', id).executeTakeFirst(),
  all: (ex: Executor) => ex.selectFrom('webhook_subscriptions').selectAll().orderBy('create_at').orderBy('id').execute(),
  /** First failure of a run of failures; a success clears it. */
  markFailing: (tx: Tx, id: string, now: number) =>
    tx.updateTable('webhook_subscriptions').set({ failing_since: now }).where('id', '=', id).where('failing_since', '=', 0).execute(),
  markHealthy: (tx: Tx, id: string) =>
    tx.updateTable('webhook_subscriptions').set({ failing_since: 0 }).where('id', '=', id).where('failing_since', '<>', 0).execute(),
  disable: (tx: Tx, id: string, reason: string) =>
    tx.updateTable('webhook_subscriptions').set({ enabled: false, disabled_reason: reason.slice(0, 1000) }).where('id', '=', id).execute(),
  enable: (ex: Executor, id: string) =>
    ex
      .updateTable('webhook_subscriptions')
      .set({ enabled: true, disabled_reason: '', failing_since: 0 })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst(),
};

export const signingSecretsRepo = {
  /** Secrets that sign now: not retired, or retired but still in their grace period. Newest first. */
  active: (ex: Executor, now: number) =>
    ex
      .selectFrom('signing_secrets')
      .selectAll()
      .where((eb) => eb.or([eb('retire_at', '=', 0), eb('retire_at', '>', now)]))
      .orderBy('create_at', 'desc')
      .orderBy('id', 'desc')
      .execute(),
  all: (ex: Executor) => ex.selectFrom('signing_secrets').selectAll().execute(),
  async insert(ex: Executor, sealed: string, now: number): Promise<void> {
    await ex.insertInto('signing_secrets').values({ id: newId(), secret: sealed, create_at: now }).execute();
  },
  retireCurrent: (ex: Executor, retireAt: number) => ex.updateTable('signing_secrets').set({ retire_at: retireAt }).where('retire_at', '=', 0).execute(),
};
