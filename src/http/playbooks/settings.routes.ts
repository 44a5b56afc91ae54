import { Type } from 'typebox';
import { getSettings, updateSettings } from '../../domain/settings.ts';
import type { App } from '../server.ts';

const SettingsBody = Type.Object({
  playbook_creators_user_ids: Type.Optional(Type.Union([Type.Array(Type.String(), { maxItems: 1000 }), Type.Null()])),
  enable_experimental_features: Type.Optional(Type.Boolean()),
});

/** GET|PUT /settings: the Go client's Settings().Get/Update. */
export async function settingsRoutes(app: App): Promise<void> {
  const ctx = app.services.ctx;
  app.get('/settings', async () => getSettings(ctx.db));
  app.put('/settings', { schema: { body: SettingsBody } }, async (request) => {
    const body = request.body;
    await updateSettings(ctx, request.actor, {
      ...(body.playbook_creators_user_ids !== undefined && { playbook_creators_user_ids: body.playbook_creators_user_ids ?? [] }),
      ...(body.enable_experimental_features !== undefined && { enable_experimental_features: body.enable_experimental_features }),
    });
    return {};
  });
}
