import { useState, type FormEvent } from 'react';
import { type Checklist, type Item, type Run, type User } from '../api.ts';
import { useNow } from '../hooks.ts';
import { useItemActions, type ItemActions } from './checklist/actions.ts';
import { BulkBar } from './checklist/BulkBar.tsx';
import { ItemRow } from './checklist/ItemRow.tsx';
import { useReorder } from './checklist/reorder.ts';

interface Filters {
  done: boolean;
  skipped: boolean;
}

function AddItem({ list, index, actions }: { list: Checklist; index: number; actions: ItemActions }) {
  const [title, setTitle] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) return;
    actions.add(index, title.trim());
    setTitle('');
  };
  return (
    <form className="inline-form add-item" onSubmit={submit}>
      <input aria-label={`New item in ${list.title}`} placeholder="Add an item" value={title} onChange={(e) => setTitle(e.target.value)} />
      <button type="submit" className="small">
        Add item
      </button>
      {actions.failed?.id === `new-${index}` && (
        <span className="error" role="alert">
          {actions.failed.message}
        </span>
      )}
    </form>
  );
}

interface SectionProps {
  list: Checklist;
  index: number;
  actions: ItemActions;
  users: Map<string, User>;
  now: number;
  filters: Filters;
  selected: Set<string>;
  onSelect: (id: string, on: boolean) => void;
}

const visible = (item: Item, f: Filters) => (item.state !== 'closed' || f.done) && (item.state !== 'skipped' || f.skipped);

function Section({ list, index, actions, users, now, filters, selected, onSelect }: SectionProps) {
  const reorder = useReorder(list.items, (from, to) => actions.move({ list: index, item: from }, to));
  const live = list.items.filter((i) => i.state !== 'skipped');
  const done = live.filter((i) => i.state === 'closed').length;
  return (
    <section className="checklist" aria-labelledby={`cl-${list.id}`}>
      <h3 id={`cl-${list.id}`}>
        {list.title} <span className="count">{`${done}/${live.length}`}</span>
      </h3>
      <ul>
        {reorder.shown.map((item) => {
          const at = { list: index, item: list.items.findIndex((i) => i.id === item.id) };
          if (!visible(item, filters) && reorder.grabbedId !== item.id) return null;
          return (
            <ItemRow
              key={item.id}
              item={item}
              at={at}
              actions={actions}
              users={users}
              now={now}
              error={actions.failed?.id === item.id ? actions.failed.message : undefined}
              handle={reorder.handle(item.id, reorder.shown.indexOf(item))}
              dropTarget={reorder.dropTarget(reorder.shown.indexOf(item))}
              grabbed={reorder.grabbedId === item.id}
              selected={selected.has(item.id)}
              onSelect={(on) => onSelect(item.id, on)}
            />
          );
        })}
      </ul>
      <p className="sr-only" aria-live="assertive">
        {reorder.said}
      </p>
      <AddItem list={list} index={index} actions={actions} />
    </section>
  );
}

function FilterBar({ run, now, filters, setFilters }: { run: Run; now: number; filters: Filters; setFilters: (f: Filters) => void }) {
  const items = run.checklists.flatMap((c) => c.items);
  const overdue = items.filter((i) => i.due_date > 0 && i.due_date <= now && i.state !== 'closed' && i.state !== 'skipped').length;
  return (
    <div className="task-filters" role="group" aria-label="Task filters">
      <label className="chip-check">
        <input type="checkbox" checked={filters.done} onChange={(e) => setFilters({ ...filters, done: e.target.checked })} />
        {`Show done (${items.filter((i) => i.state === 'closed').length})`}
      </label>
      <label className="chip-check">
        <input type="checkbox" checked={filters.skipped} onChange={(e) => setFilters({ ...filters, skipped: e.target.checked })} />
        {`Show skipped (${items.filter((i) => i.state === 'skipped').length})`}
      </label>
      <span className={`chip ${overdue > 0 ? 'overdue' : ''}`} data-testid="overdue-count">
        {`${overdue} overdue`}
      </span>
    </div>
  );
}

/** The run's checklists: every item action the API has, filters, bulk selection and reorder. */
export function Checklists({ run, users }: { run: Run; users: Map<string, User> }) {
  const actions = useItemActions(run);
  const now = useNow(15_000);
  const [filters, setFilters] = useState<Filters>({ done: true, skipped: true });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  if (run.checklists.length === 0) return <p className="empty">No checklists.</p>;
  const onSelect = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  return (
    <>
      <FilterBar run={run} now={now} filters={filters} setFilters={setFilters} />
      {selected.size > 0 && <BulkBar run={run} users={users} selected={selected} onDone={() => setSelected(new Set())} />}
      {run.checklists.map((list, li) => (
        <Section key={list.id} list={list} index={li} actions={actions} users={users} now={now} filters={filters} selected={selected} onSelect={onSelect} />
      ))}
    </>
  );
}
