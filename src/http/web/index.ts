import type { App } from '../app-type.ts';
import { ChangeLog } from './change-log.ts';
import { eventsRoutes, Streams } from './events.routes.ts';
import { webAssetRoutes } from './static.ts';

/** The browser UI: its built assets at `/` and the live-update stream it listens to. */
export async function registerWebRoutes(app: App): Promise<void> {
  const log = new ChangeLog(app.services.ctx.cache.feed);
  const streams = new Streams();
  app.decorate('liveStreams', streams);
  await eventsRoutes(app, log, streams);
  await webAssetRoutes(app);
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The open live-update streams (counted, and ended before the server closes). */
    liveStreams: Streams;
  }
}
