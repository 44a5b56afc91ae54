import type { App } from '../app-type.ts';
import { backupRoutes } from './backup.routes.ts';
import { exportRoutes } from './export.routes.ts';
import { integrationsRoutes } from './integrations.routes.ts';
import { webhooksRoutes } from './webhooks.routes.ts';

/** Muster's own API (what neither Playbooks nor Grafana Incident has): `/api/muster/v1`. */
export const MUSTER_PREFIX = '/api/muster/v1';

export async function registerMusterRoutes(app: App): Promise<void> {
  await app.register(async (scoped) => webhooksRoutes(scoped as App), { prefix: MUSTER_PREFIX });
  await app.register(async (scoped) => integrationsRoutes(scoped as App), { prefix: MUSTER_PREFIX });
  await app.register(async (scoped) => exportRoutes(scoped as App), { prefix: MUSTER_PREFIX });
  await app.register(async (scoped) => backupRoutes(scoped as App), { prefix: MUSTER_PREFIX });
}
