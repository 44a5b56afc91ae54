import type { App } from '../app-type.ts';

/** Mattermost's liveness call; public there too (clients call it before signing in). */
export async function systemRoutes(app: App): Promise<void> {
  app.get('/system/ping', { config: { public: true } }, async () => ({ status: 'OK' }));
}
