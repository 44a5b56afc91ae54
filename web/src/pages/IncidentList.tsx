import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { rpc, type RpcIncident, type User } from '../api.ts';
import { duration, severityLabel } from '../format.ts';
import { useNow, useSeverities } from '../hooks.ts';
import type { ListSearch } from '../router.tsx';
import { useMe } from '../session.ts';

interface Page {
  incidents: RpcIncident[];
  cursor: { nextValue: string; hasMore: boolean };
}

/** The list filters as one query in the RPC query language (the same one incident-node sends). */
export function queryString(search: ListSearch, me: User | null | undefined): string {
  const parts: string[] = [];
  const status = search.status ?? 'active';
  if (status !== 'all') parts.push(`status:${status}`);
  if (search.severity) parts.push(`severity:${quote(search.severity)}`);
  if (search.label) parts.push(`label:${quote(search.label)}`);
  if (!search.drills) parts.push('isdrill:false');
  if (search.mine && me) parts.push(`user.email:${quote(me.email)}`);
  if (search.q) parts.push(search.q);
  return parts.join(' ');
}

function quote(value: string): string {
  return /^[\w.@-]+$/.test(value) ? value : `"${value.replace(/"/g, '')}"`;
}

function Filters({ search }: { search: ListSearch }) {
  const navigate = useNavigate();
  const severities = useSeverities();
  const set = (patch: Partial<ListSearch>) =>
    void navigate({ to: '/incidents', search: (prev: ListSearch) => ({ ...prev, ...patch }) });
  return (
    <form className="filters" role="search" aria-label="Filter incidents" onSubmit={(e) => e.preventDefault()}>
      <label>
        Status
        <select value={search.status ?? 'active'} onChange={(e) => set({ status: e.target.value === 'active' ? undefined : (e.target.value as ListSearch['status']) })}>
          <option value="active">Active</option>
          <option value="resolved">Resolved</option>
          <option value="all">All</option>
        </select>
      </label>
      <label>
        Severity
        <select value={search.severity ?? ''} onChange={(e) => set({ severity: e.target.value || undefined })}>
          <option value="">Any</option>
          {(severities.data ?? []).map((s) => (
            <option key={s.displayLabel} value={s.displayLabel}>
              {severityLabel(s.displayLabel)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Label
        <input defaultValue={search.label ?? ''} onBlur={(e) => set({ label: e.target.value || undefined })} />
      </label>
      <label className="grow">
        Search
        <input
          type="search"
          defaultValue={search.q ?? ''}
          placeholder="words, or title:db severity:critical"
          onKeyDown={(e) => e.key === 'Enter' && set({ q: e.currentTarget.value || undefined })}
          onBlur={(e) => set({ q: e.target.value || undefined })}
        />
      </label>
      <label className="check">
        <input type="checkbox" checked={Boolean(search.mine)} onChange={(e) => set({ mine: e.target.checked || undefined })} />
        Mine
      </label>
      <label className="check">
        <input type="checkbox" checked={Boolean(search.drills)} onChange={(e) => set({ drills: e.target.checked || undefined })} />
        Include drills
      </label>
    </form>
  );
}

function Row({ incident, now }: { incident: RpcIncident; now: number }) {
  const commander = incident.roles.find((r) => r.role === 'commander')?.user?.name ?? '—';
  const total = incident.taskList.doneCount + incident.taskList.todoCount;
  return (
    <tr>
      <td className="title-cell">
        <Link to="/incidents/$id" params={{ id: incident.incidentID }} search={{}}>
          {incident.title}
        </Link>
        {incident.isDrill && <span className="badge drill">DRILL</span>}
        {incident.labels.map((l) => (
          <span key={l.label} className="chip">
            {l.label}
          </span>
        ))}
      </td>
      <td>
        <span className={`sev sev-${incident.severity}`}>{severityLabel(incident.severity)}</span>
      </td>
      <td>{incident.status === 'active' ? 'Active' : 'Resolved'}</td>
      <td data-label="Commander">{commander}</td>
      <td data-label="Age">{duration(now - Date.parse(incident.createdTime))}</td>
      <td data-label="Tasks">{total === 0 ? '—' : `${incident.taskList.doneCount}/${total}`}</td>
    </tr>
  );
}

export function IncidentList() {
  const search = useSearch({ strict: false }) as ListSearch;
  const me = useMe();
  const now = useNow();
  const qs = queryString(search, me.data);
  const query = useInfiniteQuery({
    queryKey: ['incidents', qs],
    queryFn: ({ pageParam }) =>
      rpc<Page>('IncidentsService.QueryIncidents', {
        query: { limit: 50, orderDirection: 'DESC', queryString: qs },
        cursor: pageParam ? { nextValue: pageParam } : undefined,
      }),
    initialPageParam: '',
    getNextPageParam: (last) => (last.cursor.hasMore ? last.cursor.nextValue : undefined),
  });
  const rows = query.data?.pages.flatMap((p) => p.incidents) ?? [];
  return (
    <main className="page">
      <h1>Incidents</h1>
      <Filters search={search} />
      {query.isError && (
        <p className="error" role="alert">
          {query.error.message}
        </p>
      )}
      <div className="table-wrap">
        <table className="incidents">
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Severity</th>
              <th scope="col">Status</th>
              <th scope="col">Commander</th>
              <th scope="col">Age</th>
              <th scope="col">Tasks</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((incident) => (
              <Row key={incident.incidentID} incident={incident} now={now} />
            ))}
          </tbody>
        </table>
      </div>
      {query.isSuccess && rows.length === 0 && <p className="empty">No incidents match these filters.</p>}
      {query.hasNextPage && (
        <button type="button" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          Load more
        </button>
      )}
    </main>
  );
}
