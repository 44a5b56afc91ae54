import { useEffect, useState, type DragEvent, type KeyboardEvent } from 'react';
import { movedItems } from './actions.ts';

interface Grab {
  id: string;
  from: number;
  to: number;
}

/**
 * Reorder by drag (the handle is the drag source, a row the drop target) and by keyboard: on the handle,
 * Enter or Space picks the item up, the arrow keys move it, Enter or Space drops it, Escape puts it back.
 * While moving by keyboard the list shows the new order; nothing is sent until the drop.
 */
export function useReorder<T extends { id: string }>(items: T[], onMove: (from: number, to: number) => void) {
  const [grab, setGrab] = useState<Grab | null>(null);
  const [said, setSaid] = useState('');
  const [focusId, setFocusId] = useState<string | null>(null);
  // A moved row is a moved DOM node, which loses focus: give it back to the handle.
  useEffect(() => {
    if (!focusId) return;
    document.querySelector<HTMLElement>(`[data-handle="${focusId}"]`)?.focus();
    setFocusId(null);
  });
  const shown = grab ? movedItems(items, grab.from, grab.to) : items;
  const drop = (g: Grab) => {
    setGrab(null);
    setFocusId(g.id);
    setSaid(`Dropped at position ${g.to + 1} of ${items.length}.`);
    if (g.to !== g.from) onMove(g.from, g.to);
  };
  const onKeyDown = (id: string, index: number) => (event: KeyboardEvent<HTMLButtonElement>) => {
    const key = event.key;
    if (!grab && (key === 'Enter' || key === ' ')) {
      event.preventDefault();
      setGrab({ id, from: index, to: index });
      setSaid(`Picked up. Position ${index + 1} of ${items.length}. Arrow keys move it, Enter drops it, Escape cancels.`);
      return;
    }
    if (!grab || grab.id !== id) return;
    event.preventDefault();
    if (key === 'ArrowDown' || key === 'ArrowUp') {
      const to = Math.min(items.length - 1, Math.max(0, grab.to + (key === 'ArrowDown' ? 1 : -1)));
      setGrab({ ...grab, to });
      setFocusId(id);
      setSaid(`Position ${to + 1} of ${items.length}.`);
    } else if (key === 'Enter' || key === ' ') {
      drop(grab);
    } else if (key === 'Escape') {
      setGrab(null);
      setFocusId(id);
      setSaid('Move cancelled.');
    }
  };
  const handle = (id: string, index: number) => ({
    'data-handle': id,
    draggable: true,
    onKeyDown: onKeyDown(id, index),
    onDragStart: (event: DragEvent<HTMLButtonElement>) => {
      event.dataTransfer.setData('text/x-muster-item', String(index));
      event.dataTransfer.effectAllowed = 'move';
    },
  });
  const dropTarget = (index: number) => ({
    onDragOver: (event: DragEvent) => {
      if (event.dataTransfer.types.includes('text/x-muster-item')) event.preventDefault();
    },
    onDrop: (event: DragEvent) => {
      const from = Number(event.dataTransfer.getData('text/x-muster-item'));
      if (!Number.isInteger(from) || !items[from]) return;
      event.preventDefault();
      drop({ id: items[from].id, from, to: index });
    },
  });
  return { shown, grabbedId: grab?.id ?? null, handle, dropTarget, said };
}
