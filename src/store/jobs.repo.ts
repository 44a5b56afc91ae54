import { json, type Executor } from './db.ts';
import { newId } from '../lib/ids.ts';

export interface TimerRow {
  id: string;
  kind: string;
  key: string;
  payload: Record<string, unknown>;
  due_at: number;
  attempts: number;
}

/** All SQL for durable timers and the webhook outbox. */
export const timersRepo = {
  /** Creates or moves the timer with this key (one pending timer per key). */
  async schedule(ex: Executor, t: { kind: string; key: string; due_at: number; payload?: Record<string, unknown>; now: number }) {
    await ex
      .insertInto('timers')
      .values({ id: newId(), kind: t.kind, key: t.key, due_at: t.due_at, payload: json(t.payload ?? {}), create_at: t.now })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({ due_at: t.due_at, kind: t.kind, payload: json(t.payload ?? {}), locked_until: 0, attempts: 0 }),
      )
      .execute();
  },
  cancel: (ex: Executor, key: string) => ex.deleteFrom('timers').where('key', '=', key).execute(),
  byKey: (ex: Executor, key: string) => ex.selectFrom('timers').selectAll().where('key', '=', key).executeTakeFirst(),
  /**
   * Claims up to `limit` due timers for `leaseMs`. SKIP LOCKED lets several instances poll one table
   * without firing a timer twice.
   */
  async claimDue(ex: Executor, now: number, leaseMs: number, limit: number): Promise<TimerRow[]> {
    return ex
      .updateTable('timers')
      .set((eb) => ({ locked_until: now + leaseMs, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('timers')
          .select('id')
          .where('due_at', '<=', now)
          .where('locked_until', '<', now)
          .orderBy('due_at')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returning(['id', 'kind', 'key', 'payload', 'due_at', 'attempts'])
      .execute();
  },
  /** Deletes a fired timer, unless it was rescheduled meanwhile (then its due_at changed). */
  complete: (ex: Executor, id: string, dueAt: number) =>
    ex.deleteFrom('timers').where('id', '=', id).where('due_at', '=', dueAt).execute(),
  retryLater: (ex: Executor, id: string, dueAt: number) =>
    ex.updateTable('timers').set({ due_at: dueAt, locked_until: 0 }).where('id', '=', id).execute(),
};

export const outboxRepo = {
  insert: (
    ex: Executor,
    d: { source: string; event: string; url: string; incident_id: string | null; payload: unknown; headers?: Record<string, string>; now: number },
  ) =>
    ex
      .insertInto('webhook_deliveries')
      .values({
        id: newId(),
        source: d.source,
        event: d.event,
        url: d.url,
        incident_id: d.incident_id,
        payload: json(d.payload),
        headers: json(d.headers ?? {}),
        next_attempt_at: d.now,
        create_at: d.now,
      })
      .execute(),
  forIncident: (ex: Executor, incidentId: string) =>
    ex.selectFrom('webhook_deliveries').selectAll().where('incident_id', '=', incidentId).orderBy('create_at').execute(),
};
