import type { App } from '../server.ts';

export async function runsExtraRoutes(_app: App): Promise<void> {}
