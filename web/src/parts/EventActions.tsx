import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, PB, rpc, type TimelineEvent } from '../api.ts';

/** The value a datetime-local input shows for an instant, in the browser's time zone. */
function localInput(ms: number): string {
  const d = new Date(ms);
  return new Date(ms - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** A short plain name for an event, for the labels of its buttons. */
export function eventName(e: TimelineEvent): string {
  const text = (e.summary || e.event_type).replace(/[*_`[\]()#>]/g, '').trim();
  return text.length > 48 ? `${text.slice(0, 47)}…` : text;
}

/**
 * Per event: move it in time (the RPC's UpdateActivityEventTime; the list re-sorts) or delete it (Playbooks'
 * DELETE timeline event), which asks first. Errors stay beside the event.
 */
export function EventActions({ incidentId, event }: { incidentId: string; event: TimelineEvent }) {
  const client = useQueryClient();
  const [mode, setMode] = useState<'closed' | 'open' | 'time' | 'delete'>('closed');
  const [at, setAt] = useState(() => localInput(event.event_at));
  const change = useMutation({
    mutationFn: (send: () => Promise<unknown>) => send(),
    onSuccess: () => setMode('closed'),
    onSettled: () => client.invalidateQueries({ queryKey: ['run', incidentId] }),
  });
  const name = eventName(event);
  const saveTime = (e: FormEvent) => {
    e.preventDefault();
    const ms = new Date(at).getTime();
    if (Number.isFinite(ms)) change.mutate(() => rpc('ActivityService.UpdateActivityEventTime', { incidentID: incidentId, activityItemID: event.id, eventTime: new Date(ms).toISOString() }));
  };
  return (
    <span className={`event-actions ${mode === 'closed' ? '' : 'open'}`}>
      <button type="button" className="small ghost" aria-expanded={mode !== 'closed'} aria-label={`Event actions: ${name}`} onClick={() => setMode(mode === 'closed' ? 'open' : 'closed')}>
        ⋯
      </button>
      {mode === 'open' && (
        <span className="item-menu">
          <button type="button" className="small" onClick={() => setMode('time')}>
            Edit time
          </button>
          <button type="button" className="small" onClick={() => setMode('delete')}>
            Delete event
          </button>
        </span>
      )}
      {mode === 'time' && (
        <form className="inline-form" onSubmit={saveTime}>
          <input type="datetime-local" aria-label={`Time of ${name}`} value={at} onChange={(e) => setAt(e.target.value)} autoFocus />
          <button type="submit" className="small primary">
            Save time
          </button>
          <button type="button" className="small" onClick={() => setMode('closed')}>
            Cancel
          </button>
        </form>
      )}
      {mode === 'delete' && (
        <span className="inline-form" role="group" aria-label={`Delete ${name}?`}>
          <button type="button" className="small danger" autoFocus onClick={() => change.mutate(() => api('DELETE', `${PB}/runs/${incidentId}/timeline/${event.id}`))}>
            Delete it
          </button>
          <button type="button" className="small" onClick={() => setMode('closed')}>
            Keep
          </button>
        </span>
      )}
      {change.isError && (
        <span className="error" role="alert">
          {change.error.message}
        </span>
      )}
    </span>
  );
}
