import { fireStatusReminderInTx, REMINDER_TIMER } from '../domain/incidents/status.ts';
import { DELIVERY_JOB } from '../store/outbox.repo.ts';
import { deliverWebhook, type DeliverySettings } from './deliveries.ts';
import type { JobHandler } from './runner.ts';

/** Job kind → what to do when it comes due. */
export function jobHandlers(delivery: DeliverySettings): Record<string, JobHandler> {
  return {
    // The reminder is posted in the job's fenced transaction: a stalled former owner posts nothing.
    [REMINDER_TIMER]: async (ctx, job) => ({ done: true, write: (tx) => fireStatusReminderInTx(tx, ctx, String(job.payload.incident_id)) }),
    [DELIVERY_JOB]: (ctx, job) => deliverWebhook(ctx, delivery, String(job.payload.delivery_id)),
  };
}
