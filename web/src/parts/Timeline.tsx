import { useState } from 'react';
import { useNavigate } from '@tanstack/react-router';
import { displayName, type TimelineEvent, type User } from '../api.ts';
import { dateTime, duration, time } from '../format.ts';
import { InlineMarkdown } from './Markdown.tsx';
import { NoteBox } from './NoteBox.tsx';
import { EventActions } from './EventActions.tsx';

/** Timeline kinds a user filters by; `system` (bookkeeping changes) is hidden unless asked for. */
export const KINDS = ['incident', 'status', 'task', 'role', 'note', 'system'] as const;
export type Kind = (typeof KINDS)[number];
const KIND_LABEL: Record<Kind, string> = { incident: 'Lifecycle', status: 'Status updates', task: 'Tasks', role: 'Roles', note: 'Notes', system: 'System' };
const DEFAULT_KINDS: Kind[] = ['incident', 'status', 'task', 'role', 'note'];

export function kindOf(eventType: string): Kind {
  if (['incident_created', 'run_finished', 'run_restored', 'severity_changed', 'title_changed'].includes(eventType)) return 'incident';
  if (eventType === 'status_updated' || eventType === 'status_update_snoozed') return 'status';
  if (eventType.startsWith('task_') || ['assignee_changed', 'checklist_changed', 'ran_slash_command'].includes(eventType)) return 'task';
  if (['owner_changed', 'role_assigned', 'role_unassigned', 'participants_changed'].includes(eventType)) return 'role';
  if (eventType === 'event_from_post' || eventType === 'user_note') return 'note';
  return 'system';
}

export function parseKinds(tl: string | undefined): Kind[] {
  if (!tl) return DEFAULT_KINDS;
  return tl.split(',').filter((k): k is Kind => (KINDS as readonly string[]).includes(k));
}

/** Time relative to the start: "+14m", or "−10m" for something noted as happening before it. */
function offset(ms: number): string {
  return ms < 0 ? `−${duration(-ms)}` : `+${duration(ms)}`;
}

function Marker({ type }: { type: string }) {
  if (type === 'incident_created') return <span className="marker start" data-testid="marker-start">Start</span>;
  if (type === 'run_finished') return <span className="marker end" data-testid="marker-resolved">Resolved</span>;
  return null;
}

interface TimelineProps {
  incidentId: string;
  events: TimelineEvent[];
  tl: string | undefined;
  startedAt: number;
  users: Map<string, User>;
}

/** Rows rendered at first: a long incident's timeline stays light; earlier rows come in pages on request. */
const PAGE = 100;

export function Timeline({ incidentId, events, tl, startedAt, users }: TimelineProps) {
  const navigate = useNavigate();
  const [limit, setLimit] = useState(PAGE);
  const kinds = parseKinds(tl);
  const live = events.filter((e) => e.delete_at === 0);
  const shown = live.filter((e) => kinds.includes(kindOf(e.event_type))).sort((a, b) => a.event_at - b.event_at);
  const toggle = (kind: Kind) => {
    const next = kinds.includes(kind) ? kinds.filter((k) => k !== kind) : [...kinds, kind];
    const same = next.length === DEFAULT_KINDS.length && DEFAULT_KINDS.every((k) => next.includes(k));
    void navigate({ to: '.', search: (prev: { tl?: string }) => ({ ...prev, tl: same ? undefined : next.join(',') || 'none' }), replace: true });
  };
  return (
    <section className="timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      <NoteBox incidentId={incidentId} />
      <fieldset className="kinds">
        <legend>Show</legend>
        {KINDS.map((kind) => (
          <label key={kind} className="chip-check">
            <input type="checkbox" checked={kinds.includes(kind)} onChange={() => toggle(kind)} />
            {KIND_LABEL[kind]} ({live.filter((e) => kindOf(e.event_type) === kind).length})
          </label>
        ))}
      </fieldset>
      <p className="hint" aria-live="polite">
        Showing {shown.length} of {live.length}
      </p>
      {shown.length > limit && (
        <button type="button" className="small" onClick={() => setLimit((n) => n + PAGE)}>
          Show {Math.min(PAGE, shown.length - limit)} earlier ({shown.length - limit} hidden)
        </button>
      )}
      <ol>
        {shown.slice(-limit).map((e) => (
          <li key={e.id} className={`event kind-${kindOf(e.event_type)}`}>
            <time dateTime={new Date(e.event_at).toISOString()} title={dateTime(e.event_at)}>
              {time(e.event_at)} <span className="hint">{offset(e.event_at - startedAt)}</span>
            </time>
            <span className="summary">
              <Marker type={e.event_type} />
              <InlineMarkdown text={e.summary || e.event_type} />
              {e.creator_user_id && <span className="hint"> · {displayName(users.get(e.creator_user_id))}</span>}
            </span>
            <EventActions incidentId={incidentId} event={e} />
          </li>
        ))}
      </ol>
    </section>
  );
}
