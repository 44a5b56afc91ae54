import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { api, PB } from '../api.ts';
import { dateTime } from '../format.ts';
import { usePlaybookList } from '../playbook.ts';

function useMyTeams() {
  return useQuery({ queryKey: ['my-teams'], queryFn: () => api<Array<{ id: string; display_name: string; name: string }>>('GET', '/api/v4/users/me/teams'), staleTime: 300_000 });
}

/** A title and a team are all a new playbook needs; the editor opens on it. */
function NewPlaybook() {
  const teams = useMyTeams().data ?? [];
  const [title, setTitle] = useState('');
  const [team, setTeam] = useState('');
  const navigate = useNavigate();
  const client = useQueryClient();
  const create = useMutation({
    mutationFn: () => api<{ id: string }>('POST', `${PB}/playbooks`, { title: title.trim(), team_id: team || teams[0]?.id, public: true, checklists: [{ title: 'Checklist', items: [] }] }),
    onSuccess: async ({ id }) => {
      await client.invalidateQueries({ queryKey: ['playbooks'] });
      void navigate({ to: '/playbooks/$id', params: { id } });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form className="filters card" onSubmit={submit} aria-labelledby="new-pb">
      <h2 id="new-pb" className="sr-only">
        New playbook
      </h2>
      <label>
        New playbook title
        <input value={title} onChange={(e) => setTitle(e.target.value)} required />
      </label>
      {teams.length > 1 && (
        <label>
          Team
          <select value={team} onChange={(e) => setTeam(e.target.value)}>
            {teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.display_name || t.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="submit" className="primary" disabled={create.isPending}>
        Create playbook
      </button>
      {create.isError && (
        <span className="error" role="alert">
          {create.error.message}
        </span>
      )}
    </form>
  );
}

export function PlaybookList() {
  const [archived, setArchived] = useState(false);
  const list = usePlaybookList(archived);
  return (
    <main className="page">
      <h1>Playbooks</h1>
      <NewPlaybook />
      <label className="check">
        <input type="checkbox" checked={archived} onChange={(e) => setArchived(e.target.checked)} />
        Include archived
      </label>
      {list.isError && (
        <p className="error" role="alert">
          {list.error.message}
        </p>
      )}
      <div className="table-wrap">
        <table className="incidents">
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Access</th>
              <th scope="col">Checklists</th>
              <th scope="col">Runs</th>
              <th scope="col">Last run</th>
            </tr>
          </thead>
          <tbody>
            {(list.data ?? []).map((p) => (
              <tr key={p.id}>
                <td>
                  <Link to="/playbooks/$id" params={{ id: p.id }}>
                    {p.title}
                  </Link>
                  {p.delete_at > 0 && <span className="chip">Archived</span>}
                </td>
                <td>{p.public ? 'Public' : 'Private'}</td>
                <td>{`${p.num_stages} / ${p.num_steps} items`}</td>
                <td>{`${p.active_runs} active · ${p.num_runs} in all`}</td>
                <td>{p.last_run_at ? dateTime(p.last_run_at) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.data?.length === 0 && <p className="empty">No playbooks yet.</p>}
    </main>
  );
}
