import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, displayName, PB, type Run, type User } from '../../api.ts';
import { parseDue } from './due.ts';

/** Where each selected item is now (indices move as items are added or removed). */
function positions(run: Run, selected: Set<string>): Array<{ list: number; item: number }> {
  return run.checklists.flatMap((c, list) => c.items.flatMap((it, item) => (selected.has(it.id) ? [{ list, item }] : [])));
}

/** One action for every selected item: assign, set a due date, or skip (the 70-task runs of PB#1946). */
export function BulkBar({ run, users, selected, onDone }: { run: Run; users: Map<string, User>; selected: Set<string>; onDone: () => void }) {
  const client = useQueryClient();
  const [assignee, setAssignee] = useState('');
  const [dueText, setDueText] = useState('');
  const apply = useMutation({
    mutationFn: async (send: (path: string) => Promise<unknown>) => {
      for (const at of positions(run, selected)) await send(`${PB}/runs/${run.id}/checklists/${at.list}/item/${at.item}`);
    },
    onSuccess: onDone,
    onSettled: () => client.invalidateQueries({ queryKey: ['run', run.id] }),
  });
  const due = dueText.trim() ? parseDue(dueText, Date.now()) : null;
  return (
    <div className="bulk-bar" role="region" aria-label="Selected items">
      <strong>{`${selected.size} selected`}</strong>
      <select aria-label="Assign selected to" value={assignee} onChange={(e) => setAssignee(e.target.value)}>
        <option value="">Unassigned</option>
        {[...users.values()].map((u) => (
          <option key={u.id} value={u.id}>
            {displayName(u)}
          </option>
        ))}
      </select>
      <button type="button" className="small" onClick={() => apply.mutate((p) => api('PUT', `${p}/assignee`, { assignee_id: assignee }))}>
        Assign selected
      </button>
      <input aria-label="Due date for selected" placeholder="tomorrow 9am" value={dueText} onChange={(e) => setDueText(e.target.value)} />
      <button type="button" className="small" disabled={due === null} onClick={() => due !== null && apply.mutate((p) => api('PUT', `${p}/duedate`, { due_date: due }))}>
        Set due date
      </button>
      <button type="button" className="small" onClick={() => apply.mutate((p) => api('PUT', `${p}/skip`))}>
        Skip selected
      </button>
      <button type="button" className="small ghost" onClick={onDone}>
        Clear selection
      </button>
      {apply.isError && (
        <span className="error" role="alert">
          {apply.error.message}
        </span>
      )}
    </div>
  );
}
