import pg from 'pg';

export interface Listening {
  stop(): Promise<void>;
}

export interface ListenHandlers {
  /** A notification on the channel. */
  onNotify(payload: string | undefined): void;
  /** LISTENing now: the first time and after every reconnect (notifications may have been missed meanwhile). */
  onListening(): void;
  /** The connection was lost (or stopped): not listening until the next onListening. */
  onLost?(): void;
}

/**
 * One connection LISTENing on `channel` of a shared PostgreSQL, reconnected every `reconnectMs` after it is
 * lost. Only the first connect may fail the caller; 'error' events are heard, so a lost connection never
 * ends the process.
 */
export async function listenOn(config: pg.ClientConfig, channel: string, reconnectMs: number, handlers: ListenHandlers): Promise<Listening> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const scheduleReconnect = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch(scheduleReconnect);
    }, reconnectMs);
    retry.unref();
  };

  const connect = async () => {
    const next = new pg.Client(config);
    const lost = () => {
      if (client !== next) return;
      client = undefined;
      handlers.onLost?.();
      void next.end().catch(() => undefined);
      scheduleReconnect();
    };
    next.on('error', lost); // also keeps a failed connection from ending the process
    next.on('end', lost);
    next.on('notification', (message) => {
      if (message.channel === channel) handlers.onNotify(message.payload);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
    } catch (err) {
      await next.end().catch(() => undefined);
      throw err;
    }
    if (stopped) return void (await next.end());
    client = next;
    handlers.onListening();
  };

  await connect();
  return {
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      const current = client;
      client = undefined;
      handlers.onLost?.();
      await current?.end().catch(() => undefined);
    },
  };
}
