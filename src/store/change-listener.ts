import type pg from 'pg';
import { CHANGES_CHANNEL, decodeChanges, type ChangeFeed } from './changes.ts';
import { listenOn, type Listening } from './listen.ts';

const RECONNECT_MS = 500;

/**
 * Keeps one connection LISTENing for the changes other processes commit to a shared PostgreSQL and feeds
 * them to `feed`. While the connection is down the feed is not live, so caches are bypassed rather than
 * trusted; after a reconnect (every RECONNECT_MS until the server answers) it LISTENs again and everything
 * cached before is dropped (notifications may have been missed). Only the first connect may fail the caller.
 */
export function listenForChanges(config: pg.ClientConfig, feed: ChangeFeed): Promise<Listening> {
  return listenOn(config, CHANGES_CHANNEL, RECONNECT_MS, {
    onNotify: (payload) => feed.record(decodeChanges(payload ?? '*')),
    onListening: () => feed.setLive(true),
    onLost: () => feed.setLive(false),
  });
}
