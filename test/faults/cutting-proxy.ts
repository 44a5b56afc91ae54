import net from 'node:net';

/**
 * A loopback TCP proxy in front of PostgreSQL that can cut one connection at a chosen statement of the
 * simple-query protocol (how Kysely sends `begin` and `commit`):
 * - `before <sql>`: the statement never reaches the server, the connection closes (nothing was done);
 * - `after <sql>`: the server runs it and answers, the answer is dropped and the connection closes (the
 *   client cannot know it happened).
 * Each arming cuts one connection, then the proxy relays normally again. With `dropNotifications` set, the
 * NOTIFY messages the server sends are not passed on (a listener that misses changes).
 */
export class CuttingProxy {
  private server = net.createServer((client) => this.relay(client));
  private sockets = new Set<net.Socket>();
  private armed: { when: 'before' | 'after'; message: Buffer; done: () => void } | undefined;
  dropNotifications = false;

  constructor(private readonly upstream: { host: string; port: number }) {}

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Resolves once a connection was cut at `sql`. */
  cut(when: 'before' | 'after', sql: string): Promise<void> {
    return new Promise((done) => {
      this.armed = { when, message: Buffer.from(`${sql}\0`), done };
    });
  }

  close(): void {
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
  }

  private relay(client: net.Socket): void {
    const server = net.connect(this.upstream);
    this.sockets.add(client).add(server);
    let dropReplies = false;
    let cutWhenAnswered: (() => void) | undefined;
    const cut = () => {
      client.destroy();
      server.destroy();
    };
    client.on('data', (chunk) => {
      const armed = this.armed;
      // 'Q' (simple query) whose text is exactly the armed statement.
      if (armed && chunk[0] === 0x51 && chunk.subarray(5).equals(armed.message)) {
        this.armed = undefined;
        if (armed.when === 'before') {
          cut();
          armed.done();
          return;
        }
        dropReplies = true;
        cutWhenAnswered = () => {
          cut();
          armed.done();
        };
      }
      server.write(chunk);
    });
    let pending = Buffer.alloc(0);
    server.on('data', (chunk) => {
      if (dropReplies) return cutWhenAnswered?.(); // the server has answered (committed): the client never hears it
      pending = Buffer.concat([pending, chunk]);
      // Server messages are framed as a type byte and an int32 length (which counts itself).
      while (pending.length >= 5 && pending.length >= 1 + pending.readInt32BE(1)) {
        const size = 1 + pending.readInt32BE(1);
        const message = pending.subarray(0, size);
        pending = pending.subarray(size);
        if (!(this.dropNotifications && message[0] === 0x41)) client.write(message); // 'A': NotificationResponse
      }
    });
    for (const socket of [client, server]) {
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        cut();
      });
    }
  }
}
