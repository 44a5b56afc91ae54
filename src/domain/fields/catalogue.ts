// The organisation's custom field catalogue (Grafana FieldsService): field definitions and their select
// options. Label keys are fields of the `labels` domain and their values are the options, so the key:value
// labels of incidents and this catalogue are one store. Reads and the helpers the writes share.
import { sql, type RawBuilder, type Selectable } from 'kysely';
import { newId } from '../../lib/ids.ts';
import type { Executor, Tx } from '../../store/db.ts';
import type { CustomFieldOptionsTable, CustomFieldsTable } from '../../store/schema.ts';
import { invalid, notFound } from '../errors.ts';

export type FieldRow = Selectable<CustomFieldsTable>;
export type OptionRow = Selectable<CustomFieldOptionsTable>;
export type FieldType = FieldRow['type'];
export type FieldDomain = FieldRow['domain_name'];
export interface FieldWithOptions extends FieldRow {
  options: OptionRow[];
}

export const FIELD_TYPES: readonly FieldType[] = ['string', 'single-select', 'multi-select', 'bool', 'number', 'date'];
export const FIELD_DOMAINS: readonly FieldDomain[] = ['labels', 'incident'];
/** The built-in label key of plain labels (AddLabel, Playbooks run labels). */
export const TAGS_KEY = 'tags';
export const MAX_TEXT = 128;
export const MAX_DESCRIPTION = 1024;

export function isSelect(type: FieldType): boolean {
  return type === 'single-select' || type === 'multi-select';
}

export function checkColor(field: string, value: string): string {
  if (value && !/^#[0-9a-fA-F]{3,8}$/.test(value)) throw invalid(field, `${field} must be a hex colour such as #1f77b4`);
  return value;
}

export function cleanText(field: string, value: string, max = MAX_TEXT): string {
  const trimmed = value.trim();
  if (!trimmed) throw invalid(field, `${field} must not be blank`);
  if (trimmed.length > max) throw invalid(field, `${field} must be at most ${max} characters`);
  return trimmed;
}

export function checkLength(field: string, value: string, max = MAX_DESCRIPTION): string {
  if (value.length > max) throw invalid(field, `${field} must be at most ${max} characters`);
  return value;
}

async function withOptions(ex: Executor, fields: FieldRow[]): Promise<FieldWithOptions[]> {
  if (fields.length === 0) return [];
  const options = await ex
    .selectFrom('custom_field_options')
    .selectAll()
    .where(
      'field_id',
      'in',
      fields.map((f) => f.id),
    )
    .orderBy('position')
    .orderBy('id')
    .execute();
  return fields.map((f) => ({ ...f, options: options.filter((o) => o.field_id === f.id) }));
}

export async function listFields(ex: Executor, filter: { domain?: FieldDomain | undefined; includeArchived: boolean }): Promise<FieldWithOptions[]> {
  let query = ex.selectFrom('custom_fields').selectAll().orderBy('domain_name').orderBy('create_at').orderBy('id');
  if (filter.domain) query = query.where('domain_name', '=', filter.domain);
  if (!filter.includeArchived) query = query.where('archived', '=', false);
  return withOptions(ex, await query.execute());
}

/** One field by id; 404 when missing (or archived, unless archived fields are asked for). */
export async function getField(ex: Executor, id: string, includeArchived = true): Promise<FieldWithOptions> {
  const field = await ex.selectFrom('custom_fields').selectAll().where('id', '=', id).executeTakeFirst();
  if (!field || (field.archived && !includeArchived)) throw notFound(`field ${id} not found`);
  return (await withOptions(ex, [field]))[0]!;
}

export async function lockField(tx: Tx, id: string): Promise<FieldRow> {
  const field = await tx.selectFrom('custom_fields').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!field) throw notFound(`field ${id} not found`);
  return field;
}

export async function labelKeyByName(ex: Executor, name: string): Promise<FieldRow | undefined> {
  return ex
    .selectFrom('custom_fields')
    .selectAll()
    .where('domain_name', '=', 'labels')
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
}

export async function optionByValue(ex: Executor, fieldId: string, value: string): Promise<OptionRow | undefined> {
  return ex
    .selectFrom('custom_field_options')
    .selectAll()
    .where('field_id', '=', fieldId)
    .where(sql<string>`lower(value)`, '=', value.toLowerCase())
    .executeTakeFirst();
}

export function slugOf(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 64) || 'field'
  );
}

/** The option id of a plain (`tags`) label is derived from its text, so every path that writes one agrees. */
export function tagsOptionId(label: string): RawBuilder<string> {
  return sql<string>`'tags-' || md5(lower(${label}::text))`;
}

/** Registers a plain label as a value of the `tags` key, when it is not one yet. */
export async function ensureTagsOption(tx: Tx, label: string, color: string, now: number): Promise<void> {
  if (await optionByValue(tx, TAGS_KEY, label)) return;
  const tags = await tx.selectFrom('custom_fields').selectAll().where('id', '=', TAGS_KEY).executeTakeFirstOrThrow();
  await insertOption(tx, tags, { value: label, color }, now, 'label.');
}

export interface OptionProps {
  value: string;
  label?: string | undefined;
  color?: string | undefined;
  icon?: string | undefined;
  description?: string | undefined;
  source?: string | undefined;
  externalID?: string | undefined;
}

/** Appends an option to a field (a value to a label key); 409 when the value exists (any case). */
export async function insertOption(tx: Tx, field: FieldRow, props: OptionProps, now: number, prefix: string): Promise<OptionRow> {
  const value = cleanText(`${prefix}value`, props.value);
  if (await optionByValue(tx, field.id, value)) throw invalid(`${prefix}value`, `${prefix}value "${value}" already exists on ${field.name}`);
  const last = await tx.selectFrom('custom_field_options').select(sql<number>`coalesce(max(position), 0)`.as('p')).where('field_id', '=', field.id).executeTakeFirst();
  return tx
    .insertInto('custom_field_options')
    .values({
      id: field.id === TAGS_KEY ? tagsOptionId(value) : newId(),
      field_id: field.id,
      value,
      label: checkLength(`${prefix}label`, props.label?.trim() || value, MAX_TEXT),
      color: checkColor(`${prefix}color`, props.color ?? ''),
      icon: checkLength(`${prefix}icon`, props.icon ?? '', 64),
      description: checkLength(`${prefix}description`, props.description ?? ''),
      source: checkLength(`${prefix}source`, props.source || 'incident', 64),
      external_id: checkLength(`${prefix}externalID`, props.externalID ?? '', 256),
      position: Number(last?.p ?? 0) + 1,
      create_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Bumps a field's version and modified time: every change to it or its options does. */
export async function touchField(tx: Tx, fieldId: string, now: number): Promise<void> {
  await tx
    .updateTable('custom_fields')
    .set((eb) => ({ version: eb('version', '+', 1), update_at: now }))
    .where('id', '=', fieldId)
    .execute();
}
