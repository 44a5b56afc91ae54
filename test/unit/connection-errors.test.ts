import assert from 'node:assert/strict';
import net from 'node:net';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { databaseFailure } from '../../src/domain/errors.ts';
import { playbooksErrorBody, rpcErrorBody, toWireError } from '../../src/http/errors.ts';
import { CommitOutcomeUnknownError, isConnectionError } from '../../src/store/connection-errors.ts';

function serverError(code: string, message = 'server said so') {
  return Object.assign(new pg.DatabaseError(message, 0, 'error'), { code });
}

/** A loopback server whose connections are handled by `onSocket`; resolves to its port. */
async function loopback(onSocket: (socket: net.Socket) => void): Promise<{ port: number; close(): void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

/** What pg actually throws when connecting to `port` the given way. */
async function connectError(config: pg.PoolConfig): Promise<unknown> {
  const pool = new pg.Pool({ host: '127.0.0.1', user: 'x', database: 'x', ...config });
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
    return undefined;
  } catch (err) {
    return err;
  } finally {
    await pool.end().catch(() => undefined);
  }
}

describe('isConnectionError', () => {
  const servers: Array<{ close(): void }> = [];
  after(() => servers.forEach((s) => s.close()));

  test('a refused connection (nothing listens on the port)', async () => {
    const probe = await loopback(() => undefined);
    probe.close(); // the port is now free: connecting is refused
    const err = await connectError({ port: probe.port });
    assert.ok(err, 'connect must fail');
    assert.equal(isConnectionError(err), true, String(err));
  });

  test('a server that closes the connection at once', async () => {
    const server = await loopback((socket) => socket.destroy());
    servers.push(server);
    const err = await connectError({ port: server.port });
    assert.ok(err);
    assert.equal(isConnectionError(err), true, String(err));
  });

  test("pg-pool's connect timeout (a server that accepts and never answers)", async () => {
    const server = await loopback(() => undefined);
    servers.push(server);
    const err = await connectError({ port: server.port, connectionTimeoutMillis: 50 });
    assert.ok(err);
    assert.equal(isConnectionError(err), true, String(err));
  });

  test('server shutdown, restart and connection-exception SQLSTATEs', () => {
    for (const code of ['57P01', '57P02', '57P03', '08006', '08001', '08003', '08P01', '53300']) {
      assert.equal(isConnectionError(serverError(code)), true, code);
    }
  });

  test('a statement that failed is not a connection error', () => {
    for (const code of ['23505', '42P01', '40001', '22021', '57014']) {
      assert.equal(isConnectionError(serverError(code)), false, code);
    }
    assert.equal(isConnectionError(new Error('boom')), false);
    assert.equal(isConnectionError(undefined), false);
    assert.equal(isConnectionError('ECONNREFUSED'), false);
    // An outbound fetch that was refused is an upstream problem, not the database's.
    assert.equal(isConnectionError(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })), false);
  });

  test('an AggregateError counts only when every attempt was a connection error', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' });
    assert.equal(isConnectionError(new AggregateError([refused, refused])), true);
    assert.equal(isConnectionError(new AggregateError([refused, new Error('other')])), false);
  });
});

describe('database failures on the wire', () => {
  test('a connection error answers 503 with Retry-After in both facades, never 500', () => {
    const wire = toWireError(serverError('57P01', 'terminating connection due to administrator command'));
    assert.equal(wire.status, 503);
    assert.equal(wire.retryAfter, 2);
    assert.match(wire.message, /database is unavailable/);
    assert.doesNotMatch(wire.message, /administrator/, 'internals stay in the log');
    assert.deepEqual(rpcErrorBody(wire), { error: wire.message });
    assert.deepEqual(playbooksErrorBody(wire), { error: wire.message, details: wire.message });
  });

  test('a COMMIT whose outcome is unknown answers 503 saying so', () => {
    const err = new CommitOutcomeUnknownError(new Error('Connection terminated unexpectedly'));
    assert.equal(databaseFailure(err)?.code, 'unavailable');
    const wire = toWireError(err);
    assert.equal(wire.status, 503);
    assert.equal(wire.retryAfter, 2);
    assert.match(wire.message, /outcome of this write is unknown/);
  });

  test('other errors keep their mapping (no Retry-After on a 500)', () => {
    const wire = toWireError(serverError('23505'));
    assert.equal(wire.status, 500);
    assert.equal(wire.retryAfter, undefined);
    assert.equal(databaseFailure(new Error('boom')), undefined);
  });
});
