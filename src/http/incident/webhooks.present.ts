import type { WebhookEvent } from '../../domain/context.ts';
import type { Executor } from '../../domain/store-types.ts';
import { presentIncidentById } from './load.ts';
import { rfc3339 } from './present.ts';

/**
 * Grafana's OutgoingWebhookPayload (notes §10): envelope version v1.0.0, the event id, source
 * `/grafana/incident`, the RFC 3339 time, the event name and the full Incident as it is after the change.
 */
export async function renderIncidentWebhook(ex: Executor, event: WebhookEvent, meta: { now: number; siteUrl: string }): Promise<unknown> {
  const eventId = typeof event.payload?.eventId === 'string' ? event.payload.eventId : '';
  return {
    version: 'v1.0.0',
    id: `webhook-out-${eventId}`,
    source: '/grafana/incident',
    time: rfc3339(meta.now),
    event: event.event,
    incident: await presentIncidentById(ex, event.incidentId, meta.now),
  };
}
