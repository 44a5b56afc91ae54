import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate } from '@tanstack/react-router';
import { useShortcut } from '../shortcuts.ts';
import { SHOW_SHORTCUTS_EVENT } from './Palette.tsx';

const KEYS: Array<[string, string]> = [
  ['?', 'Show this help'],
  ['Ctrl+K', 'Open the command palette (Cmd+K on a Mac)'],
  ['n', 'Declare an incident'],
  ['i', 'Go to the incident list'],
  ['u', 'Post a status update (on an incident page)'],
  ['Enter, arrows, Enter', 'Move a checklist item (on its handle); Escape cancels'],
  ['Ctrl+Enter', 'Submit the declare form'],
  ['Esc', 'Close a dialog'],
];

/** `?` opens the list of keyboard shortcuts; `n` and `i` navigate from anywhere. */
export function ShortcutHelp() {
  const ref = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const navigate = useNavigate();
  useShortcut('?', useCallback(() => setOpen(true), []));
  useShortcut('n', useCallback(() => void navigate({ to: '/incidents/new', search: {} }), [navigate]));
  useShortcut('i', useCallback(() => void navigate({ to: '/incidents', search: {} }), [navigate]));
  useEffect(() => {
    const show = () => setOpen(true);
    window.addEventListener(SHOW_SHORTCUTS_EVENT, show);
    return () => window.removeEventListener(SHOW_SHORTCUTS_EVENT, show);
  }, []);
  useEffect(() => {
    if (open && ref.current && !ref.current.open) ref.current.showModal();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="keys-title" onClose={() => setOpen(false)}>
      <h2 id="keys-title">Keyboard shortcuts</h2>
      <table className="keys">
        <tbody>
          {KEYS.map(([key, what]) => (
            <tr key={key}>
              <th scope="row">
                <kbd>{key}</kbd>
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog" className="actions">
        <button type="submit">Close</button>
      </form>
    </dialog>
  );
}
