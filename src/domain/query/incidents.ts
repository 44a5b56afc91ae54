import { sql, type SqlBool } from 'kysely';
import type { Executor } from '../../store/db.ts';
import type { Actor } from '../context.ts';
import { invalidInput } from '../errors.ts';
import { allRoles } from '../incidents/roles.ts';
import type { IncidentRow } from '../incidents/types.ts';
import { visibleTo } from '../incidents/visibility.ts';
import { decodeCursor, encodeCursor, queryFingerprint } from './cursor.ts';
import { filtersPredicate, queryPredicate, type IncidentFilters, type RoleIds } from './filter.ts';
import { SORT_KEYS, type OrderField } from './order.ts';
import { parseQueryString } from './parse.ts';

export const DEFAULT_QUERY_LIMIT = 25;
export const MAX_QUERY_LIMIT = 100;

export type OrderDirection = 'ASC' | 'DESC';

export interface IncidentsPageRequest {
  /** Which API call asks: a cursor from one kind of query is refused by another. */
  scope: string;
  /** When not blank it overrides `filters` (notes §7). */
  queryString: string;
  filters: IncidentFilters;
  orderField: OrderField;
  direction: OrderDirection;
  /** 0 = the default (25); at most 100. */
  limit: number;
  /** '' = the first page; otherwise a `nextValue` of the same query. */
  cursor: string;
}

export interface IncidentsPage {
  incidents: IncidentRow[];
  nextValue: string;
  hasMore: boolean;
}

export function resolveLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 0) throw invalidInput('limit', 'must be a whole number, 0 for the default');
  if (limit > MAX_QUERY_LIMIT) {
    throw invalidInput('limit', `must be at most ${MAX_QUERY_LIMIT} (0 means the default, ${DEFAULT_QUERY_LIMIT})`);
  }
  return limit || DEFAULT_QUERY_LIMIT;
}

async function catalogueSlugs(ex: Executor): Promise<string[]> {
  return (await ex.selectFrom('custom_fields').select('slug').where('archived', '=', false).orderBy('slug').execute()).map((f) => f.slug);
}

async function roleIds(ex: Executor): Promise<RoleIds> {
  return new Map((await allRoles(ex)).map((r) => [r.name.toLowerCase(), r.id]));
}

// Ties on the sort value are broken by id, compared byte-wise so the order is total on any collation.
const ID = sql`(incidents.id COLLATE "C")`;

/**
 * One page of the incidents the actor can see, filtered and ordered, with keyset paging: the cursor holds
 * the last row's (sort value, id), so rows created or changed between pages never shift the rest of the
 * result (no duplicates, no gaps), unlike an offset.
 */
export async function queryIncidentsPage(ex: Executor, actor: Actor, req: IncidentsPageRequest): Promise<IncidentsPage> {
  const limit = resolveLimit(req.limit);
  // Custom field and label key slugs are the catalogue's: read only when the query names a field.
  const slugs = /field:/i.test(req.queryString) ? await catalogueSlugs(ex) : [];
  const ast = req.queryString.trim() ? parseQueryString(req.queryString, slugs) : undefined;
  const roles = ast ? await roleIds(ex) : new Map<string, number>();
  const sort = SORT_KEYS[req.orderField];
  const fingerprint = queryFingerprint([req.scope, ast ?? req.filters, req.orderField, req.direction]);
  const after = req.cursor ? decodeCursor(req.cursor, fingerprint, sort.type) : undefined;

  let query = ex
    .selectFrom('incidents')
    .selectAll('incidents')
    .select(sort.expr.as('sort_value'))
    .where('incidents.delete_at', '=', 0)
    .where((eb) => visibleTo(eb, actor))
    .where((eb) => (ast ? queryPredicate(eb, ast, roles) : filtersPredicate(eb, req.filters)));
  if (after) {
    const op = sql.raw(req.direction === 'DESC' ? '<' : '>');
    query = query.where(sql<SqlBool>`(${sort.expr}, ${ID}) ${op} (CAST(${after.value} AS ${sql.raw(sort.type)}), ${after.id}::text)`);
  }
  const direction = req.direction === 'DESC' ? 'desc' : 'asc';
  const rows = await query
    .orderBy(sort.expr, direction)
    .orderBy(ID, direction)
    .limit(limit + 1)
    .execute();

  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextValue =
    hasMore && last ? encodeCursor(fingerprint, { value: sort.type === 'bigint' ? Number(last.sort_value) : (last.sort_value as string | boolean), id: last.id }) : '';
  return { incidents: page.map(({ sort_value: _sortValue, ...incident }) => incident), nextValue, hasMore };
}
