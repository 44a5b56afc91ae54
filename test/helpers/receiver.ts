import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** An answer status meaning: keep the request open, never answer. */
export const HOLD = -1;

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A webhook receiver on a loopback address: records every request and every TCP connection, and answers
 * from `script` (by path; the last answer of a path repeats), 200 by default.
 */
export async function startReceiver(host = '127.0.0.1', port = 0) {
  const received: ReceivedHook[] = [];
  const script = new Map<string, Answer[]>();
  let connections = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answers = script.get(path) ?? [];
      const answer = (answers.length > 1 ? answers.shift() : answers[0]) ?? { status: 200, body: 'ok' };
      if (answer.status === HOLD) return; // never answered: the sender's timeout (or its death) ends it
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      res.end(answer.body ?? '');
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    host,
    port: bound,
    url: (path: string) => `http://${host.includes(':') ? `[${host}]` : host}:${bound}${path}`,
    received,
    on: (path: string, ...answers: Answer[]) => void script.set(path, answers),
    at: (path: string) => received.filter((r) => r.path === path),
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
