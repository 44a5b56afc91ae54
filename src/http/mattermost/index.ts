import type { App } from '../app-type.ts';
import { channelsRoutes } from './channels.routes.ts';
import { sessionsRoutes } from './sessions.routes.ts';
import { systemRoutes } from './system.routes.ts';
import { teamsRoutes } from './teams.routes.ts';
import { tokensRoutes } from './tokens.routes.ts';
import { usersRoutes } from './users.routes.ts';

/** The slice of Mattermost's v4 API that Playbooks clients use to discover ids. */
export async function registerMattermostRoutes(app: App): Promise<void> {
  await app.register(
    async (scoped) => {
      const api = scoped as App;
      await usersRoutes(api);
      await teamsRoutes(api);
      await channelsRoutes(api);
      await tokensRoutes(api);
      await sessionsRoutes(api);
      await systemRoutes(api);
    },
    { prefix: '/api/v4' },
  );
}
