import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.ts';
import { dateTime } from '../../format.ts';
import { ErrorText, useAct } from './use.tsx';

interface Token {
  id: string;
  description: string;
  create_at: number;
  is_active: boolean;
  token?: string;
}

/** Personal API tokens for scripts: the secret is shown once, right after it is made. */
export function Tokens() {
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: () => api<Token[]>('GET', '/api/v4/users/me/tokens') });
  const act = useAct<Token>([['tokens']]);
  const [description, setDescription] = useState('');
  const [issued, setIssued] = useState<Token | null>(null);
  const create = (event: FormEvent) => {
    event.preventDefault();
    act.mutate(() => api<Token>('POST', '/api/v4/users/me/tokens', { description: description.trim() }), {
      onSuccess: (token) => (setIssued(token), setDescription('')),
    });
  };
  return (
    <section className="card" aria-labelledby="set-tokens" id="tokens">
      <h2 id="set-tokens">API tokens</h2>
      {issued?.token && (
        <div className="notice" role="status">
          <p>{`Token “${issued.description}” — copy it now, it is not shown again:`}</p>
          <code data-testid="new-token">{issued.token}</code>
          <button type="button" className="small" onClick={() => setIssued(null)}>
            Done
          </button>
        </div>
      )}
      <ul className="plain settings-list">
        {(tokens.data ?? []).map((t) => (
          <li key={t.id}>
            <strong>{t.description}</strong> <span className="hint">{`${dateTime(t.create_at)}${t.is_active ? '' : ' · revoked'}`}</span>
            {t.is_active && (
              <button type="button" className="small" aria-label={`Revoke token ${t.description}`} onClick={() => act.mutate(() => api('POST', '/api/v4/users/tokens/revoke', { token_id: t.id }))}>
                Revoke
              </button>
            )}
          </li>
        ))}
      </ul>
      <form className="filters" onSubmit={create} aria-label="Create a token">
        <label>
          Token description
          <input value={description} onChange={(e) => setDescription(e.target.value)} required />
        </label>
        <button type="submit">Create token</button>
        <ErrorText error={act.error} />
      </form>
    </section>
  );
}
