import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { rpc } from '../../api.ts';
import { ErrorText, useAct } from './use.tsx';

interface Severity {
  severityID: string;
  displayLabel: string;
  level: number;
  archived: boolean;
}
interface Role {
  roleID: number;
  name: string;
  description: string;
  archived: boolean;
}

/** The organisation's severities (the RPC's SeveritiesService): add, archive, restore. */
export function Severities() {
  const list = useQuery({ queryKey: ['settings-severities'], queryFn: async () => (await rpc<{ severities: Severity[] }>('SeveritiesService.GetOrgSeverities', {})).severities });
  const act = useAct([['settings-severities'], ['severities']]);
  const [label, setLabel] = useState('');
  const [level, setLevel] = useState('4');
  const add = (event: FormEvent) => {
    event.preventDefault();
    act.mutate(() => rpc('SeveritiesService.CreateSeverity', { displayLabel: label.trim(), level: Number(level) }), { onSuccess: () => setLabel('') });
  };
  return (
    <section className="card" aria-labelledby="set-sev" id="severities">
      <h2 id="set-sev">Severities</h2>
      <ul className="plain settings-list">
        {[...(list.data ?? [])]
          .sort((a, b) => a.level - b.level)
          .map((s) => (
            <li key={s.severityID}>
              <strong>{s.displayLabel}</strong> <span className="hint">{`level ${s.level}${s.archived ? ' · archived' : ''}`}</span>
              <button
                type="button"
                className="small"
                aria-label={`${s.archived ? 'Restore' : 'Archive'} severity ${s.displayLabel}`}
                onClick={() => act.mutate(() => rpc(s.archived ? 'SeveritiesService.UnarchiveSeverity' : 'SeveritiesService.ArchiveSeverity', { severityID: s.severityID }))}
              >
                {s.archived ? 'Restore' : 'Archive'}
              </button>
            </li>
          ))}
      </ul>
      <form className="filters" onSubmit={add} aria-label="Add a severity">
        <label>
          Severity name
          <input value={label} onChange={(e) => setLabel(e.target.value)} required />
        </label>
        <label>
          Level
          <input type="number" min={0} value={level} onChange={(e) => setLevel(e.target.value)} required />
        </label>
        <button type="submit">Add severity</button>
        <ErrorText error={act.error} />
      </form>
    </section>
  );
}

/** Incident roles (the RPC's RolesService): add, archive, restore. */
export function RolesSettings() {
  const list = useQuery({ queryKey: ['settings-roles'], queryFn: async () => (await rpc<{ roles: Role[] }>('RolesService.GetRoles', {})).roles });
  const act = useAct([['settings-roles'], ['roles']]);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const add = (event: FormEvent) => {
    event.preventDefault();
    act.mutate(() => rpc('RolesService.CreateRole', { role: { name: name.trim(), description } }), { onSuccess: () => (setName(''), setDescription('')) });
  };
  return (
    <section className="card" aria-labelledby="set-roles" id="roles">
      <h2 id="set-roles">Roles</h2>
      <ul className="plain settings-list">
        {(list.data ?? []).map((r) => (
          <li key={r.roleID}>
            <strong>{r.name}</strong> <span className="hint">{`${r.description}${r.archived ? ' · archived' : ''}`}</span>
            <button
              type="button"
              className="small"
              aria-label={`${r.archived ? 'Restore' : 'Archive'} role ${r.name}`}
              onClick={() => act.mutate(() => rpc(r.archived ? 'RolesService.UnarchiveRole' : 'RolesService.ArchiveRole', { roleID: r.roleID }))}
            >
              {r.archived ? 'Restore' : 'Archive'}
            </button>
          </li>
        ))}
      </ul>
      <form className="filters" onSubmit={add} aria-label="Add a role">
        <label>
          Role name
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <label>
          Role description
          <input value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <button type="submit">Add role</button>
        <ErrorText error={act.error} />
      </form>
    </section>
  );
}
