// Severities configured for the organisation (Grafana SeveritiesService). Incidents store the severity's
// label, and every write to an incident goes through mutateIncident, so a severity in use keeps its label
// (rename = create a new one, archive the old). The four documented severities (pending, minor, major,
// critical) always keep theirs: node clients up to 1.31 accept only those.
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import { newId } from '../lib/ids.ts';
import { transaction, type Executor, type Tx } from '../store/db.ts';
import type { SeveritiesTable } from '../store/schema.ts';
import type { Actor, DomainContext } from './context.ts';
import { conflict, forbidden, invalid, invalidInput, notFound } from './errors.ts';

export type SeverityRow = Selectable<SeveritiesTable>;

const DOCUMENTED_SEVERITIES = new Set(['pending', 'minor', 'major', 'critical']);
const MAX_LABEL = 64;
const MAX_DESCRIPTION = 1024;
const MAX_LEVEL = 1000;

export interface SeverityProps {
  displayLabel?: string | undefined;
  level?: number | undefined;
  description?: string | undefined;
  color?: string | undefined;
}

function requireAdmin(actor: Actor): void {
  if (!actor.isAdmin) throw forbidden('only a system admin may change the severities of the organisation');
}

function cleanLabel(label: string): string {
  const trimmed = label.trim();
  if (!trimmed) throw invalidInput('severity_label', 'must not be blank');
  if (trimmed.length > MAX_LABEL) throw invalidInput('severity_label', `must be at most ${MAX_LABEL} characters`);
  return trimmed;
}

function checkLevel(level: number | undefined): void {
  // Level 0 is pending's: "not decided yet". Lower levels are more severe (critical is 1).
  if (level !== undefined && (!Number.isInteger(level) || level < 1 || level > MAX_LEVEL)) {
    throw invalid('level', `level must be a whole number from 1 (most severe) to ${MAX_LEVEL}; 0 is reserved for pending`);
  }
}

function checkProps(props: SeverityProps): void {
  if (props.color && !/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/.test(props.color)) {
    throw invalid('color', 'color must be a hex colour such as #e02f44');
  }
  if ((props.description?.length ?? 0) > MAX_DESCRIPTION) throw invalid('description', `description must be at most ${MAX_DESCRIPTION} characters`);
}

/** Labels are unique regardless of case (and never equal another severity's id, which resolves too). */
async function requireFreeLabel(tx: Tx, label: string, exceptId = ''): Promise<void> {
  const taken = await tx
    .selectFrom('severities')
    .select('id')
    .where((eb) => eb.or([eb(sql<string>`lower(label)`, '=', label.toLowerCase()), eb('id', '=', label)]))
    .where('id', '!=', exceptId)
    .executeTakeFirst();
  if (taken) throw conflict(`the label "${label}" is taken by another severity`, 'severity_label');
}

function uniqueViolationToConflict(label: string) {
  return (err: unknown): never => {
    if ((err as { code?: string }).code === '23505') throw conflict(`the label "${label}" is taken by another severity`, 'severity_label');
    throw err;
  };
}

async function lockSeverity(tx: Tx, id: string): Promise<SeverityRow> {
  const row = await tx.selectFrom('severities').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) throw notFound(`severity ${id} not found`);
  return row;
}

/** Most severe first, pending (level 0) last; archived ones included (they carry the flag). */
export async function listSeverities(ex: Executor): Promise<SeverityRow[]> {
  const rows = await ex.selectFrom('severities').selectAll().orderBy('level').orderBy('label').execute();
  return [...rows.filter((r) => r.level > 0), ...rows.filter((r) => r.level === 0)];
}

/** A usable (known, not archived) severity by label or id, for callers that fall back instead of failing. */
export async function findUsableSeverity(ex: Executor, value: string): Promise<SeverityRow | undefined> {
  const row = await ex
    .selectFrom('severities')
    .selectAll()
    .where((eb) => eb.or([eb('label', '=', value), eb('id', '=', value)]))
    .executeTakeFirst();
  return row && !row.archived ? row : undefined;
}

export async function createSeverity(ctx: DomainContext, actor: Actor, props: SeverityProps & { displayLabel: string; level: number }): Promise<SeverityRow> {
  requireAdmin(actor);
  const label = cleanLabel(props.displayLabel);
  checkLevel(props.level);
  checkProps(props);
  return transaction(ctx.db, async (tx) => {
    await requireFreeLabel(tx, label);
    return tx
      .insertInto('severities')
      .values({ id: newId(), label, level: props.level, description: props.description ?? '', color: props.color ?? '' })
      .returningAll()
      .executeTakeFirstOrThrow();
  }).catch(uniqueViolationToConflict(label));
}

/** Changes what is given. Only a custom severity no incident has may be relabelled. */
export async function updateSeverity(ctx: DomainContext, actor: Actor, id: string, props: SeverityProps): Promise<SeverityRow> {
  requireAdmin(actor);
  const label = props.displayLabel === undefined ? undefined : cleanLabel(props.displayLabel);
  checkProps(props);
  return transaction(ctx.db, async (tx) => {
    const row = await lockSeverity(tx, id);
    if (label !== undefined && label !== row.label) {
      if (DOCUMENTED_SEVERITIES.has(row.label)) throw invalidInput('severity_label', `the label of the documented severity ${row.label} cannot change`);
      await requireFreeLabel(tx, label, row.id);
      const used = await tx
        .selectFrom('incidents')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('severity', '=', row.label)
        .executeTakeFirstOrThrow();
      if (Number(used.n) > 0) {
        throw conflict(
          `the label cannot change: the severity ${row.label} is set on ${used.n} incident(s); create a new severity and archive this one`,
          'severity_label',
        );
      }
    }
    if (row.id === 'pending') {
      if (props.level !== undefined && props.level !== 0) throw invalid('level', 'level of pending is always 0');
    } else {
      checkLevel(props.level);
    }
    return tx
      .updateTable('severities')
      .set({
        label: label ?? row.label,
        level: props.level ?? row.level,
        description: props.description ?? row.description,
        color: props.color ?? row.color,
      })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }).catch(uniqueViolationToConflict(label ?? ''));
}

/** Archived severities stay on their incidents but cannot be chosen again; pending is the fallback, so it stays. */
export async function setSeverityArchived(ctx: DomainContext, actor: Actor, id: string, archived: boolean): Promise<void> {
  requireAdmin(actor);
  await transaction(ctx.db, async (tx) => {
    const row = await lockSeverity(tx, id);
    if (archived && row.id === 'pending') throw invalidInput('severity_id', 'pending cannot be archived: it is the default severity');
    if (row.archived !== archived) await tx.updateTable('severities').set({ archived }).where('id', '=', row.id).execute();
  });
}
