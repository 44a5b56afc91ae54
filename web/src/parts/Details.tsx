import { displayName, type Run, type User } from '../api.ts';
import { dateTime, severityLabel } from '../format.ts';

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

/** The details block of the right rail: always visible, no tabs to open. */
export function Details({ run, users }: { run: Run; users: Map<string, User> }) {
  return (
    <section className="details card" aria-labelledby="details-title">
      <h2 id="details-title">Details</h2>
      <dl>
        <dt>Commander</dt>
        <dd>{run.owner_user_id ? displayName(users.get(run.owner_user_id)) : 'none'}</dd>
        <dt>Reporter</dt>
        <dd>{displayName(users.get(run.reporter_user_id))}</dd>
        <dt>Severity</dt>
        <dd>{severityLabel(run.severity)}</dd>
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
          {run.labels.length === 0 ? <span className="hint">none</span> : run.labels.map((l) => <span key={l} className="chip">{l}</span>)}
        </dd>
        <dt>Participants</dt>
        <dd>
          <People ids={run.participant_ids} users={users} />
        </dd>
        <dt>Followers</dt>
        <dd>
          <People ids={run.follower_ids} users={users} />
        </dd>
      </dl>
    </section>
  );
}
