import pg from 'pg';
import { JOBS_CHANNEL } from '../store/jobs.repo.ts';

const RECONNECT_MS = 1000;

/**
 * On a shared PostgreSQL, wakes this process's runner when another process commits a job (NOTIFY on
 * JOBS_CHANNEL), so a delivery is attempted within a second of its commit rather than at the next poll.
 * While the connection is down the runner still polls; it reconnects by itself.
 */
export async function listenForJobs(connectionString: string, wake: () => void): Promise<{ stop(): Promise<void> }> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const scheduleReconnect = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch(scheduleReconnect);
    }, RECONNECT_MS);
    retry.unref();
  };
  const connect = async () => {
    const next = new pg.Client({ connectionString });
    const lost = () => {
      if (client !== next) return;
      client = undefined;
      void next.end().catch(() => undefined);
      scheduleReconnect();
    };
    next.on('error', lost);
    next.on('end', lost);
    next.on('notification', (message) => {
      if (message.channel === JOBS_CHANNEL) wake();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${JOBS_CHANNEL}`);
    } catch (err) {
      await next.end().catch(() => undefined);
      throw err;
    }
    if (stopped) return void (await next.end());
    client = next;
    wake(); // anything committed while we were not listening
  };

  await connect();
  return {
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}
