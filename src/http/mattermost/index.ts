import type { App } from '../server.ts';
import { usersRoutes } from './users.routes.ts';

/** The slice of Mattermost's v4 API that Playbooks clients use to discover ids. */
export async function registerMattermostRoutes(app: App): Promise<void> {
  await app.register(
    async (scoped) => {
      await usersRoutes(scoped as App);
    },
    { prefix: '/api/v4' },
  );
}
