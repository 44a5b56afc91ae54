import pg from 'pg';
import { CHANGES_CHANNEL, decodeChanges, type ChangeFeed } from './changes.ts';

const RECONNECT_MS = 500;

/**
 * Keeps one connection LISTENing for the changes other processes commit to a shared PostgreSQL and feeds
 * them to `feed`. While the connection is down the feed is not live, so caches are bypassed rather than
 * trusted; after a reconnect (every RECONNECT_MS until the server answers) it LISTENs again and everything
 * cached before is dropped (notifications may have been missed). Only the first connect may fail the caller.
 */
export async function listenForChanges(config: pg.ClientConfig, feed: ChangeFeed): Promise<{ stop(): Promise<void> }> {
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
    const next = new pg.Client(config);
    const lost = () => {
      if (client !== next) return;
      client = undefined;
      feed.setLive(false);
      void next.end().catch(() => undefined);
      scheduleReconnect();
    };
    next.on('error', lost); // also keeps a failed connection from ending the process
    next.on('end', lost);
    next.on('notification', (message) => {
      if (message.channel === CHANGES_CHANNEL) feed.record(decodeChanges(message.payload ?? '*'));
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (err) {
      await next.end().catch(() => undefined);
      throw err;
    }
    if (stopped) {
      await next.end();
      return;
    }
    client = next;
    feed.setLive(true);
  };

  await connect();
  return {
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      const current = client;
      client = undefined;
      feed.setLive(false);
      await current?.end().catch(() => undefined);
    },
  };
}
