import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, displayName, PB, type Run, type User } from '../api.ts';
import { Markdown } from './Markdown.tsx';

/** Who last changed the summary, from the timeline. */
function lastEditor(run: Run, users: Map<string, User>): string {
  const event = run.timeline_events.filter((e) => e.event_type === 'summary_changed').sort((a, b) => b.event_at - a.event_at)[0];
  return displayName(event ? users.get(event.creator_user_id) : undefined);
}

/**
 * Click to edit. A change from elsewhere while editing never replaces the draft: a notice names who
 * changed it, and saving writes the draft over it deliberately.
 */
export function Summary({ run, users }: { run: Run; users: Map<string, User> }) {
  const client = useQueryClient();
  const [draft, setDraft] = useState<string | null>(null);
  const [base, setBase] = useState('');
  const save = useMutation({
    mutationFn: (summary: string) => api('PATCH', `${PB}/runs/${run.id}`, { summary }),
    onSuccess: () => {
      setDraft(null);
      void client.invalidateQueries({ queryKey: ['run', run.id] });
    },
  });
  const changedMeanwhile = draft !== null && run.summary !== base;
  return (
    <section className="card" aria-labelledby="summary-title" id="summary">
      <h2 id="summary-title">Summary</h2>
      {draft === null ? (
        <>
          {run.summary ? <Markdown text={run.summary} /> : <p className="empty">No summary yet.</p>}
          <button
            type="button"
            className="small"
            onClick={() => {
              setBase(run.summary);
              setDraft(run.summary);
            }}
          >
            Edit summary
          </button>
        </>
      ) : (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(draft);
          }}
        >
          {changedMeanwhile && (
            <p className="notice" role="status">
              Changed by {lastEditor(run, users)} while you were editing; saving replaces their text.
            </p>
          )}
          <label>
            Summary (Markdown)
            <textarea rows={5} value={draft} onChange={(e) => setDraft(e.target.value)} autoFocus />
          </label>
          {save.isError && (
            <p className="error" role="alert">
              {save.error.message}
            </p>
          )}
          <div className="actions">
            <button type="submit" className="primary small" disabled={save.isPending}>
              Save
            </button>
            <button type="button" className="small" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
