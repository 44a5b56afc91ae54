import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../store/db.ts';
import { playbooksRepo, type PlaybookRow } from '../../store/playbooks.repo.ts';
import { teamsRepo } from '../../store/teams.repo.ts';
import { canViewPlaybook } from '../access.ts';
import type { Actor } from '../context.ts';
import { forbidden, notFound } from '../errors.ts';
import { playbookSettings, type PlaybookDetail, type PlaybookMember } from './types.ts';

export type PlaybookSort = 'title' | 'stages' | 'steps' | 'runs' | 'last_run_at' | 'active_runs';
export const PLAYBOOK_SORTS: PlaybookSort[] = ['title', 'stages', 'steps', 'runs', 'last_run_at', 'active_runs'];

export interface PlaybookFilter {
  teamId?: string | undefined;
  withArchived: boolean;
  searchTerm?: string | undefined;
  sort: PlaybookSort;
  direction: 'asc' | 'desc';
  page: number;
  perPage: number;
}

/** Loads a playbook the actor may see: 404 when it does not exist, 403 when it is not theirs to see. */
export async function requireVisiblePlaybook(ex: Executor, actor: Actor, id: string): Promise<PlaybookRow> {
  const playbook = await playbooksRepo.byId(ex, id);
  if (!playbook) throw notFound();
  if (!(await canViewPlaybook(ex, actor, playbook))) throw forbidden("You don't have permission to view this playbook.");
  return playbook;
}

export async function getPlaybook(ex: Executor, actor: Actor, id: string): Promise<PlaybookDetail> {
  const [detail] = await loadPlaybookDetails(ex, [await requireVisiblePlaybook(ex, actor, id)]);
  return detail!;
}

export async function listAutofollows(ex: Executor, actor: Actor, id: string): Promise<string[]> {
  await requireVisiblePlaybook(ex, actor, id);
  return playbooksRepo.autofollowIds(ex, id);
}

export async function loadMembers(ex: Executor, playbookId: string): Promise<PlaybookMember[]> {
  const rows = await playbooksRepo.members(ex, playbookId);
  return rows.map((r) => ({ user_id: r.user_id, roles: r.roles }));
}

/** Adds settings, members and run statistics to playbook rows (a few queries for the whole page). */
export async function loadPlaybookDetails(ex: Executor, rows: PlaybookRow[]): Promise<PlaybookDetail[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const members = await ex
    .selectFrom('playbook_members')
    .selectAll()
    .where('playbook_id', 'in', ids)
    .orderBy('user_id')
    .execute();
  const stats = await ex
    .selectFrom('incidents')
    .select([
      'playbook_id',
      (eb) => eb.fn.countAll<number>().as('num_runs'),
      (eb) => eb.fn.max<number>('create_at').as('last_run_at'),
      sql<number>`count(*) filter (where status = 'active')`.as('active_runs'),
    ])
    .where('playbook_id', 'in', ids)
    .where('delete_at', '=', 0)
    .groupBy('playbook_id')
    .execute();
  return rows.map((playbook) => {
    const stat = stats.find((s) => s.playbook_id === playbook.id);
    return {
      playbook,
      settings: playbookSettings(playbook.settings),
      members: members.filter((m) => m.playbook_id === playbook.id).map((m) => ({ user_id: m.user_id, roles: m.roles })),
      numRuns: Number(stat?.num_runs ?? 0),
      activeRuns: Number(stat?.active_runs ?? 0),
      lastRunAt: Number(stat?.last_run_at ?? 0),
    };
  });
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

// Correlated expressions for the sort keys; titles compare case-insensitively and byte-wise, so PGlite and
// PostgreSQL (whose default collations differ) order them the same way.
const SORT_KEYS: Record<PlaybookSort, RawBuilder<unknown>> = {
  title: sql`lower(playbooks.title) collate "C"`,
  stages: sql`jsonb_array_length(playbooks.checklists)`,
  steps: sql`(select coalesce(sum(jsonb_array_length(c.value -> 'items')), 0) from jsonb_array_elements(playbooks.checklists) c)`,
  runs: sql`(select count(*) from incidents i where i.playbook_id = playbooks.id and i.delete_at = 0)`,
  last_run_at: sql`(select coalesce(max(i.create_at), 0) from incidents i where i.playbook_id = playbooks.id and i.delete_at = 0)`,
  active_runs: sql`(select count(*) from incidents i where i.playbook_id = playbooks.id and i.delete_at = 0 and i.status = 'active')`,
};

/**
 * Playbooks the actor may see: admins all; others those of their teams that are public or that they are a
 * member of. A `teamId` the caller does not belong to is a 403.
 */
export async function listPlaybooks(
  ex: Executor,
  actor: Actor,
  f: PlaybookFilter,
): Promise<{ total: number; items: PlaybookDetail[] }> {
  if (f.teamId && !actor.isAdmin && !(await teamsRepo.isMember(ex, f.teamId, actor.userId))) {
    throw forbidden("You don't have permission to view this team's playbooks.");
  }
  let q = ex.selectFrom('playbooks');
  if (!actor.isAdmin) {
    q = q.where((eb) =>
      eb.and([
        eb('playbooks.team_id', 'in', eb.selectFrom('team_members').select('team_id').where('user_id', '=', actor.userId)),
        eb.or([
          eb('playbooks.public', '=', true),
          eb.exists(
            eb
              .selectFrom('playbook_members')
              .select('playbook_members.user_id')
              .whereRef('playbook_members.playbook_id', '=', 'playbooks.id')
              .where('playbook_members.user_id', '=', actor.userId),
          ),
        ]),
      ]),
    );
  }
  if (f.teamId) q = q.where('playbooks.team_id', '=', f.teamId);
  if (!f.withArchived) q = q.where('playbooks.delete_at', '=', 0);
  if (f.searchTerm) q = q.where(sql<boolean>`playbooks.title ILIKE ${`%${escapeLike(f.searchTerm)}%`}`);

  const countRow = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll('playbooks')
    .orderBy(SORT_KEYS[f.sort], f.direction)
    .orderBy('playbooks.id', f.direction)
    .limit(f.perPage)
    .offset(f.page * f.perPage)
    .execute();
  return { total: Number(countRow.n), items: await loadPlaybookDetails(ex, rows) };
}
