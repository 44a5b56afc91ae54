import { exportSnapshot } from '../../domain/portable.ts';
import type { App } from '../app-type.ts';

/**
 * The installation as one JSON document, without secrets (an admin only). This is how a running server on the
 * embedded database is exported: its data directory is locked while it runs.
 */
export async function exportRoutes(app: App): Promise<void> {
  const ctx = app.services.ctx;

  app.get('/export', async (request, reply) => {
    const doc = await exportSnapshot(ctx.db, request.actor, new Date(ctx.clock.now()));
    const name = `muster-export-${doc.exported_at.replace(/[:.]/g, '-')}.json`;
    return reply.header('content-disposition', `attachment; filename="${name}"`).send(doc);
  });
}
