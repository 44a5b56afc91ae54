import dns from 'node:dns';
import net from 'node:net';
import { Agent, buildConnector, request } from 'undici';
import { OutboundPolicy, SsrfRefusedError, literalIp } from './ssrf.ts';

// Every request the server makes to an address it was given (webhook deliveries, admin HTTP slash commands)
// goes through here: undici 7's own `request` with its own Agent (never an npm-undici dispatcher handed to the
// global fetch), redirects never followed, a hard timeout, a capped response, and the SSRF guard at dial.

export type ErrorClass = 'timeout' | 'connect' | 'dns' | 'ssrf_refused' | 'http_3xx' | 'http_4xx' | 'http_5xx' | 'too_large';

export interface ResolvedAddress {
  address: string;
  family: number;
}
/** Name → every address (dns.lookup with all:true by default; tests inject a rebinding resolver). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface OutboundOptions {
  allowlist: string[];
  timeoutMs: number;
  resolve?: Resolver;
  /** Called with each address just before it is dialed; throwing refuses it (the tests' safety net and spy). */
  onDial?: (address: string, port: number) => void;
}

export interface SendRequest {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** Past this many response bytes the answer is `too_large`. */
  maxResponseBytes: number;
  /** How much of the response body to keep. */
  keepBytes: number;
}

export interface SendResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  durationMs: number;
  /** '' for a 2xx answer read whole. */
  errorClass: ErrorClass | '';
  error: string;
}

const systemResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

export class Outbound {
  private readonly agent: Agent;
  private readonly policy: OutboundPolicy;

  constructor(private readonly opts: OutboundOptions) {
    this.policy = new OutboundPolicy(opts.allowlist);
    this.agent = new Agent({ connect: this.connector(), connectTimeout: opts.timeoutMs, headersTimeout: opts.timeoutMs, bodyTimeout: opts.timeoutMs });
  }

  get timeoutMs(): number {
    return this.opts.timeoutMs;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** Sends one request; never throws for a network or HTTP failure, which comes back classified. */
  async send(url: string, req: SendRequest): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const res = await request(url, {
        dispatcher: this.agent,
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      const headers = flatHeaders(res.headers);
      const read = await readCapped(res.body, req.maxResponseBytes, req.keepBytes);
      const base = { statusCode: res.statusCode, headers, body: read.kept, durationMs: elapsed() };
      if (read.tooLarge) return { ...base, errorClass: 'too_large', error: `the response is larger than ${req.maxResponseBytes} bytes` };
      const errorClass = httpClass(res.statusCode);
      return { ...base, errorClass, error: errorClass ? `HTTP ${res.statusCode}` : '' };
    } catch (err) {
      const errorClass = classify(err);
      return { statusCode: 0, headers: {}, body: '', durationMs: elapsed(), errorClass, error: describe(err, errorClass, this.opts.timeoutMs) };
    }
  }

  /**
   * The dial-time guard: a literal host must pass the policy; a name is resolved here (every address must
   * pass) and the connection is pinned to those checked addresses, so a second resolution cannot rebind it;
   * the connected socket's remote address is checked once more.
   */
  private connector(): buildConnector.connector {
    const resolve = this.opts.resolve ?? systemResolver;
    return (options, callback) => {
      const host = options.hostname;
      const port = Number(options.port) || (options.protocol === 'https:' ? 443 : 80);
      const ip = literalIp(host);
      const dial = (addresses: ResolvedAddress[]) => this.dial(options, port, addresses, callback);
      if (ip) {
        if (!this.policy.allowsAddress(ip)) return callback(new SsrfRefusedError(host), null);
        return dial([{ address: ip, family: net.isIP(ip) }]);
      }
      resolve(host).then(
        (addresses) => {
          if (addresses.length === 0) return callback(Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' }), null);
          const refused = this.policy.allowsHostName(host) ? undefined : addresses.find((a) => !this.policy.allowsAddress(a.address));
          if (refused) return callback(new SsrfRefusedError(`${host} (${refused.address})`), null);
          dial(addresses);
        },
        (err: Error) => callback(err, null),
      );
    };
  }

  private dial(options: buildConnector.Options, port: number, addresses: ResolvedAddress[], callback: buildConnector.Callback): void {
    try {
      for (const a of addresses) this.opts.onDial?.(a.address, port);
    } catch (err) {
      return callback(err as Error, null);
    }
    const pinned = (_name: string, lookupOpts: dns.LookupOptions, cb: (...args: unknown[]) => void) => {
      if (lookupOpts.all) cb(null, addresses);
      else cb(null, addresses[0]!.address, addresses[0]!.family);
    };
    const connect = buildConnector({ timeout: this.opts.timeoutMs, lookup: pinned } as buildConnector.BuildOptions);
    connect(options, (err, socket) => {
      if (err || !socket) return callback(err ?? new Error('no socket'), null);
      const remote = (socket as net.Socket).remoteAddress ?? '';
      if (!this.policy.allowsHostName(options.hostname) && !this.policy.allowsAddress(remote)) {
        socket.destroy();
        return callback(new SsrfRefusedError(`${options.hostname} (${remote})`), null);
      }
      callback(null, socket);
    });
  }
}

function httpClass(status: number): ErrorClass | '' {
  if (status >= 200 && status <= 299) return '';
  if (status >= 300 && status <= 399) return 'http_3xx';
  if (status >= 400 && status <= 499) return 'http_4xx';
  return 'http_5xx';
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME']);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

export function classify(err: unknown): ErrorClass {
  const e = err as { code?: string; name?: string; cause?: unknown };
  if (err instanceof SsrfRefusedError || e.code === 'E_SSRF') return 'ssrf_refused';
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || (e.code && TIMEOUT_CODES.has(e.code))) return 'timeout';
  if (e.code && DNS_CODES.has(e.code)) return 'dns';
  if (e.code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return 'too_large';
  if (e.cause && e.cause !== err) return classify(e.cause);
  return 'connect';
}

function describe(err: unknown, errorClass: ErrorClass, timeoutMs: number): string {
  if (errorClass === 'timeout') return `no answer within ${timeoutMs / 1000} s`;
  return ((err as Error).message || String(err)).slice(0, 500);
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(): void }, max: number, keep: number): Promise<{ kept: string; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let kept = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (kept < keep) {
      const part = chunk.subarray(0, keep - kept);
      chunks.push(part);
      kept += part.byteLength;
    }
    if (size > max) {
      body.destroy();
      return { kept: Buffer.concat(chunks).toString('utf8'), tooLarge: true };
    }
  }
  return { kept: Buffer.concat(chunks).toString('utf8'), tooLarge: false };
}
