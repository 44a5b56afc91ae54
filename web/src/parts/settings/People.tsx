import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, displayName, type User } from '../../api.ts';
import { useUsers } from '../../hooks.ts';
import { ErrorText, useAct } from './use.tsx';

interface Team {
  id: string;
  name: string;
  display_name: string;
}

export function Users() {
  const users = [...(useUsers().data?.values() ?? [])];
  const add = useAct<User>([['users']]);
  const [form, setForm] = useState({ username: '', email: '', password: '' });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(() => api('POST', '/api/v4/users', form), { onSuccess: () => setForm({ username: '', email: '', password: '' }) });
  };
  return (
    <section className="card" aria-labelledby="set-users" id="users">
      <h2 id="set-users">Users</h2>
      <ul className="plain settings-list">
        {users.map((u) => (
          <li key={u.id}>
            <strong>{displayName(u)}</strong> <span className="hint">{`@${u.username} · ${u.email}${u.roles.includes('system_admin') ? ' · admin' : ''}`}</span>
          </li>
        ))}
      </ul>
      <form className="filters" onSubmit={submit} aria-label="Add a user">
        <label>
          Username
          <input value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} required />
        </label>
        <label>
          Email
          <input type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} required />
        </label>
        <label>
          Password
          <input type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} required />
        </label>
        <button type="submit">Add user</button>
        <ErrorText error={add.error} />
      </form>
    </section>
  );
}

export function Teams() {
  const teams = useQuery({ queryKey: ['my-teams'], queryFn: () => api<Team[]>('GET', '/api/v4/users/me/teams') }).data ?? [];
  const users = [...(useUsers().data?.values() ?? [])];
  const act = useAct([['my-teams']]);
  const [name, setName] = useState('');
  const [member, setMember] = useState({ team: '', user: '' });
  const create = (event: FormEvent) => {
    event.preventDefault();
    const slug = name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    act.mutate(() => api('POST', '/api/v4/teams', { name: slug, display_name: name.trim(), type: 'O' }), { onSuccess: () => setName('') });
  };
  const join = (event: FormEvent) => {
    event.preventDefault();
    const team = member.team || teams[0]?.id || '';
    act.mutate(() => api('POST', `/api/v4/teams/${team}/members`, { team_id: team, user_id: member.user }));
  };
  return (
    <section className="card" aria-labelledby="set-teams" id="teams">
      <h2 id="set-teams">Teams</h2>
      <ul className="plain settings-list">
        {teams.map((t) => (
          <li key={t.id}>
            <strong>{t.display_name}</strong> <span className="hint">{t.name}</span>
          </li>
        ))}
      </ul>
      <form className="filters" onSubmit={create} aria-label="Create a team">
        <label>
          Team name
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <button type="submit">Create team</button>
      </form>
      <form className="filters" onSubmit={join} aria-label="Add a user to a team">
        <label>
          Team
          <select value={member.team} onChange={(e) => setMember({ ...member, team: e.target.value })}>
            {teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.display_name}
              </option>
            ))}
          </select>
        </label>
        <label>
          User
          <select value={member.user} onChange={(e) => setMember({ ...member, user: e.target.value })} required>
            <option value="">choose…</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {displayName(u)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Add to team</button>
      </form>
      <ErrorText error={act.error} />
    </section>
  );
}
