import { useEffect, useState } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';

export const EVENTS_PATH = '/api/muster/v1/events';
export type LiveState = 'connecting' | 'live' | 'reconnecting';

/** Which cached queries a change to these incidents makes stale. */
function invalidate(client: QueryClient, incidents: string[]): void {
  void client.invalidateQueries({ queryKey: ['incidents'] });
  for (const id of incidents) {
    void client.invalidateQueries({ queryKey: ['run', id] });
    void client.invalidateQueries({ queryKey: ['status-updates', id] });
    void client.invalidateQueries({ queryKey: ['membership', id] });
  }
}

/**
 * Listens to the server's change stream while signed in. EventSource reconnects by itself and sends
 * `Last-Event-ID`, so the server replays what was missed; a `reset` (unknown id, or a change that is not one
 * incident's) refetches everything shown. A closed stream (session ended) re-checks the session.
 */
export function useLiveUpdates(enabled: boolean): LiveState {
  const client = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');
  useEffect(() => {
    if (!enabled) return undefined;
    let source: EventSource | undefined;
    let retry: number | undefined;
    // A new EventSource forgets the last id, so it is carried over by hand to resume without a gap.
    let lastId = '';
    const remember = (event: Event) => {
      const id = (event as MessageEvent).lastEventId;
      if (id) lastId = id;
    };
    const connect = () => {
      source = new EventSource(lastId ? `${EVENTS_PATH}?last_event_id=${encodeURIComponent(lastId)}` : EVENTS_PATH);
      source.addEventListener('hello', remember);
      source.onopen = () => setState('live');
      source.onerror = () => {
        setState('reconnecting');
        if (source?.readyState === EventSource.CLOSED) {
          void client.invalidateQueries({ queryKey: ['me'] });
          retry = window.setTimeout(connect, 3000);
        }
      };
      source.addEventListener('change', (event) => {
        remember(event);
        const data = JSON.parse((event as MessageEvent<string>).data) as { incidents: string[] };
        invalidate(client, data.incidents);
      });
      source.addEventListener('reset', (event) => {
        remember(event);
        void client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      });
    };
    connect();
    return () => {
      source?.close();
      window.clearTimeout(retry);
    };
  }, [enabled, client]);
  return state;
}
