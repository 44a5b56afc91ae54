import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate, useRouterState } from '@tanstack/react-router';
import type { RpcIncident } from '../api.ts';

export const POST_UPDATE_EVENT = 'muster:post-update';
export const SHOW_SHORTCUTS_EVENT = 'muster:show-shortcuts';

interface Command {
  id: string;
  label: string;
  run: () => void;
}

/** What the palette offers here: page actions first, then navigation, then the incidents already loaded. */
function useCommands(): Command[] {
  const navigate = useNavigate();
  const path = useRouterState({ select: (s) => s.location.pathname });
  const client = useQueryClient();
  const onIncident = /^\/incidents\/(?!new$)[^/]+$/.test(path);
  const commands: Command[] = [];
  if (onIncident) commands.push({ id: 'post-update', label: 'Post update', run: () => window.dispatchEvent(new Event(POST_UPDATE_EVENT)) });
  commands.push(
    { id: 'declare', label: 'Declare an incident', run: () => void navigate({ to: '/incidents/new', search: {} }) },
    { id: 'incidents', label: 'Go to incidents', run: () => void navigate({ to: '/incidents', search: {} }) },
    { id: 'playbooks', label: 'Go to playbooks', run: () => void navigate({ to: '/playbooks' }) },
    { id: 'settings', label: 'Go to settings', run: () => void navigate({ to: '/settings' }) },
    { id: 'shortcuts', label: 'Show keyboard shortcuts', run: () => window.dispatchEvent(new Event(SHOW_SHORTCUTS_EVENT)) },
  );
  const seen = new Set<string>();
  for (const [, data] of client.getQueriesData<{ pages: Array<{ incidents: RpcIncident[] }> }>({ queryKey: ['incidents'] })) {
    for (const incident of data?.pages?.flatMap((p) => p.incidents) ?? []) {
      if (seen.has(incident.incidentID)) continue;
      seen.add(incident.incidentID);
      commands.push({ id: `i-${incident.incidentID}`, label: `Open: ${incident.title}`, run: () => void navigate({ to: '/incidents/$id', params: { id: incident.incidentID } }) });
    }
  }
  return commands;
}

function PaletteBody({ onClose }: { onClose: () => void }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const commands = useCommands();
  const shown = commands.filter((c) => c.label.toLowerCase().includes(query.trim().toLowerCase())).slice(0, 12);
  const pick = (c: Command | undefined) => {
    if (!c) return;
    onClose();
    c.run();
  };
  const onKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => (shown.length ? (a + step + shown.length) % shown.length : 0));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      pick(shown[active]);
    }
  };
  return (
    <>
      <h2 id="palette-title" className="sr-only">
        Command palette
      </h2>
      <input
        role="combobox"
        aria-label="Command"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-activedescendant={shown[active] ? `cmd-${shown[active].id}` : undefined}
        placeholder="Type a command or an incident title"
        value={query}
        autoFocus
        onChange={(e) => (setQuery(e.target.value), setActive(0))}
        onKeyDown={onKey}
      />
      <ul id="palette-list" role="listbox" aria-label="Commands" className="palette-list">
        {shown.map((c, i) => (
          <li key={c.id} id={`cmd-${c.id}`} role="option" aria-selected={i === active} onClick={() => pick(c)} onMouseMove={() => setActive(i)}>
            {c.label}
          </li>
        ))}
        {shown.length === 0 && <li className="hint">No command matches.</li>}
      </ul>
    </>
  );
}

/** Ctrl+K (Cmd+K on a Mac) from anywhere, even inside a text field: every action by name. */
export function Palette() {
  const ref = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key.toLowerCase() !== 'k' || !(event.ctrlKey || event.metaKey) || event.altKey) return;
      event.preventDefault();
      setOpen(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  useEffect(() => {
    if (open && ref.current && !ref.current.open) ref.current.showModal();
    if (!open && ref.current?.open) ref.current.close();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog palette" aria-labelledby="palette-title" onClose={() => setOpen(false)}>
      {open && <PaletteBody onClose={() => setOpen(false)} />}
    </dialog>
  );
}
