import type { App } from '../server.ts';

export async function teamsRoutes(_app: App): Promise<void> {}
