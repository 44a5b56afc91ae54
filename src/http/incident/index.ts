import type { App } from '../app-type.ts';
import { activityMethods } from './activity.methods.ts';
import { incomingWebhookRoutes } from './hooks.routes.ts';
import { incidentsMethods } from './incidents.methods.ts';
import { queryMethods } from './query.methods.ts';
import { registerRpc } from './rpc.ts';
import { rolesMethods } from './roles.methods.ts';
import { tasksMethods } from './tasks.methods.ts';

/** The Grafana Incident JSON/HTTP RPC facade: every service's methods behind one transport. */
export async function registerIncidentRoutes(app: App): Promise<void> {
  await registerRpc(app, { ...incidentsMethods, ...queryMethods, ...activityMethods, ...tasksMethods, ...rolesMethods });
  await incomingWebhookRoutes(app);
}
