import { embeddedBackup } from '../../domain/backup.ts';
import type { App } from '../app-type.ts';

/** GET /backup: the running embedded installation's data directory as a .tar.gz (an admin only). */
export async function backupRoutes(app: App): Promise<void> {
  const { database, ctx } = app.services;

  app.get('/backup', async (request, reply) => {
    const tarball = await embeddedBackup(database, request.actor);
    const stamp = new Date(ctx.clock.now()).toISOString().replace(/[:.]/g, '-');
    return reply
      .type('application/gzip')
      .header('content-disposition', `attachment; filename="muster-backup-${stamp}.tar.gz"`)
      .send(Buffer.from(await tarball.arrayBuffer()));
  });
}
