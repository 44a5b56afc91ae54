import { setLegacySeverity } from './lookups.ts';
import type { App } from '../app-type.ts';
import { activityMethods } from './activity.methods.ts';
import { incomingWebhookRoutes } from './hooks.routes.ts';
import { fieldsMethods } from './fields.methods.ts';
import { incidentsMethods } from './incidents.methods.ts';
import { integrationsMethods } from './integrations.methods.ts';
import { keyUpdatesMethods } from './key-updates.methods.ts';
import { labelsMethods } from './labels.methods.ts';
import { queryMethods } from './query.methods.ts';
import { registerRpc } from './rpc.ts';
import { rolesMethods } from './roles.methods.ts';
import { statusesMethods } from './statuses.methods.ts';
import { tasksMethods } from './tasks.methods.ts';
import { usersMethods } from './users.methods.ts';

/** The Grafana Incident JSON/HTTP RPC facade: every service's methods behind one transport. */
export async function registerIncidentRoutes(app: App, options: { legacySeverity: boolean }): Promise<void> {
  setLegacySeverity(options.legacySeverity);
  await registerRpc(app, {
    ...incidentsMethods,
    ...labelsMethods,
    ...keyUpdatesMethods,
    ...fieldsMethods,
    ...queryMethods,
    ...activityMethods,
    ...tasksMethods,
    ...rolesMethods,
    ...usersMethods,
    ...statusesMethods,
    ...integrationsMethods,
  });
  await incomingWebhookRoutes(app);
}
