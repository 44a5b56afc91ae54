import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { rpc } from '../api.ts';

/** Add a note to the timeline (the RPC's AddActivity), optionally backdated to when it happened. */
export function NoteBox({ incidentId }: { incidentId: string }) {
  const client = useQueryClient();
  const [body, setBody] = useState('');
  const [at, setAt] = useState('');
  const add = useMutation({
    mutationFn: () =>
      rpc('ActivityService.AddActivity', {
        incidentID: incidentId,
        activityKind: 'userNote',
        body,
        eventTime: at ? new Date(at).toISOString() : undefined,
      }),
    onSuccess: () => {
      setBody('');
      setAt('');
      void client.invalidateQueries({ queryKey: ['run', incidentId] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (body.trim()) add.mutate();
  };
  return (
    <form className="note-box stack" onSubmit={submit} aria-label="Add a note">
      <label>
        Note
        <textarea rows={2} value={body} onChange={(e) => setBody(e.target.value)} />
      </label>
      <div className="actions">
        <label className="inline">
          At <span className="hint">(optional, for something earlier)</span>
          <input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
        </label>
        <button type="submit" className="small" disabled={!body.trim() || add.isPending}>
          Add note
        </button>
      </div>
      {add.isError && (
        <p className="error" role="alert">
          {add.error.message}
        </p>
      )}
    </form>
  );
}
