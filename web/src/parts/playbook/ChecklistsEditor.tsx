import type { TemplateChecklist, TemplateItem } from '../../playbook.ts';

const blankItem = (): TemplateItem => ({ title: '', description: '', command: '', assignee_id: '', due_date: 0 });

function move<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length) return list;
  const next = [...list];
  const [x] = next.splice(from, 1);
  next.splice(to, 0, x as T);
  return next;
}

function ItemEditor({ item, n, onChange, onMove, onRemove }: { item: TemplateItem; n: string; onChange: (i: TemplateItem) => void; onMove: (d: number) => void; onRemove: () => void }) {
  const name = item.title || `item ${n}`;
  return (
    <li className="pb-item">
      <input aria-label={`Item ${n} title`} value={item.title} placeholder="What to do" onChange={(e) => onChange({ ...item, title: e.target.value })} />
      <input aria-label={`Item ${n} command`} value={item.command} placeholder="/command (optional)" onChange={(e) => onChange({ ...item, command: e.target.value })} />
      <span className="item-actions">
        <button type="button" className="small ghost" aria-label={`Move ${name} up`} onClick={() => onMove(-1)}>
          ↑
        </button>
        <button type="button" className="small ghost" aria-label={`Move ${name} down`} onClick={() => onMove(1)}>
          ↓
        </button>
        <button type="button" className="small ghost" aria-label={`Remove ${name}`} onClick={onRemove}>
          ×
        </button>
      </span>
    </li>
  );
}

function ListEditor({ list, n, onChange, onRemove }: { list: TemplateChecklist; n: number; onChange: (c: TemplateChecklist) => void; onRemove: () => void }) {
  const setItems = (items: TemplateItem[]) => onChange({ ...list, items });
  return (
    <fieldset className="pb-checklist">
      <legend className="sr-only">{`Checklist ${n + 1}`}</legend>
      <div className="inline-form">
        <input aria-label={`Checklist ${n + 1} title`} value={list.title} onChange={(e) => onChange({ ...list, title: e.target.value })} />
        <button type="button" className="small" aria-label={`Remove checklist ${list.title || n + 1}`} onClick={onRemove}>
          Remove
        </button>
      </div>
      <ol>
        {list.items.map((item, i) => (
          <ItemEditor
            key={i}
            item={item}
            n={`${n + 1}.${i + 1}`}
            onChange={(next) => setItems(list.items.map((x, j) => (j === i ? next : x)))}
            onMove={(d) => setItems(move(list.items, i, i + d))}
            onRemove={() => setItems(list.items.filter((_, j) => j !== i))}
          />
        ))}
      </ol>
      <button type="button" className="small" onClick={() => setItems([...list.items, blankItem()])}>
        {`Add item to ${list.title || `checklist ${n + 1}`}`}
      </button>
    </fieldset>
  );
}

/** The playbook's checklists, copied into every run started from it. */
export function ChecklistsEditor({ checklists, onChange }: { checklists: TemplateChecklist[]; onChange: (c: TemplateChecklist[]) => void }) {
  return (
    <section className="card" aria-labelledby="pb-checklists">
      <h2 id="pb-checklists">Checklists</h2>
      {checklists.map((list, n) => (
        <ListEditor
          key={n}
          list={list}
          n={n}
          onChange={(next) => onChange(checklists.map((x, j) => (j === n ? next : x)))}
          onRemove={() => onChange(checklists.filter((_, j) => j !== n))}
        />
      ))}
      <button type="button" onClick={() => onChange([...checklists, { title: `Checklist ${checklists.length + 1}`, items: [] }])}>
        Add checklist
      </button>
    </section>
  );
}
