import { enableSubscription, incidentDeliveries, listSubscriptions, redeliver, subscriptionDeliveries } from '../../domain/delivery-log.ts';
import type { App } from '../app-type.ts';
import { IdParams } from '../schemas.ts';
import { DeliveriesQuery, WebhookParams } from './webhooks.schema.ts';
import { presentDelivery, presentSubscription } from './webhooks.present.ts';

/** The delivery log of outgoing webhooks (Muster-only, so under /api/muster/v1). */
export async function webhooksRoutes(app: App): Promise<void> {
  const ctx = app.services.ctx;

  app.get('/webhooks', async (request) => ({ items: (await listSubscriptions(ctx, request.actor)).map(presentSubscription) }));

  app.get('/webhooks/:id/deliveries', { schema: { params: WebhookParams, querystring: DeliveriesQuery } }, async (request) => {
    const rows = await subscriptionDeliveries(ctx, request.actor, request.params.id, request.query.per_page ?? 50);
    return { items: rows.map(presentDelivery) };
  });

  app.get('/incidents/:id/deliveries', { schema: { params: IdParams } }, async (request) => ({
    items: (await incidentDeliveries(ctx, request.actor, request.params.id)).map(presentDelivery),
  }));

  app.post('/deliveries/:id/redeliver', { schema: { params: IdParams } }, async (request, reply) => {
    const delivery = await redeliver(ctx, request.actor, request.params.id);
    return reply.code(202).send({ id: delivery.id, status: delivery.status, next_attempt_at: delivery.next_attempt_at });
  });

  app.post('/webhooks/:id/enable', { schema: { params: WebhookParams } }, async (request) =>
    presentSubscription(await enableSubscription(ctx, request.actor, request.params.id)),
  );
}
