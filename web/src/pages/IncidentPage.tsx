import { useCallback, useEffect, useState } from 'react';
import { useShortcut } from '../shortcuts.ts';
import { useParams, useSearch } from '@tanstack/react-router';
import { displayName, type StatusUpdate, type User } from '../api.ts';
import { dateTime } from '../format.ts';
import { useUsers } from '../hooks.ts';
import { useRun, useStatusUpdates } from '../run.ts';
import { Checklists } from '../parts/Checklists.tsx';
import { Details } from '../parts/Details.tsx';
import { IncidentHeader } from '../parts/IncidentHeader.tsx';
import { Markdown } from '../parts/Markdown.tsx';
import { POST_UPDATE_EVENT } from '../parts/Palette.tsx';
import { StatusDialog } from '../parts/StatusDialog.tsx';
import { Summary } from '../parts/Summary.tsx';
import { Timeline } from '../parts/Timeline.tsx';

function LatestUpdate({ updates, users }: { updates: StatusUpdate[] | undefined; users: Map<string, User> }) {
  const latest = updates?.filter((u) => u.message).sort((a, b) => b.create_at - a.create_at)[0];
  return (
    <section className="card" aria-labelledby="update-title" id="status">
      <h2 id="update-title">Latest status update</h2>
      {latest ? (
        <article className="update" aria-live="polite">
          <p className="hint">
            {displayName(users.get(latest.user_id), latest.author_user_name)} · {dateTime(latest.create_at)} · {updates?.length ?? 0} in all
          </p>
          <Markdown text={latest.message} />
        </article>
      ) : null}
      {updates && updates.length > 1 && (
        <details className="all-updates">
          <summary>View all ({updates.length})</summary>
          <ol>
            {[...updates]
              .sort((a, b) => b.create_at - a.create_at)
              .map((u) => (
                <li key={u.id}>
                  <p className="hint">
                    {displayName(users.get(u.user_id), u.author_user_name)} · {dateTime(u.create_at)}
                  </p>
                  <Markdown text={u.message} />
                </li>
              ))}
          </ol>
        </details>
      )}
      {!latest && <p className="empty">No status update yet.</p>}
    </section>
  );
}

/** On a phone: the three things responders do, one tap from anywhere on the page (shown below 700 px). */
function PhoneBar({ onPostUpdate, active }: { onPostUpdate: () => void; active: boolean }) {
  const jump = (id: string, focus?: string) => () => {
    document.getElementById(id)?.scrollIntoView({ block: 'start' });
    if (focus) document.querySelector<HTMLElement>(focus)?.focus();
  };
  return (
    <nav className="phone-bar" aria-label="Quick actions">
      <button type="button" onClick={jump('checklists')}>
        Tasks
      </button>
      <button type="button" onClick={jump('timeline-title', '.note-box textarea')}>
        Note
      </button>
      {active && (
        <button type="button" className="primary" onClick={onPostUpdate}>
          Update
        </button>
      )}
    </nav>
  );
}

/** The war room: header, summary, latest update and checklists; the details and timeline on the right. */
export function IncidentPage() {
  const { id } = useParams({ strict: false }) as { id: string };
  const { tl } = useSearch({ strict: false }) as { tl?: string };
  const run = useRun(id);
  const updates = useStatusUpdates(id);
  const users = useUsers().data ?? new Map<string, User>();
  const [posting, setPosting] = useState(false);
  useShortcut('u', useCallback(() => setPosting(true), []));
  useEffect(() => {
    const open = () => setPosting(true);
    window.addEventListener(POST_UPDATE_EVENT, open);
    return () => window.removeEventListener(POST_UPDATE_EVENT, open);
  }, []);
  if (run.isPending) return <p className="page">Loading…</p>;
  if (run.isError) {
    return (
      <p className="page error" role="alert">
        {run.error.message}
      </p>
    );
  }
  const r = run.data;
  return (
    <div className="war-room">
      <IncidentHeader run={r} onPostUpdate={() => setPosting(true)} />
      <main className="war-main">
        <Summary run={r} users={users} />
        <LatestUpdate updates={updates.data} users={users} />
        <section className="card" aria-labelledby="checklists-title" id="checklists">
          <h2 id="checklists-title">Checklists</h2>
          <Checklists run={r} users={users} />
        </section>
      </main>
      <aside className="war-rail" aria-label="Details and timeline">
        <Details run={r} users={users} />
        <Timeline incidentId={r.id} events={r.timeline_events} tl={tl} startedAt={r.create_at} users={users} />
      </aside>
      <PhoneBar onPostUpdate={() => setPosting(true)} active={r.current_status === 'InProgress'} />
      <StatusDialog key={r.id} run={r} open={posting} onClose={() => setPosting(false)} />
    </div>
  );
}
