import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, displayName, PB, rpc, type Run, type User } from '../api.ts';
import { dateTime, severityLabel } from '../format.ts';
import { useSeverities } from '../hooks.ts';
import { Followers, Roles } from './Roles.tsx';

function People({ ids, users }: { ids: string[]; users: Map<string, User> }) {
  if (ids.length === 0) return <span className="hint">none</span>;
  return (
    <ul className="people">
      {ids.map((id) => (
        <li key={id}>{displayName(users.get(id))}</li>
      ))}
    </ul>
  );
}

/** One change to the incident from the rail; the server's message is shown beside the control that caused it. */
function useChange(run: Run) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (send: () => Promise<unknown>) => send(),
    onSettled: () => client.invalidateQueries({ queryKey: ['run', run.id] }),
  });
}

function Labels({ run }: { run: Run }) {
  const change = useChange(run);
  const [label, setLabel] = useState('');
  const add = (event: FormEvent) => {
    event.preventDefault();
    const value = label.trim();
    if (!value) return;
    change.mutate(() => rpc('IncidentsService.AddLabel', { incidentID: run.id, label: { label: value } }));
    setLabel('');
  };
  return (
    <>
      {run.labels.map((l) => (
        <span key={l} className="chip">
          {l}
          <button
            type="button"
            className="chip-x"
            aria-label={`Remove label ${l}`}
            onClick={() => change.mutate(() => rpc('IncidentsService.RemoveLabel', { incidentID: run.id, label: l }))}
          >
            ×
          </button>
        </span>
      ))}
      <form className="inline-form" onSubmit={add}>
        <input aria-label="New label" placeholder="add label" value={label} onChange={(e) => setLabel(e.target.value)} />
        <button type="submit" className="small">
          Add
        </button>
      </form>
      {change.isError && (
        <span className="error" role="alert">
          {change.error.message}
        </span>
      )}
    </>
  );
}

function Commander({ run, users }: { run: Run; users: Map<string, User> }) {
  const change = useChange(run);
  return (
    <>
      <select
        aria-label="Commander"
        value={run.owner_user_id}
        onChange={(e) => {
          const ownerId = e.target.value; // read now: the controlled select resets before the request is sent
          change.mutate(() => api('POST', `${PB}/runs/${run.id}/owner`, { owner_id: ownerId }));
        }}
      >
        {!run.owner_user_id && <option value="">none</option>}
        {[...users.values()].map((u) => (
          <option key={u.id} value={u.id}>
            {displayName(u)}
          </option>
        ))}
      </select>
      {change.isError && (
        <span className="error" role="alert">
          {change.error.message}
        </span>
      )}
    </>
  );
}

function SeverityPicker({ run }: { run: Run }) {
  const change = useChange(run);
  const severities = useSeverities().data ?? [];
  const current = run.severity || 'pending';
  return (
    <>
      <select
        aria-label="Severity"
        value={current}
        onChange={(e) => {
          const severity = e.target.value;
          change.mutate(() => rpc('IncidentsService.UpdateSeverity', { incidentID: run.id, severity }));
        }}
      >
        {!severities.some((s) => s.displayLabel === current) && <option value={current}>{severityLabel(current)}</option>}
        {severities.map((s) => (
          <option key={s.displayLabel} value={s.displayLabel}>
            {severityLabel(s.displayLabel)}
          </option>
        ))}
      </select>
      {change.isError && (
        <span className="error" role="alert">
          {change.error.message}
        </span>
      )}
    </>
  );
}

/** The details block of the right rail: always visible, no tabs to open. */
export function Details({ run, users }: { run: Run; users: Map<string, User> }) {
  return (
    <section className="details card" aria-labelledby="details-title">
      <h2 id="details-title">Details</h2>
      <dl>
        <dt>Commander</dt>
        <dd>
          <Commander run={run} users={users} />
        </dd>
        <dt>Roles</dt>
        <dd className="roles">
          <Roles run={run} users={users} />
        </dd>
        <dt>Severity</dt>
        <dd>
          <SeverityPicker run={run} />
        </dd>
        <dt>Reporter</dt>
        <dd>{displayName(users.get(run.reporter_user_id))}</dd>
        <dt>Started</dt>
        <dd>{dateTime(run.create_at)}</dd>
        {run.end_at > 0 && run.current_status === 'Finished' && (
          <>
            <dt>Resolved</dt>
            <dd>{dateTime(run.end_at)}</dd>
          </>
        )}
        <dt>Labels</dt>
        <dd>
          <Labels run={run} />
        </dd>
        <dt>Participants</dt>
        <dd>
          <People ids={run.participant_ids} users={users} />
        </dd>
        <dt>Followers</dt>
        <dd>
          <Followers run={run} users={users} />
        </dd>
      </dl>
    </section>
  );
}
