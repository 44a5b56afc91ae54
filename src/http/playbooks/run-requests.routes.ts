import { requestStatusUpdate, requestToJoinChannel } from '../../domain/incidents/requests.ts';
import type { App } from '../app-type.ts';
import { IdParams } from '../schemas.ts';

/** What a viewer of a run may ask of it (the Playbooks web app's "Request update" and "Request to join"). */
export async function runRequestsRoutes(app: App): Promise<void> {
  const ctx = app.services.ctx;

  app.post('/runs/:id/request-update', { schema: { params: IdParams } }, async (request, reply) => {
    await requestStatusUpdate(ctx, request.actor, request.params.id);
    return reply.code(200).send();
  });

  app.post('/runs/:id/request-join-channel', { schema: { params: IdParams } }, async (request, reply) => {
    await requestToJoinChannel(ctx, request.actor, request.params.id);
    return reply.code(200).send();
  });
}
