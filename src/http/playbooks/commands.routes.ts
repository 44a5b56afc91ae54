import type { App } from '../server.ts';

export async function commandsRoutes(_app: App): Promise<void> {}
