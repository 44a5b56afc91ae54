import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, PB, type Run } from '../api.ts';

const REMINDERS: Array<[number, string]> = [
  [0, 'Never'],
  [900, 'In 15 minutes'],
  [1800, 'In 30 minutes'],
  [3600, 'In 1 hour'],
  [14400, 'In 4 hours'],
  [86400, 'In 1 day'],
];

/** Post a status update (native modal dialog: focus is trapped and Escape closes it). */
export function StatusDialog({ run, open, onClose }: { run: Run; open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const client = useQueryClient();
  const [message, setMessage] = useState('');
  const [reminder, setReminder] = useState(run.reminder_timer_default_seconds || run.previous_reminder / 1e9 || 0);
  const [finish, setFinish] = useState(false);
  const post = useMutation({
    mutationFn: () => api('POST', `${PB}/runs/${run.id}/status`, { message, reminder, finish_run: finish }),
    onSuccess: () => {
      setMessage('');
      setFinish(false);
      void client.invalidateQueries({ queryKey: ['run', run.id] });
      void client.invalidateQueries({ queryKey: ['status-updates', run.id] });
      onClose();
    },
  });
  useEffect(() => {
    const dialog = ref.current;
    if (open && dialog && !dialog.open) dialog.showModal();
    if (!open && dialog?.open) dialog.close();
  }, [open]);
  const open_ = run.checklists.flatMap((c) => c.items).filter((i) => i.state === '' || i.state === 'in_progress').length;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (finish && open_ > 0 && !window.confirm(`${open_} tasks are still outstanding. Resolve anyway?`)) return;
    post.mutate();
  };
  const options = REMINDERS.some(([s]) => s === reminder) ? REMINDERS : [...REMINDERS, [reminder, `In ${Math.round(reminder / 60)} minutes`] as [number, string]];
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="status-title" onClose={onClose}>
      <form method="dialog" className="stack" onSubmit={submit}>
        <h2 id="status-title">Post a status update</h2>
        <label>
          What changed
          <textarea required rows={6} value={message} onChange={(e) => setMessage(e.target.value)} />
        </label>
        <label>
          Next update
          <select value={reminder} onChange={(e) => setReminder(Number(e.target.value))}>
            {options.map(([seconds, label]) => (
              <option key={seconds} value={seconds}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={finish} onChange={(e) => setFinish(e.target.checked)} />
          Also resolve the incident
        </label>
        {post.isError && (
          <p className="error" role="alert">
            {post.error.message}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={!message.trim() || post.isPending}>
            Post update
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
