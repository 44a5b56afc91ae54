import { alertmanagerAlert, genericAlert } from '../../domain/intake/alert.ts';
import { createIntegration, integrationBySecret, listIntegrations, revokeIntegration } from '../../domain/intake/integrations.ts';
import { receiveAlert } from '../../domain/intake/receive.ts';
import { notFound } from '../../domain/errors.ts';
import type { App } from '../app-type.ts';
import { intakeLimit } from '../limits.ts';
import { IdParams } from '../schemas.ts';
import { IntakeParams, IntegrationBody } from './integrations.schema.ts';
import { presentCreatedIntegration, presentIntegration, presentReceipt } from './integrations.present.ts';

/** Alert-intake integrations (admins) and the intake URLs monitoring posts to. */
export async function integrationsRoutes(app: App): Promise<void> {
  const ctx = app.services.ctx;

  app.post('/integrations', { schema: { body: IntegrationBody } }, async (request, reply) => {
    const { integration, secret } = await createIntegration(ctx, request.actor, { ...request.body, playbook_id: request.body.playbook_id || undefined });
    return reply.code(201).send(presentCreatedIntegration(integration, secret, ctx.siteUrl));
  });

  app.get('/integrations', async (request) => ({ items: (await listIntegrations(ctx, request.actor)).map(presentIntegration) }));

  app.delete('/integrations/:id', { schema: { params: IdParams } }, async (request) => presentIntegration(await revokeIntegration(ctx, request.actor, request.params.id)));

  // Public: the secret in the URL is the credential. Unknown and revoked secrets look the same (404).
  app.post(
    '/intake/:secret',
    { config: { public: true, rateLimit: intakeLimit(app.limits) }, schema: { params: IntakeParams } },
    async (request, reply) => {
      const integration = await integrationBySecret(ctx, request.params.secret);
      if (!integration) throw notFound('Not found');
      const alert = integration.kind === 'alertmanager' ? alertmanagerAlert(request.body, integration.name) : genericAlert(request.body);
      const receipt = await receiveAlert(ctx, integration, alert);
      return reply.code(receipt.opened ? 201 : 200).send(presentReceipt(receipt, ctx.siteUrl));
    },
  );
}
