import type { App } from '../server.ts';
import { runsRoutes } from './runs.routes.ts';

/** Where Playbooks clients find the API: the plugin path (Go client ≥ v0.7, webapp), its old id, and bare. */
export const PLAYBOOKS_PREFIXES = [
  '/plugins/playbooks/api/v0',
  '/plugins/com.mattermost.plugin-incident-management/api/v0',
  '/api/v0',
];

export async function registerPlaybooksRoutes(app: App): Promise<void> {
  for (const prefix of PLAYBOOKS_PREFIXES) {
    await app.register(
      async (scoped) => {
        await runsRoutes(scoped as App);
      },
      { prefix },
    );
  }
}
