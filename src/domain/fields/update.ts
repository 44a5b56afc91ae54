// UpdateField (a full replacement: Go sends every field) and UpdateFieldSelectOption. A label key's name and
// its values' texts are what incidents' labels carry, so renaming one renames the labels in the same
// transaction: both APIs keep showing one label set.
import { sql } from 'kysely';
import { transaction, type Tx } from '../../store/db.ts';
import type { Actor, DomainContext } from '../context.ts';
import { conflict, forbidden, invalid, notFound } from '../errors.ts';
import {
  checkColor,
  checkLength,
  cleanText,
  getField,
  insertOption,
  isSelect,
  lockField,
  MAX_TEXT,
  optionByValue,
  TAGS_KEY,
  touchField,
  type FieldRow,
  type FieldWithOptions,
  type OptionProps,
  type OptionRow,
} from './catalogue.ts';

export interface FieldUpdate {
  name: string;
  slug: string;
  color: string;
  icon: string;
  description: string;
  required: boolean;
  immutable: boolean;
  domainName: string;
  /** 0 = no check; otherwise the version the client last read (a stale one is a 409). */
  version: number;
  options: Array<OptionProps & { uuid?: string | undefined }>;
}

function requireAdmin(actor: Actor): void {
  if (!actor.isAdmin) throw forbidden('only a system admin may change the custom fields of the organisation');
}

async function renameLabels(tx: Tx, field: FieldRow, from: { key: string; value?: string }, to: { key: string; value?: string }): Promise<void> {
  if (field.domain_name !== 'labels') return;
  let q = tx.updateTable('incident_labels').where(sql<string>`lower(key)`, '=', from.key.toLowerCase());
  if (from.value !== undefined) q = q.where(sql<string>`lower(label)`, '=', from.value.toLowerCase());
  await q.set(to.value !== undefined ? { key: to.key, label: to.value } : { key: to.key }).execute();
}

function checkUpdate(field: FieldRow, props: FieldUpdate): { name: string; slug: string } {
  if (field.id === TAGS_KEY) throw conflict('the built-in label key tags is immutable', 'field_id');
  if (props.version && props.version !== field.version) {
    throw conflict(`version ${props.version} is stale: the field is at version ${field.version} (read it again)`, 'version');
  }
  if (props.domainName && props.domainName !== field.domain_name) throw invalid('domainName', `domainName cannot change (the field is in ${field.domain_name})`);
  if (!isSelect(field.type) && props.options.length > 0) throw invalid('selectoptions', `selectoptions: a ${field.type} field has no options`);
  const name = cleanText('name', props.name);
  const slug = props.slug.trim() || field.slug;
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(slug)) throw invalid('slug', 'slug must be lowercase letters, digits, - or _ (at most 64)');
  checkColor('color', props.color);
  checkLength('icon', props.icon, 64);
  checkLength('description', props.description);
  return { name, slug };
}

/** Options listed with a uuid are edited, without one added; options not listed are removed (when unused). */
async function replaceOptions(tx: Tx, field: FieldRow, wanted: FieldUpdate['options'], now: number): Promise<void> {
  const current = await tx.selectFrom('custom_field_options').selectAll().where('field_id', '=', field.id).execute();
  const keep = new Set(wanted.map((o) => o.uuid).filter(Boolean));
  for (const option of current.filter((o) => !keep.has(o.id))) {
    if (field.domain_name === 'labels') {
      const used = await tx.selectFrom('incident_labels').select('label').where(sql<string>`lower(key)`, '=', field.name.toLowerCase()).where(sql<string>`lower(label)`, '=', option.value.toLowerCase()).executeTakeFirst();
      if (used) throw conflict(`selectoptions: the option ${option.value} is in use and cannot be dropped`, 'selectoptions');
    }
    await tx.deleteFrom('custom_field_options').where('id', '=', option.id).execute();
  }
  for (const [i, props] of wanted.entries()) {
    const existing = current.find((o) => o.id === props.uuid);
    if (props.uuid && !existing) throw invalid(`selectoptions.${i}.uuid`, `selectoptions.${i}.uuid ${props.uuid} is not an option of ${field.name}`);
    if (existing) await editOption(tx, field, existing, props, `selectoptions.${i}.`);
    else await insertOption(tx, field, props, now, `selectoptions.${i}.`);
  }
}

/** Slugs are unique per domain; label keys are also addressed by name, so their names are unique too. */
async function requireFreeNames(tx: Tx, field: FieldRow, name: string, slug: string): Promise<void> {
  const sameSlug = await tx.selectFrom('custom_fields').select('id').where('domain_name', '=', field.domain_name).where('slug', '=', slug).where('id', '!=', field.id).executeTakeFirst();
  if (sameSlug) throw conflict(`slug "${slug}": a field with this slug already exists`, 'slug');
  if (field.domain_name !== 'labels') return;
  const sameName = await tx.selectFrom('custom_fields').select('id').where('domain_name', '=', 'labels').where(sql<string>`lower(name)`, '=', name.toLowerCase()).where('id', '!=', field.id).executeTakeFirst();
  if (sameName) throw conflict(`name "${name}": a label key with this name already exists`, 'name');
}

export function updateField(ctx: DomainContext, actor: Actor, fieldId: string, props: FieldUpdate): Promise<FieldWithOptions> {
  requireAdmin(actor);
  return transaction(ctx.db, async (tx) => {
    const field = await lockField(tx, fieldId);
    const { name, slug } = checkUpdate(field, props);
    await requireFreeNames(tx, field, name, slug);
    const now = ctx.clock.now();
    await tx
      .updateTable('custom_fields')
      .set({ name, slug, color: props.color, icon: props.icon, description: props.description, required: props.required, immutable: props.immutable })
      .where('id', '=', field.id)
      .execute();
    if (name !== field.name) await renameLabels(tx, field, { key: field.name }, { key: name });
    await replaceOptions(tx, { ...field, name }, props.options, now);
    await touchField(tx, field.id, now);
    return getField(tx, field.id);
  });
}

async function editOption(tx: Tx, field: FieldRow, option: OptionRow, props: OptionProps, prefix: string): Promise<void> {
  const value = cleanText(`${prefix}value`, props.value);
  const other = await optionByValue(tx, field.id, value);
  if (other && other.id !== option.id) throw invalid(`${prefix}value`, `${prefix}value "${value}" already exists on ${field.name}`);
  await tx
    .updateTable('custom_field_options')
    .set({
      value,
      label: checkLength(`${prefix}label`, props.label?.trim() || value, MAX_TEXT),
      color: checkColor(`${prefix}color`, props.color ?? ''),
      icon: checkLength(`${prefix}icon`, props.icon ?? '', 64),
      description: checkLength(`${prefix}description`, props.description ?? ''),
    })
    .where('id', '=', option.id)
    .execute();
  if (value !== option.value) await renameLabels(tx, field, { key: field.name, value: option.value }, { key: field.name, value });
}

export function updateFieldOption(ctx: DomainContext, actor: Actor, fieldId: string, optionId: string, props: OptionProps): Promise<void> {
  requireAdmin(actor);
  return transaction(ctx.db, async (tx) => {
    const field = await lockField(tx, fieldId);
    const option = await tx.selectFrom('custom_field_options').selectAll().where('id', '=', optionId).where('field_id', '=', field.id).executeTakeFirst();
    if (!option) throw notFound(`option ${optionId} of field ${field.name} not found`);
    if (field.id === TAGS_KEY && props.value.trim() !== option.value) throw conflict('the values of the built-in key tags are the labels themselves: rename by removing and adding the label', 'value');
    await editOption(tx, field, option, props, '');
    await touchField(tx, field.id, ctx.clock.now());
  });
}
