import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, PB, displayName, type Item, type Run, type User } from '../api.ts';

interface Target {
  list: number;
  item: number;
  state: Item['state'];
}

/** Check/uncheck with the new state shown at once; a server error rolls it back and is shown on the item. */
function useItemState(run: Run) {
  const client = useQueryClient();
  const key = ['run', run.id];
  const [failed, setFailed] = useState<{ id: string; message: string } | null>(null);
  const mutation = useMutation({
    mutationFn: (t: Target) => api('PUT', `${PB}/runs/${run.id}/checklists/${t.list}/item/${t.item}/state`, { new_state: t.state }),
    onMutate: async (t: Target) => {
      setFailed(null);
      await client.cancelQueries({ queryKey: key });
      const before = client.getQueryData<Run>(key);
      if (before) {
        const checklists = before.checklists.map((c, ci) =>
          ci !== t.list ? c : { ...c, items: c.items.map((it, ii) => (ii === t.item ? { ...it, state: t.state } : it)) },
        );
        client.setQueryData<Run>(key, { ...before, checklists });
      }
      return { before };
    },
    onError: (err, t, context) => {
      if (context?.before) client.setQueryData(key, context.before);
      const id = run.checklists[t.list]?.items[t.item]?.id ?? '';
      setFailed({ id, message: err.message });
    },
    onSettled: () => client.invalidateQueries({ queryKey: key }),
  });
  const assign = useMutation({
    mutationFn: (a: { list: number; item: number; userId: string }) =>
      api('PUT', `${PB}/runs/${run.id}/checklists/${a.list}/item/${a.item}/assignee`, { assignee_id: a.userId }),
    onMutate: () => setFailed(null),
    onError: (err, a) => setFailed({ id: run.checklists[a.list]?.items[a.item]?.id ?? '', message: err.message }),
    onSettled: () => client.invalidateQueries({ queryKey: key }),
  });
  return { setState: (t: Target) => mutation.mutate(t), assign: (list: number, item: number, userId: string) => assign.mutate({ list, item, userId }), failed };
}

interface RowProps {
  item: Item;
  onState: (state: Item['state']) => void;
  onAssign: (userId: string) => void;
  error?: string | undefined;
  users: Map<string, User>;
}

function Assignee({ item, users, onAssign }: Pick<RowProps, 'item' | 'users' | 'onAssign'>) {
  return (
    <select className="assignee-select" aria-label={`Assignee: ${item.title}`} value={item.assignee_id} onChange={(e) => onAssign(e.target.value)}>
      <option value="">Unassigned</option>
      {[...users.values()].map((u) => (
        <option key={u.id} value={u.id}>
          {displayName(u)}
        </option>
      ))}
    </select>
  );
}

/** The other states an item can move to from here, as small labelled buttons (keyboard reachable). */
function ItemActions({ item, onState }: Pick<RowProps, 'item' | 'onState'>) {
  const act = (label: string, state: Item['state']) => (
    <button type="button" className="small ghost" aria-label={`${label}: ${item.title}`} onClick={() => onState(state)}>
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

function ItemRow({ item, onState, onAssign, error, users }: RowProps) {
  const done = item.state === 'closed';
  const skipped = item.state === 'skipped';
  return (
    <li className={`item ${done ? 'done' : ''} ${skipped ? 'skipped' : ''}`}>
      <label>
        <input type="checkbox" checked={done} disabled={skipped} onChange={() => onState(done ? '' : 'closed')} />
        <span className="item-title">{item.title}</span>
      </label>
      {item.state === 'in_progress' && <span className="chip">In progress</span>}
      {skipped && <span className="chip">Skipped</span>}
      <ItemActions item={item} onState={onState} />
      <Assignee item={item} users={users} onAssign={onAssign} />
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </li>
  );
}

export function Checklists({ run, users }: { run: Run; users: Map<string, User> }) {
  const { setState, assign, failed } = useItemState(run);
  if (run.checklists.length === 0) return <p className="empty">No checklists.</p>;
  return (
    <>
      {run.checklists.map((list, li) => {
        const live = list.items.filter((i) => i.state !== 'skipped');
        const done = live.filter((i) => i.state === 'closed').length;
        return (
          <section key={list.id} className="checklist" aria-labelledby={`cl-${list.id}`}>
            <h3 id={`cl-${list.id}`}>
              {list.title} <span className="count">{`${done}/${live.length}`}</span>
            </h3>
            <ul>
              {list.items.map((item, ii) => (
                <ItemRow
                  key={item.id}
                  item={item}
                  users={users}
                  error={failed?.id === item.id ? failed.message : undefined}
                  onState={(state) => setState({ list: li, item: ii, state })}
                  onAssign={(userId) => assign(li, ii, userId)}
                />
              ))}
            </ul>
          </section>
        );
      })}
    </>
  );
}
