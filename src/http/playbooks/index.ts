import type { App } from '../app-type.ts';
import { checklistsRoutes } from './checklists.routes.ts';
import { commandsRoutes } from './commands.routes.ts';
import { playbooksRoutes } from './playbooks.routes.ts';
import { runLifecycleRoutes } from './run-lifecycle.routes.ts';
import { runRequestsRoutes } from './run-requests.routes.ts';
import { runsExtraRoutes } from './runs-extra.routes.ts';
import { runsRoutes } from './runs.routes.ts';
import { settingsRoutes } from './settings.routes.ts';

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
        const api = scoped as App;
        // runs-extra first: its static paths (/runs/owners, /runs/channels, ...) sit beside /runs/:id.
        await runsExtraRoutes(api);
        await runsRoutes(api);
        await runLifecycleRoutes(api);
        await runRequestsRoutes(api);
        await checklistsRoutes(api);
        await commandsRoutes(api);
        await playbooksRoutes(api);
        await settingsRoutes(api);
      },
      { prefix },
    );
  }
}
