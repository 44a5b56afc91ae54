import type { App } from '../server.ts';

export async function tokensRoutes(_app: App): Promise<void> {}
