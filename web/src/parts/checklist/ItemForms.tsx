import { useState, type FormEvent } from 'react';
import type { Item } from '../../api.ts';
import { dateTime } from '../../format.ts';
import { parseDue } from './due.ts';

/** Title, command and description of an item, edited in place. */
export function ItemEditor({ item, onSave, onCancel }: { item: Item; onSave: (p: { title: string; command: string; description: string }) => void; onCancel: () => void }) {
  const [title, setTitle] = useState(item.title);
  const [command, setCommand] = useState(item.command);
  const [description, setDescription] = useState(item.description);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (title.trim()) onSave({ title: title.trim(), command: command.trim(), description });
  };
  return (
    <form className="item-form" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <label>
        Title
        <input value={title} onChange={(e) => setTitle(e.target.value)} required autoFocus />
      </label>
      <label>
        Slash command
        <input value={command} onChange={(e) => setCommand(e.target.value)} placeholder="/echo hello" />
      </label>
      <label>
        Description
        <textarea rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <div className="actions">
        <button type="submit" className="primary small">
          Save item
        </button>
        <button type="button" className="small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** A due date typed in words ("tomorrow 9am"), read in the browser's time zone; the instant is shown before saving. */
export function DueEditor({ item, now, onSave, onCancel }: { item: Item; now: number; onSave: (due: number) => void; onCancel: () => void }) {
  const [text, setText] = useState('');
  const due = text.trim() ? parseDue(text, now) : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (due !== null) onSave(due);
  };
  return (
    <form className="item-form" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <label>
        {`Due date: ${item.title}`}
        <input value={text} onChange={(e) => setText(e.target.value)} placeholder="tomorrow 9am, in 2 hours, friday 17:00" autoFocus />
      </label>
      <p className="hint" aria-live="polite">
        {text.trim() === '' ? 'Type a time in words or as a date.' : due === null ? 'Not a time I can read.' : `Due ${dateTime(due)}`}
      </p>
      <div className="actions">
        <button type="submit" className="primary small" disabled={due === null}>
          Set due date
        </button>
        {item.due_date > 0 && (
          <button type="button" className="small" onClick={() => onSave(0)}>
            Clear due date
          </button>
        )}
        <button type="button" className="small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function ConfirmDelete({ item, onDelete, onCancel }: { item: Item; onDelete: () => void; onCancel: () => void }) {
  return (
    <div className="item-form" role="group" aria-label={`Delete ${item.title}?`}>
      <span>Delete “{item.title}”?</span>
      <div className="actions">
        <button type="button" className="danger small" onClick={onDelete} autoFocus>
          Delete item
        </button>
        <button type="button" className="small" onClick={onCancel}>
          Keep
        </button>
      </div>
    </div>
  );
}
