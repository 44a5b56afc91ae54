import type { App } from '../server.ts';

export async function channelsRoutes(_app: App): Promise<void> {}
