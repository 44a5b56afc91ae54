import { sql } from 'kysely';
import type { Executor } from '../../store/db.ts';
import { incidentDetailsRepo } from '../../store/incident-details.repo.ts';
import { incidentsRepo } from '../../store/incidents.repo.ts';
import { notFound } from '../errors.ts';
import { fieldValuesOfIncidents } from '../fields/values.ts';
import type { Actor } from '../context.ts';
import { requireVisibleIncident } from '../access.ts';
import type { ChecklistWithItems, IncidentDetail, IncidentRow, StatusPost } from './types.ts';
import { countMatching, defaultCountPolicy, totalFromPage, type CountPolicy } from './list-count.ts';
import { isFollower, isParticipant, visibleTo } from './visibility.ts';

function groupBy<T, K extends keyof T>(rows: T[], key: K): Map<T[K], T[]> {
  const map = new Map<T[K], T[]>();
  for (const row of rows) {
    const list = map.get(row[key]);
    if (list) list.push(row);
    else map.set(row[key], [row]);
  }
  return map;
}

/** Loads checklists, timeline, status posts, participants, followers and labels for many incidents at once. */
export async function loadDetails(ex: Executor, incidents: IncidentRow[]): Promise<IncidentDetail[]> {
  if (incidents.length === 0) return [];
  const ids = incidents.map((i) => i.id);
  const channelIds = [...new Set(incidents.map((i) => i.channel_id))];
  const [rows, fieldValues] = await Promise.all([incidentDetailsRepo.rowsOf(ex, ids, channelIds), fieldValuesOfIncidents(ex, ids)]);
  const { lists, items, events, posts, members, followers, labels } = rows;
  const listsBy = groupBy(lists, 'incident_id');
  const itemsBy = groupBy(items, 'checklist_id');
  const eventsBy = groupBy(events, 'incident_id');
  const postsBy = groupBy(posts, 'incident_id');
  const membersBy = groupBy(members, 'channel_id');
  const followersBy = groupBy(followers, 'incident_id');
  const labelsBy = groupBy(labels, 'incident_id');
  const fieldValuesBy = groupBy(fieldValues, 'incident_id');
  return incidents.map((incident) => {
    const checklists: ChecklistWithItems[] = (listsBy.get(incident.id) ?? []).map((list) => ({
      ...list,
      items: itemsBy.get(list.id) ?? [],
    }));
    const statusPosts: StatusPost[] = (postsBy.get(incident.id) ?? []).map((p) => ({
      id: p.id,
      create_at: p.create_at,
      delete_at: p.delete_at,
      message: p.message,
      user_id: p.user_id,
    }));
    return {
      incident,
      checklists,
      timeline: eventsBy.get(incident.id) ?? [],
      statusPosts,
      participantIds: (membersBy.get(incident.channel_id) ?? []).map((m) => m.user_id),
      followerIds: (followersBy.get(incident.id) ?? []).map((f) => f.user_id),
      labels: labelsBy.get(incident.id) ?? [],
      fieldValues: fieldValuesBy.get(incident.id) ?? [],
    };
  });
}

export async function loadDetail(ex: Executor, incident: IncidentRow): Promise<IncidentDetail> {
  const [detail] = await loadDetails(ex, [incident]);
  return detail!;
}

/** Reads one incident the actor can see, with everything a presenter needs. */
export async function getIncident(ex: Executor, actor: Actor, id: string): Promise<IncidentDetail> {
  return loadDetail(ex, await requireVisibleIncident(ex, actor, id));
}

export type IncidentSort =
  | 'create_at'
  | 'id'
  | 'name'
  | 'owner_user_id'
  | 'team_id'
  | 'end_at'
  | 'status'
  | 'last_status_update_at';

export interface IncidentFilter {
  teamId?: string | undefined;
  statuses?: Array<'active' | 'resolved'> | undefined;
  ownerUserId?: string | undefined;
  participantId?: string | undefined;
  participantOrFollowerId?: string | undefined;
  playbookId?: string | undefined;
  channelId?: string | undefined;
  searchTerm?: string | undefined;
  activeGte?: number | undefined;
  activeLt?: number | undefined;
  startedGte?: number | undefined;
  startedLt?: number | undefined;
  sort: IncidentSort;
  direction: 'asc' | 'desc';
  page: number;
  perPage: number;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The filtered, permission-limited set of incidents, as a query (selects nothing yet). */
function filteredQuery(ex: Executor, actor: Actor, f: IncidentFilter) {
  let q = ex
    .selectFrom('incidents')
    .where('incidents.delete_at', '=', 0)
    .where((eb) => visibleTo(eb, actor));
  if (f.teamId) q = q.where('incidents.team_id', '=', f.teamId);
  if (f.statuses && f.statuses.length > 0) q = q.where('incidents.status', 'in', f.statuses);
  if (f.ownerUserId) q = q.where('incidents.owner_user_id', '=', f.ownerUserId);
  if (f.playbookId) q = q.where('incidents.playbook_id', '=', f.playbookId);
  if (f.channelId) q = q.where('incidents.channel_id', '=', f.channelId);
  if (f.participantId) {
    const userId = f.participantId;
    q = q.where((eb) => isParticipant(eb, userId));
  }
  if (f.participantOrFollowerId) {
    const userId = f.participantOrFollowerId;
    q = q.where((eb) => eb.or([isParticipant(eb, userId), isFollower(eb, userId)]));
  }
  if (f.searchTerm) {
    const pattern = `%${escapeLike(f.searchTerm)}%`;
    q = q.where(sql<boolean>`incidents.name ILIKE ${pattern}`);
  }
  // "Active between": not ended before the window starts, and created before it ends.
  if (f.activeGte) {
    const start = f.activeGte;
    q = q.where((eb) => eb.or([eb('incidents.end_at', '>=', start), eb('incidents.end_at', '=', 0)]));
  }
  if (f.activeLt) q = q.where('incidents.create_at', '<', f.activeLt);
  if (f.startedGte) q = q.where('incidents.create_at', '>=', f.startedGte);
  if (f.startedLt) q = q.where('incidents.create_at', '<', f.startedLt);
  return q;
}

// Ties on the sort value are broken by id compared byte-wise: the order the (create_at, id COLLATE "C") index
// keeps, so a newest-first list across teams reads that index instead of sorting every incident.
const ID_BYTEWISE = sql`(incidents.id COLLATE "C")`;

/** What decides which incidents a list holds (not their order or the page): the key of a cached count. */
function countKey(actor: Actor, f: IncidentFilter): string {
  const { sort: _sort, direction: _direction, page: _page, perPage: _perPage, ...which } = f;
  return JSON.stringify([actor.userId, actor.isAdmin, which]);
}

/**
 * One page of the filtered list and its total. The page is read with one extra row, which says whether more
 * follow; the total is then counted only when the page does not decide it (see list-count.ts).
 */
export async function listIncidents(
  ex: Executor,
  actor: Actor,
  f: IncidentFilter,
  counting: CountPolicy = defaultCountPolicy,
): Promise<{ total: number; incidents: IncidentRow[] }> {
  const base = filteredQuery(ex, actor, f);
  const offset = Math.max(0, f.page) * f.perPage;
  const rows = await base
    .selectAll('incidents')
    .orderBy(`incidents.${f.sort}`, f.direction)
    .orderBy(ID_BYTEWISE, f.direction)
    .limit(f.perPage + 1)
    .offset(offset)
    .execute();
  const incidents = rows.slice(0, f.perPage);
  const page = { offset, rows: incidents.length, hasMore: rows.length > f.perPage };
  const total =
    totalFromPage(page) ??
    (await countMatching(
      counting,
      countKey(actor, f),
      page,
      async (limit) => {
        const capped = base.select(sql<number>`1`.as('one')).limit(limit).as('capped');
        const row = await ex.selectFrom(capped).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        return Number(row.n);
      },
      async () => Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    ));
  return { total, incidents };
}

/** One incident by id, for reading back after a change (no visibility check: the caller made the change). */
export async function incidentById(ex: Executor, id: string): Promise<IncidentRow> {
  const incident = await incidentsRepo.byId(ex, id);
  if (!incident) throw notFound('incident not found');
  return incident;
}

/** A number that grows with every change to any incident (each change bumps its incident's version). */
export async function homescreenVersion(ex: Executor): Promise<number> {
  const row = await ex
    .selectFrom('incidents')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('version'), eb.lit(0)).as('v'))
    .executeTakeFirstOrThrow();
  return Number(row.v);
}
