import type { App } from '../server.ts';

export async function checklistsRoutes(_app: App): Promise<void> {}
