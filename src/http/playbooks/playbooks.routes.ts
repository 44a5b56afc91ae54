import type { App } from '../server.ts';

export async function playbooksRoutes(_app: App): Promise<void> {}
