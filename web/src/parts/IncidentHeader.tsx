import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api, PB, type Run } from '../api.ts';
import { duration, severityLabel, dateTime } from '../format.ts';
import { useNow } from '../hooks.ts';
import { nextUpdateDue } from '../run.ts';

function DueChip({ run, now, onClick }: { run: Run; now: number; onClick: () => void }) {
  const due = nextUpdateDue(run);
  const late = due !== null && now >= due;
  return (
    <>
      {/* Always present, so screen readers announce the moment it turns overdue. */}
      <span className="sr-only" role="status" data-testid="due-announcer">
        {late ? 'The status update is overdue' : ''}
      </span>
      {due !== null && (
        <button type="button" className={`chip due ${late ? 'overdue' : ''}`} onClick={onClick}>
          {late ? `Update overdue ${duration(now - due)}` : `Update due in ${duration(due - now)}`}
        </button>
      )}
    </>
  );
}

/** The sticky header: what the incident is and how it stands, and the two actions everyone needs. */
export function IncidentHeader({ run, onPostUpdate }: { run: Run; onPostUpdate: () => void }) {
  const now = useNow(15_000);
  const client = useQueryClient();
  const active = run.current_status === 'InProgress';
  const toggle = useMutation({
    mutationFn: () => api('PUT', `${PB}/runs/${run.id}/${active ? 'finish' : 'restore'}`),
    onSettled: () => client.invalidateQueries({ queryKey: ['run', run.id] }),
  });
  const ended = active ? now : run.end_at;
  return (
    <header className="incident-header">
      <Link to="/incidents" className="back" aria-label="Back to incidents">
        ←
      </Link>
      <span className="ref">#{run.number}</span>
      <h1>{run.name}</h1>
      <span className={`badge status-${active ? 'active' : 'resolved'}`}>{active ? 'Active' : 'Resolved'}</span>
      <span className={`sev sev-${run.severity || 'pending'}`}>{severityLabel(run.severity)}</span>
      {run.is_drill && <span className="badge drill">DRILL</span>}
      <span className="ticker" title={`Started ${dateTime(run.create_at)}`}>
        {active ? 'Active' : 'Lasted'} {duration(ended - run.create_at)}
      </span>
      <DueChip run={run} now={now} onClick={onPostUpdate} />
      <span className="spacer" />
      {toggle.isError && (
        <span className="error" role="alert">
          {toggle.error.message}
        </span>
      )}
      {active && (
        <button type="button" className="primary" onClick={onPostUpdate}>
          Post update
        </button>
      )}
      <button type="button" onClick={() => toggle.mutate()} disabled={toggle.isPending}>
        {active ? 'Resolve' : 'Restore'}
      </button>
    </header>
  );
}
