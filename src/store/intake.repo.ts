import type { Insertable, Selectable } from 'kysely';
import type { Executor } from './db.ts';
import type { AlertGroupsTable, IntegrationsTable } from './schema.ts';

export type IntegrationRow = Selectable<IntegrationsTable>;
export type AlertGroupRow = Selectable<AlertGroupsTable>;

/** All SQL for alert-intake integrations and their alert groups. */
export const integrationsRepo = {
  insert: (ex: Executor, row: Insertable<IntegrationsTable>) => ex.insertInto('integrations').values(row).returningAll().executeTakeFirstOrThrow(),
  /** The live integration whose URL secret hashes to this (revoked ones are not found). */
  bySecretHash: (ex: Executor, secretHash: string) =>
    ex.selectFrom('integrations').selectAll().where('secret_hash', '=', secretHash).where('revoked_at', '=', 0).executeTakeFirst(),
  byId: (ex: Executor, id: string) => ex.selectFrom('integrations').selectAll().where('id', '=', id).executeTakeFirst(),
  list: (ex: Executor) => ex.selectFrom('integrations').selectAll().where('revoked_at', '=', 0).orderBy('create_at').execute(),
  revoke: (ex: Executor, id: string, now: number) =>
    ex.updateTable('integrations').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', '=', 0).returningAll().executeTakeFirst(),
};

export const alertGroupsRepo = {
  open: (ex: Executor, integrationId: string, dedupKey: string) =>
    ex
      .selectFrom('alert_groups')
      .selectAll()
      .where('integration_id', '=', integrationId)
      .where('dedup_key', '=', dedupKey)
      .where('open', '=', true)
      .executeTakeFirst(),
  /**
   * Claims the open group of this key, or answers undefined when another one holds it. On PostgreSQL a
   * concurrent claim of the same key waits here until the first commits (then undefined) or rolls back.
   */
  claim: (ex: Executor, row: Insertable<AlertGroupsTable>) =>
    ex
      .insertInto('alert_groups')
      .values(row)
      .onConflict((oc) => oc.columns(['integration_id', 'dedup_key']).where('open', '=', true).doNothing())
      .returningAll()
      .executeTakeFirst(),
  setIncident: (ex: Executor, id: string, incidentId: string) => ex.updateTable('alert_groups').set({ incident_id: incidentId }).where('id', '=', id).execute(),
  /** An incident that is resolved closes its groups: the next alert of the key opens a new incident. */
  closeForIncident: (ex: Executor, incidentId: string, now: number) =>
    ex.updateTable('alert_groups').set({ open: false, update_at: now }).where('incident_id', '=', incidentId).where('open', '=', true).execute(),
};

export const idempotencyRepo = {
  /** Inserts the key's record, or answers undefined when the scope already holds the key (waits for an uncommitted one). */
  claim: (ex: Executor, row: { scope: string; key: string; request_hash: string; create_at: number }) =>
    ex.insertInto('idempotency_keys').values(row).onConflict((oc) => oc.columns(['scope', 'key']).doNothing()).returningAll().executeTakeFirst(),
  get: (ex: Executor, scope: string, key: string) =>
    ex.selectFrom('idempotency_keys').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirst(),
  setIncident: (ex: Executor, scope: string, key: string, incidentId: string) =>
    ex.updateTable('idempotency_keys').set({ incident_id: incidentId }).where('scope', '=', scope).where('key', '=', key).execute(),
  /** Forgets keys created before `before` (every scope): they may then be used again. */
  expire: (ex: Executor, before: number) => ex.deleteFrom('idempotency_keys').where('create_at', '<', before).execute(),
};
