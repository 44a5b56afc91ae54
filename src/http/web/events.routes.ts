import type { FastifyReply, FastifyRequest } from 'fastify';
import client from 'prom-client';
import { Type } from 'typebox';
import type { ServerResponse } from 'node:http';
import { authenticateCredential } from '../../domain/identity/sessions.ts';
import { visibleAmong } from '../../domain/incidents/watch.ts';
import type { Actor } from '../../domain/context.ts';
import { tokenOf } from '../auth.ts';
import type { App } from '../app-type.ts';
import type { ChangeLog, LoggedChange } from './change-log.ts';

export const EVENTS_PATH = '/api/muster/v1/events';
const HEARTBEAT_MS = 15_000;
/** Past this many unsent changes a stream collapses them into one reset (the browser refetches what it shows). */
const MAX_PENDING = 256;
/** A client that does not read: past this many buffered bytes its stream is cut (it reconnects and resumes). */
const MAX_BUFFERED = 256 * 1024;

/** The open streams: counted in /metrics (`muster_sse_streams`) and ended before the server closes. */
export class Streams {
  private open = new Set<ServerResponse>();
  get count(): number {
    return this.open.size;
  }
  add(raw: ServerResponse): void {
    this.open.add(raw);
  }
  remove(raw: ServerResponse): void {
    this.open.delete(raw);
  }
  endAll(): void {
    for (const raw of this.open) raw.end();
    this.open.clear();
  }
}

/**
 * One browser's stream. Changes are handled one batch at a time, in order: the incidents the viewer may
 * see go out as `change` (with the log id, so `Last-Event-ID` resumes there), "everything" as `reset`.
 */
class Stream {
  private pending: LoggedChange[] = [];
  private busy = false;

  constructor(
    private readonly app: App,
    private readonly log: ChangeLog,
    private readonly raw: ServerResponse,
    private readonly actor: Actor,
  ) {}

  push(change: LoggedChange): void {
    this.pending.push(change);
    if (this.pending.length > MAX_PENDING) this.pending = [{ seq: change.seq, incidents: null }];
    if (!this.busy) void this.drain();
  }

  send(event: string, seq: number, data: unknown): void {
    if (this.raw.writableLength > MAX_BUFFERED) {
      this.raw.destroy();
      return;
    }
    this.raw.write(`event: ${event}\nid: ${this.log.eventId(seq)}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private async drain(): Promise<void> {
    this.busy = true;
    try {
      while (this.pending.length > 0 && !this.raw.destroyed) {
        const batch = this.pending;
        this.pending = [];
        const last = batch[batch.length - 1]!.seq;
        if (batch.some((c) => c.incidents === null)) {
          this.send('reset', last, {});
          continue;
        }
        const ids = [...new Set(batch.flatMap((c) => c.incidents!))];
        const visible = await visibleAmong(this.app.services.ctx, this.actor, ids);
        if (visible.length > 0) this.send('change', last, { incidents: visible });
      }
    } catch (err) {
      this.app.log.warn({ err }, 'live stream: could not check access; the stream ends and the browser reconnects');
      this.raw.destroy();
    } finally {
      this.busy = false;
    }
  }
}

function lastEventId(request: FastifyRequest): string | undefined {
  const header = request.headers['last-event-id'];
  if (typeof header === 'string' && header) return header;
  const query = (request.query as Record<string, unknown> | undefined)?.last_event_id;
  return typeof query === 'string' && query ? query : undefined;
}

function open(app: App, log: ChangeLog, streams: Streams, request: FastifyRequest, reply: FastifyReply): void {
  const raw = reply.raw;
  reply.hijack();
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
  });
  raw.write('retry: 2000\n\n');
  const stream = new Stream(app, log, raw, request.actor);
  const resumeFrom = lastEventId(request);
  const backlog = resumeFrom === undefined ? [] : log.since(resumeFrom);
  if (backlog === null) stream.send('reset', log.lastSeq, {});
  else if (resumeFrom === undefined) stream.send('hello', log.lastSeq, {});
  else for (const change of backlog) stream.push(change);
  const stop = log.listen((change) => stream.push(change));
  streams.add(raw);
  const token = tokenOf(request);
  // A revoked or expired session ends its streams too (checked at each heartbeat; the check is cached).
  const heartbeat = setInterval(() => {
    raw.write(': heartbeat\n\n');
    void authenticateCredential(app.services.ctx, token ?? '').then((c) => {
      if (!c) raw.end();
    }, () => raw.end());
  }, HEARTBEAT_MS);
  heartbeat.unref();
  raw.on('close', () => {
    clearInterval(heartbeat);
    stop();
    streams.remove(raw);
  });
}

/** `GET /api/muster/v1/events`: Server-Sent Events of changes to the incidents the caller may see; the stream gauge. */
export async function eventsRoutes(app: App, log: ChangeLog, streams: Streams): Promise<void> {
  const schema = {
    summary: 'Live changes (Server-Sent Events)',
    description:
      'text/event-stream of `change` ({"incidents": [ids]}, only incidents the caller may see), `reset` (refetch everything) and `hello`; every event has an id to resume from with Last-Event-ID or ?last_event_id=.',
    querystring: Type.Object({ last_event_id: Type.Optional(Type.String({ maxLength: 64 })) }),
  };
  app.get(EVENTS_PATH, { schema }, (request, reply) => open(app, log, streams, request, reply));
  new client.Gauge({
    name: 'muster_sse_streams',
    help: 'Open live-update (Server-Sent Events) streams',
    registers: [app.metricsRegistry],
    collect() {
      this.set(streams.count);
    },
  });
  app.addHook('preClose', (done) => {
    streams.endAll();
    log.close();
    done();
  });
}
