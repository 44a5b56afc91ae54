import type { Executor } from '../store/db.ts';
import { outboxRepo } from '../store/outbox.repo.ts';
import type { DomainContext, WebhookEvent } from './context.ts';

/**
 * Records one delivery per URL in the outbox, in the caller's transaction (a rolled-back change sends
 * nothing). The body is rendered now (a snapshot of the incident at the time of the event); the job engine
 * signs and sends it after the commit (src/jobs/deliveries.ts).
 */
export async function recordWebhooks(ex: Executor, ctx: DomainContext, urls: string[], event: WebhookEvent): Promise<void> {
  if (urls.length === 0) return;
  const now = ctx.clock.now();
  const render = ctx.webhookRenderers[event.source];
  const body = render ? await render(ex, event, { now, siteUrl: ctx.siteUrl }) : { event: event.event, incident_id: event.incidentId };
  for (const url of urls) {
    await outboxRepo.insert(ex, { source: event.source, event: event.event, url, incident_id: event.incidentId, payload: body, now });
  }
}
