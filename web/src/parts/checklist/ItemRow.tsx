import { useState, type HTMLAttributes } from 'react';
import { displayName, type Item, type User } from '../../api.ts';
import { time } from '../../format.ts';
import type { At, ItemActions } from './actions.ts';
import { dueText } from './due.ts';
import { ConfirmDelete, DueEditor, ItemEditor } from './ItemForms.tsx';

export interface RowProps {
  item: Item;
  at: At;
  actions: ItemActions;
  users: Map<string, User>;
  now: number;
  error?: string | undefined;
  handle: HTMLAttributes<HTMLButtonElement> & { 'data-handle': string };
  dropTarget: HTMLAttributes<HTMLLIElement>;
  grabbed: boolean;
  selected: boolean;
  onSelect: (on: boolean) => void;
}

/** The other states an item can move to from here, as small labelled buttons (keyboard reachable). */
function StateButtons({ item, at, actions }: Pick<RowProps, 'item' | 'at' | 'actions'>) {
  const act = (label: string, state: Item['state']) => (
    <button type="button" className="small ghost" aria-label={`${label}: ${item.title}`} onClick={() => actions.setState(at, state)}>
      {label}
    </button>
  );
  if (item.state === 'skipped') return act('Restore', '');
  if (item.state === 'closed') return null;
  return (
    <span className="item-actions">
      {item.state === 'in_progress' ? act('Stop', '') : act('Start', 'in_progress')}
      {act('Skip', 'skipped')}
    </span>
  );
}

function Assignee({ item, users, at, actions }: Pick<RowProps, 'item' | 'users' | 'at' | 'actions'>) {
  return (
    <select className="assignee-select" aria-label={`Assignee: ${item.title}`} value={item.assignee_id} onChange={(e) => actions.assign(at, e.target.value)}>
      <option value="">Unassigned</option>
      {[...users.values()].map((u) => (
        <option key={u.id} value={u.id}>
          {displayName(u)}
        </option>
      ))}
    </select>
  );
}

function Command({ item, at, actions }: Pick<RowProps, 'item' | 'at' | 'actions'>) {
  if (!item.command) return null;
  return (
    <span className="item-command">
      <code>{item.command}</code>
      <button type="button" className="small" aria-label={`Run ${item.command}: ${item.title}`} onClick={() => actions.run(at)}>
        {item.command_last_run > 0 ? 'Rerun' : 'Run'}
      </button>
      {item.command_last_run > 0 && <span className="hint">{`ran at ${time(item.command_last_run)}`}</span>}
    </span>
  );
}

type Mode = 'view' | 'menu' | 'edit' | 'due' | 'delete';

function Menu({ item, setMode }: { item: Item; setMode: (m: Mode) => void }) {
  return (
    <span className="item-menu" role="group" aria-label={`Actions for ${item.title}`}>
      <button type="button" className="small" onClick={() => setMode('edit')}>
        Edit
      </button>
      <button type="button" className="small" onClick={() => setMode('due')}>
        Due date
      </button>
      <button type="button" className="small" onClick={() => setMode('delete')}>
        Delete
      </button>
    </span>
  );
}

export function ItemRow(props: RowProps) {
  const { item, at, actions, now, error, handle, dropTarget, grabbed, selected, onSelect } = props;
  const [mode, setMode] = useState<Mode>('view');
  const done = item.state === 'closed';
  const skipped = item.state === 'skipped';
  const due = item.due_date > 0 && !done && !skipped ? dueText(item.due_date, now) : null;
  const close = () => setMode('view');
  return (
    <li className={`item ${done ? 'done' : ''} ${skipped ? 'skipped' : ''} ${grabbed ? 'grabbed' : ''}`} data-item={item.id} {...dropTarget}>
      <button type="button" className="handle small ghost" aria-label={`Reorder: ${item.title}`} aria-pressed={grabbed} {...handle}>
        <span aria-hidden="true">⠿</span>
      </button>
      {/* A toggle button, not a second checkbox: the row's one checkbox is "done". */}
      <button type="button" className="select small ghost" aria-label={`Select: ${item.title}`} aria-pressed={selected} onClick={() => onSelect(!selected)}>
        <span aria-hidden="true">{selected ? '☑' : '☐'}</span>
      </button>
      <label>
        <input type="checkbox" checked={done} disabled={skipped} onChange={() => actions.setState(at, done ? '' : 'closed')} />
        <span className="item-title">{item.title}</span>
      </label>
      {item.state === 'in_progress' && <span className="chip">In progress</span>}
      {skipped && <span className="chip">Skipped</span>}
      {due && <span className={`chip due-chip ${due.overdue ? 'overdue' : ''}`}>{due.text}</span>}
      <StateButtons item={item} at={at} actions={actions} />
      <Command item={item} at={at} actions={actions} />
      <Assignee {...props} />
      <button type="button" className="small ghost" aria-expanded={mode !== 'view'} aria-label={`More: ${item.title}`} onClick={() => setMode(mode === 'view' ? 'menu' : 'view')}>
        ⋯
      </button>
      {mode === 'menu' && <Menu item={item} setMode={setMode} />}
      {mode === 'edit' && <ItemEditor item={item} onCancel={close} onSave={(p) => (actions.edit(at, p), close())} />}
      {mode === 'due' && <DueEditor item={item} now={now} onCancel={close} onSave={(d) => (actions.setDue(at, d), close())} />}
      {mode === 'delete' && <ConfirmDelete item={item} onCancel={close} onDelete={() => (actions.remove(at), close())} />}
      {item.description && mode === 'view' && <p className="item-desc hint">{item.description}</p>}
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </li>
  );
}
