import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, PB, type Item, type Run } from '../../api.ts';

/** Where an item is: Playbooks addresses items by checklist and item index. */
export interface At {
  list: number;
  item: number;
}

interface Change {
  /** The item the change belongs to: its error is shown next to it. */
  itemId: string;
  send: () => Promise<unknown>;
  /** The new run shown at once; rolled back if the server refuses. */
  optimistic?: (run: Run) => Run;
}

function patchItem(run: Run, at: At, patch: (item: Item) => Item): Run {
  const checklists = run.checklists.map((c, ci) => (ci !== at.list ? c : { ...c, items: c.items.map((it, ii) => (ii === at.item ? patch(it) : it)) }));
  return { ...run, checklists };
}

export function movedItems<T>(items: T[], from: number, to: number): T[] {
  const next = [...items];
  const [moving] = next.splice(from, 1);
  next.splice(to, 0, moving as T);
  return next;
}

/**
 * Every item action of the run page. Each is one request; state, order and deletion show at once and roll back
 * when the server refuses, with its message next to the item.
 */
export function useItemActions(run: Run) {
  const client = useQueryClient();
  const key = ['run', run.id];
  const [failed, setFailed] = useState<{ id: string; message: string } | null>(null);
  const mutation = useMutation({
    mutationFn: (c: Change) => c.send(),
    onMutate: async (c: Change) => {
      setFailed(null);
      await client.cancelQueries({ queryKey: key });
      const before = client.getQueryData<Run>(key);
      if (before && c.optimistic) client.setQueryData<Run>(key, c.optimistic(before));
      return { before };
    },
    onError: (err, c, context) => {
      if (context?.before && c.optimistic) client.setQueryData(key, context.before);
      setFailed({ id: c.itemId, message: err.message });
    },
    onSettled: () => client.invalidateQueries({ queryKey: key }),
  });
  const base = `${PB}/runs/${run.id}/checklists`;
  const path = (at: At, tail = '') => `${base}/${at.list}/item/${at.item}${tail}`;
  const idOf = (at: At) => run.checklists[at.list]?.items[at.item]?.id ?? '';
  const change = (at: At, send: () => Promise<unknown>, optimistic?: (r: Run) => Run) => mutation.mutate({ itemId: idOf(at), send, optimistic });
  return {
    failed,
    setState: (at: At, state: Item['state']) =>
      change(at, () => api('PUT', path(at, '/state'), { new_state: state }), (r) => patchItem(r, at, (i) => ({ ...i, state }))),
    assign: (at: At, userId: string) =>
      change(at, () => api('PUT', path(at, '/assignee'), { assignee_id: userId }), (r) => patchItem(r, at, (i) => ({ ...i, assignee_id: userId }))),
    setDue: (at: At, due: number) =>
      change(at, () => api('PUT', path(at, '/duedate'), { due_date: due }), (r) => patchItem(r, at, (i) => ({ ...i, due_date: due }))),
    edit: (at: At, props: { title: string; command: string; description: string }) =>
      change(at, () => api('PUT', path(at), props), (r) => patchItem(r, at, (i) => ({ ...i, ...props }))),
    remove: (at: At) =>
      change(
        at,
        () => api('DELETE', path(at)),
        (r) => ({ ...r, checklists: r.checklists.map((c, ci) => (ci !== at.list ? c : { ...c, items: c.items.filter((_, ii) => ii !== at.item) })) }),
      ),
    move: (at: At, to: number) =>
      change(
        at,
        () => api('PUT', `${base}/${at.list}/reorder`, { item_num: at.item, new_location: to }),
        (r) => ({ ...r, checklists: r.checklists.map((c, ci) => (ci !== at.list ? c : { ...c, items: movedItems(c.items, at.item, to) })) }),
      ),
    run: (at: At) => change(at, () => api('POST', path(at, '/run')), (r) => patchItem(r, at, (i) => ({ ...i, command_last_run: Date.now() }))),
    add: (list: number, title: string) => mutation.mutate({ itemId: `new-${list}`, send: () => api('POST', `${base}/${list}/add`, { title }) }),
  };
}

export type ItemActions = ReturnType<typeof useItemActions>;
