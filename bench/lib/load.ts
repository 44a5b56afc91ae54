import autocannon from 'autocannon';
import { percentile } from './stats.ts';

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds; ignored when `amount` is set. */
  duration?: number;
  /** Total requests, spread over the connections (each connection stops after its share). */
  amount?: number;
  /** The same request cycle for every connection. */
  requests?: autocannon.Request[];
  /** A request cycle per connection (its own state in the closure), given the connection's index. */
  perConnection?: (index: number) => autocannon.Request[];
  headers?: Record<string, string>;
  /** Per-request timeout in seconds (autocannon counts a timeout as an error and moves on). */
  timeoutS?: number;
}

export interface LoadResult {
  durationS: number;
  /** Responses received (any status). */
  responses: number;
  ok: number;
  /** 2xx responses per second. */
  rps: number;
  /** Every response time in ms, in arrival order. */
  latencies: number[];
  statusCounts: Record<string, number>;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** Runs autocannon in this process against a server in another one; raw response times are kept for exact percentiles. */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  let ok = 0;
  let connection = 0;
  let finish: (err: Error | null, result: autocannon.Result) => void = () => {};
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    finish = (err, result) => (err ? reject(err) : resolve(result));
  });
  const instance = autocannon({
    url: opts.url,
    connections: opts.connections,
    duration: opts.duration ?? 10,
    amount: opts.amount,
    timeout: opts.timeoutS ?? 60,
    headers: opts.headers,
    requests: opts.requests ?? [{ method: 'GET', path: '/healthz' }],
    setupClient: opts.perConnection
      ? (client) => {
          client.setRequests(opts.perConnection!(connection++));
        }
      : undefined,
  }, (err, result) => finish(err, result));
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    latencies.push(responseTime);
    statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
    if (statusCode >= 200 && statusCode < 300) ok++;
  });
  const result = await finished;
  return {
    durationS: result.duration,
    responses: latencies.length,
    ok,
    rps: result.duration > 0 ? ok / result.duration : 0,
    latencies,
    statusCounts,
    non2xx: latencies.length - ok,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/** One line for the log: "812 req/s, p50 12 ms, p99 40 ms, 0 errors". */
export function describeLoad(result: LoadResult): string {
  const p = (q: number) => Math.round(percentile(result.latencies, q));
  const codes = Object.entries(result.statusCounts)
    .map(([code, n]) => `${code}×${n}`)
    .join(' ');
  return `${Math.round(result.rps)} ok/s over ${result.durationS}s, p50 ${p(50)} ms, p99 ${p(99)} ms, [${codes}], errors ${result.errors}`;
}

/** Throws unless every response was 2xx and nothing timed out or failed. */
export function requireAllOk(what: string, result: LoadResult): void {
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new BenchFailure(
      `${what}: ${result.non2xx} non-2xx (${JSON.stringify(result.statusCounts)}), ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
}

/** A scenario broke (a 5xx, a lost write, a gap): the run must exit non-zero. */
export class BenchFailure extends Error {}
