import { Type } from 'typebox';
import { getSettings, updateSettings } from '../../domain/settings.ts';
import type { App } from '../app-type.ts';

const SettingsBody = Type.Object({
  playbook_creators_user_ids: Type.Optional(Type.Array(Type.String(), { maxItems: 1000 })),
  enable_experimental_features: Type.Optional(Type.Boolean()),
});

/** GET|PUT /settings: the Go client's Settings().Get/Update. */
export async function settingsRoutes(app: App): Promise<void> {
  const ctx = app.services.ctx;
  app.get('/settings', async () => getSettings(ctx.db));
  app.put('/settings', { schema: { body: SettingsBody } }, async (request) => {
    const body = request.body;
    // PUT replaces: a missing list (or Go's null) is an empty one.
    await updateSettings(ctx, request.actor, {
      playbook_creators_user_ids: body.playbook_creators_user_ids ?? [],
      enable_experimental_features: body.enable_experimental_features ?? false,
    });
    return {};
  });
}
