import type { App } from '../server.ts';

export async function runLifecycleRoutes(_app: App): Promise<void> {}
