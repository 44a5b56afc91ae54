/** A minimal Server-Sent Events client for tests: reads the stream with fetch and parses events. */
export interface SseEvent {
  event: string;
  id: string;
  data: string;
}

export interface SseStream {
  status: number;
  /** The next event (after those already taken) that matches, waiting up to `timeoutMs`. */
  next(match?: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}

function parse(block: string): SseEvent | undefined {
  const event: SseEvent = { event: 'message', id: '', data: '' };
  let any = false;
  for (const line of block.split('\n')) {
    if (!line || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event.event = value;
    else if (field === 'id') event.id = value;
    else if (field === 'data') event.data += value;
    else continue;
    any = true;
  }
  return any && event.event !== 'message' ? event : undefined;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const events: SseEvent[] = [];
  let wake: (() => void) | undefined;
  if (res.ok && res.body) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const event = parse(buffer.slice(0, cut));
            buffer = buffer.slice(cut + 2);
            if (event) events.push(event);
          }
          wake?.();
        }
      } catch {
        // aborted
      }
    })();
  } else {
    await res.text();
  }
  return {
    status: res.status,
    async next(match = () => true, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = events.findIndex(match);
        if (index >= 0) return events.splice(0, index + 1)[index]!;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events)}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, Math.min(left, 200));
        });
      }
    },
    close: () => abort.abort(),
  };
}
