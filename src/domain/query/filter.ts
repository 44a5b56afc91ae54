import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { DB } from '../../store/schema.ts';
import { invalid } from '../errors.ts';
import { COMMANDER_ROLE_ID } from '../incidents/roles.ts';
import { FIELD_SLUGS, type Node, type QueryAst, type RangeKey, type Term } from './ast.ts';
import { CLOSED_AT, ENDED_AT, STARTED_AT } from './columns.ts';
import { QUERY_STRING_FIELD } from './parse.ts';
import { parseRfc3339 } from './time.ts';

export type IncidentsEB = ExpressionBuilder<DB, 'incidents'>;
type Predicate = Expression<SqlBool>;

/** The structured filters of IncidentsQuery (used when there is no queryString). */
export interface IncidentFilters {
  includeStatuses: Array<'active' | 'resolved'>;
  excludeStatuses: Array<'active' | 'resolved'>;
  /** Any of these label texts (case-insensitive); empty = no label filter. */
  labels: string[];
  createdFrom?: number | undefined;
  createdBefore?: number | undefined;
  onlyDrills: boolean;
  severity: string;
}

/** Role names (lower case) → role ids, to resolve `role:` terms. */
export type RoleIds = Map<string, number>;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const contains = (text: string) => `%${escapeLike(text)}%`;

function hasLabel(eb: IncidentsEB, label: string): Predicate {
  return eb.exists(
    eb
      .selectFrom('incident_labels')
      .select('incident_labels.label')
      .whereRef('incident_labels.incident_id', '=', 'incidents.id')
      .where(sql<SqlBool>`lower(incident_labels.label) = lower(${label}::text)`),
  );
}

/**
 * `field:<slug>:<value>` for a catalogue slug: a label of the label key with that slug, or the value of the
 * incident field with that slug (a string case-insensitively, a number or bool as written, a select option by
 * its text or id, for multi-select any of the options held).
 */
function hasFieldValue(slug: string, value: string): Predicate {
  return sql<SqlBool>`(EXISTS (SELECT 1 FROM incident_labels l JOIN custom_fields f ON f.domain_name = 'labels' AND lower(f.name) = lower(l.key)
      WHERE l.incident_id = incidents.id AND f.slug = ${slug}::text AND lower(l.label) = lower(${value}::text))
    OR EXISTS (SELECT 1 FROM incident_field_values v JOIN custom_fields f ON f.id = v.field_id
      WHERE v.incident_id = incidents.id AND f.domain_name = 'incident' AND f.slug = ${slug}::text
        AND (v.value = ${value}::text OR lower(v.value) = lower(to_jsonb(${value}::text)::text)
          OR EXISTS (SELECT 1 FROM custom_field_options o WHERE o.field_id = f.id AND (lower(o.value) = lower(${value}::text) OR o.id = ${value}::text)
            AND (v.value::jsonb = to_jsonb(o.id) OR v.value::jsonb @> jsonb_build_array(o.id))))))`;
}

/** By label or id; incidents without a severity are `pending`, as they are presented. */
function hasSeverity(eb: IncidentsEB, severity: string): Predicate {
  return sql<SqlBool>`(lower(coalesce(nullif(incidents.severity, ''), 'pending')) = lower(${severity}::text)
    OR incidents.severity IN (SELECT severities.label FROM severities WHERE lower(severities.id) = lower(${severity}::text)))`;
}

function usersWithEmail(eb: IncidentsEB, email: string) {
  return eb.selectFrom('users').select('users.id').where(sql<SqlBool>`lower(users.email) = lower(${email}::text)`);
}

/** Someone (or the user with `email`) holds the role: commander is the owner, others are assignments. */
function holdsRole(eb: IncidentsEB, roleId: number | undefined, email: string | undefined): Predicate {
  const owner = email === undefined ? eb('incidents.owner_user_id', '<>', '') : eb('incidents.owner_user_id', 'in', usersWithEmail(eb, email));
  if (roleId === COMMANDER_ROLE_ID) return owner;
  let assigned = eb
    .selectFrom('incident_role_assignments')
    .select('incident_role_assignments.user_id')
    .whereRef('incident_role_assignments.incident_id', '=', 'incidents.id');
  if (roleId !== undefined) assigned = assigned.where('incident_role_assignments.role_id', '=', roleId);
  if (email !== undefined) assigned = assigned.where('incident_role_assignments.user_id', 'in', usersWithEmail(eb, email));
  // user.email alone: the user holds any role, commander included.
  return roleId === undefined ? eb.or([owner, eb.exists(assigned)]) : eb.exists(assigned);
}

/** Every word appears in the title, the summary or the text of a live timeline event. */
function textMatches(eb: IncidentsEB, words: string): Predicate {
  return eb.and(
    words
      .split(/\s+/)
      .filter(Boolean)
      .map((word) =>
        eb.or([
          eb('incidents.name', 'ilike', contains(word)),
          eb('incidents.summary', 'ilike', contains(word)),
          eb.exists(
            eb
              .selectFrom('timeline_events')
              .select('timeline_events.id')
              .whereRef('timeline_events.incident_id', '=', 'incidents.id')
              .where('timeline_events.delete_at', '=', 0)
              .where('timeline_events.summary', 'ilike', contains(word)),
          ),
        ]),
      ),
  );
}

/** The time each range key is about, 0 when the incident has none (yet). */
const RANGE_COLUMN: Record<RangeKey, Expression<number>> = {
  declared: sql<number>`incidents.create_at`,
  started: STARTED_AT,
  resolved: CLOSED_AT,
  ended: ENDED_AT,
};

/** [from, to): from inclusive, to exclusive, like dateFrom/dateTo. */
function inRange(eb: IncidentsEB, key: RangeKey, from: string, to: string): Predicate {
  const column = RANGE_COLUMN[key];
  const parts: Predicate[] = [eb(column, '>', 0)];
  if (from) parts.push(eb(column, '>=', parseRfc3339(from)!));
  if (to) parts.push(eb(column, '<', parseRfc3339(to)!));
  return eb.and(parts);
}

function roleIdOf(roles: RoleIds, name: string): number {
  const id = roles.get(name.toLowerCase());
  if (id === undefined) {
    throw invalid(QUERY_STRING_FIELD, `invalid query string: unknown role "${name}": expected one of ${[...roles.keys()].join(', ')}`);
  }
  return id;
}

function termPredicate(eb: IncidentsEB, term: Term, roles: RoleIds): Predicate {
  if (term.kind === 'field') return (FIELD_SLUGS as readonly string[]).includes(term.slug) ? hasLabel(eb, term.value) : hasFieldValue(term.slug, term.value);
  if (term.kind === 'range') return inRange(eb, term.key, term.from, term.to);
  const value = term.value;
  switch (term.key) {
    case 'status':
      return eb('incidents.status', '=', value as 'active' | 'resolved');
    case 'severity':
      return hasSeverity(eb, value);
    case 'isdrill':
      return eb('incidents.is_drill', '=', value === 'true');
    case 'title':
      return eb('incidents.name', 'ilike', contains(value));
    case 'label':
      return hasLabel(eb, value);
    case 'createdby':
      return eb('incidents.reporter_user_id', 'in', usersWithEmail(eb, value));
    case 'role':
      return holdsRole(eb, roleIdOf(roles, value), undefined);
    case 'user.email':
      return holdsRole(eb, undefined, value);
    case 'text':
      return textMatches(eb, value);
  }
}

function nodePredicate(eb: IncidentsEB, node: Node, roles: RoleIds): Predicate {
  if (node.kind !== 'group') return termPredicate(eb, node, roles);
  return eb.or(node.items.map((item) => nodePredicate(eb, item, roles)));
}

/**
 * The query as one SQL predicate. Its items are ANDed; there `role:<name>` and `user.email:<email>` pair up
 * into "that user holds that role" (every role term with every email term). Inside or()/any() each term
 * stands alone.
 */
export function queryPredicate(eb: IncidentsEB, ast: QueryAst, roles: RoleIds): Predicate {
  const roleTerms = ast.items.filter((i): i is Term => i.kind === 'term' && i.key === 'role');
  const emailTerms = ast.items.filter((i): i is Term => i.kind === 'term' && i.key === 'user.email');
  const paired = roleTerms.length > 0 && emailTerms.length > 0;
  const parts: Predicate[] = [];
  for (const item of ast.items) {
    if (paired && (roleTerms.includes(item as Term) || emailTerms.includes(item as Term))) continue;
    parts.push(nodePredicate(eb, item, roles));
  }
  if (paired) {
    for (const role of roleTerms) {
      for (const email of emailTerms) {
        if (role.kind === 'term' && email.kind === 'term') parts.push(holdsRole(eb, roleIdOf(roles, role.value), email.value));
      }
    }
  }
  return eb.and(parts);
}

/** The structured IncidentsQuery filters as one SQL predicate. */
export function filtersPredicate(eb: IncidentsEB, f: IncidentFilters): Predicate {
  const parts: Predicate[] = [];
  if (f.includeStatuses.length > 0) parts.push(eb('incidents.status', 'in', f.includeStatuses));
  if (f.excludeStatuses.length > 0) parts.push(eb('incidents.status', 'not in', f.excludeStatuses));
  if (f.labels.length > 0) parts.push(eb.or(f.labels.map((label) => hasLabel(eb, label))));
  if (f.createdFrom !== undefined) parts.push(eb('incidents.create_at', '>=', f.createdFrom));
  if (f.createdBefore !== undefined) parts.push(eb('incidents.create_at', '<', f.createdBefore));
  if (f.onlyDrills) parts.push(eb('incidents.is_drill', '=', true));
  if (f.severity) parts.push(hasSeverity(eb, f.severity));
  return eb.and(parts);
}
