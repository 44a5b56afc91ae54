import { ADMIN_TOKEN } from './muster-process.ts';

export const API = '/plugins/playbooks/api/v0';
export const RPC = '/api/plugins/grafana-incident-app/resources/api/v1';

/** Longer than any bound Muster promises: a request still open past this counts as a hang. */
const REQUEST_BOUND_MS = 15_000;

export interface Outcome {
  kind: 'status' | 'note';
  incidentId: string;
  text: string;
  sentAt: number;
  doneAt: number;
  /** HTTP status, or 'error' when no HTTP answer came (refused, reset, hang). */
  status: number | 'error';
  retryAfter: string | null;
  body: string;
}

/** One request as the admin; never throws (a transport failure is status 'error'). */
export async function send(url: string, method: string, path: string, body?: unknown): Promise<{ status: number | 'error'; retryAfter: string | null; body: string }> {
  try {
    const res = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_BOUND_MS),
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text() };
  } catch (err) {
    return { status: 'error', retryAfter: null, body: String((err as Error).cause ?? err) };
  }
}

/**
 * Writers, each in a loop: even ones post REST status updates, odd ones RPC AddActivity notes, spread over
 * the given incidents. Every answer is kept, with the text it carried, so acknowledged writes can be checked.
 */
export class WriteLoad {
  readonly outcomes: Outcome[] = [];
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly url: string,
    private readonly incidentIds: string[],
    private readonly tag: string,
  ) {}

  start(writers = 8): void {
    this.running = true;
    for (let i = 0; i < writers; i++) this.loops.push(this.writer(i));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    this.loops = [];
  }

  acknowledged(): Outcome[] {
    return this.outcomes.filter((o) => typeof o.status === 'number' && o.status >= 200 && o.status < 300);
  }

  private async writer(i: number): Promise<void> {
    const kind = i % 2 === 0 ? 'status' : 'note';
    const incidentId = this.incidentIds[i % this.incidentIds.length]!;
    for (let n = 0; this.running; n++) {
      const text = `${this.tag} w${i} #${n}`;
      const sentAt = performance.now();
      const res =
        kind === 'status'
          ? await send(this.url, 'POST', `${API}/runs/${incidentId}/status`, { message: text, reminder: 0 })
          : await send(this.url, 'POST', `${RPC}/ActivityService.AddActivity`, { incidentID: incidentId, activityKind: 'userNote', body: text });
      this.outcomes.push({ kind, incidentId, text, sentAt, doneAt: performance.now(), ...res });
      if (res.status !== 200) await new Promise((resolve) => setTimeout(resolve, 50)); // don't spin while it is down
    }
  }
}
