// Writes to the custom field catalogue (FieldsService). Definitions are the organisation's: only system
// admins change them, except that any signed-in user may add a label key or value (AssignLabel creates
// them too, as free labels always could be). Each write is one transaction; the catalogue is not an
// incident, so it has no timeline of its own. A field or option in use cannot be deleted: archive it.
import { sql } from 'kysely';
import { newId } from '../../lib/ids.ts';
import { transaction, type Tx } from '../../store/db.ts';
import type { Actor, DomainContext } from '../context.ts';
import { conflict, forbidden, invalid, invalidInput, notFound } from '../errors.ts';
import {
  checkColor,
  checkLength,
  cleanText,
  FIELD_DOMAINS,
  FIELD_TYPES,
  getField,
  insertOption,
  isSelect,
  labelKeyByName,
  lockField,
  slugOf,
  TAGS_KEY,
  touchField,
  type FieldDomain,
  type FieldRow,
  type FieldType,
  type FieldWithOptions,
  type OptionProps,
} from './catalogue.ts';
import { insertLabelKey } from './labels.ts';

function requireAdmin(actor: Actor): void {
  if (!actor.isAdmin) throw forbidden('only a system admin may change the custom fields of the organisation');
}

function requireSignedIn(actor: Actor): void {
  if (!actor.userId && !actor.isAdmin) throw forbidden('sign in to add label keys and values');
}

export interface FieldProps {
  name: string;
  slug: string;
  type: string;
  domainName: string;
  color: string;
  icon: string;
  description: string;
  required: boolean;
  immutable: boolean;
  source: string;
  externalID: string;
  options: Array<OptionProps & { uuid?: string | undefined }>;
}

function checkDefinition(props: FieldProps): { name: string; slug: string; type: FieldType; domain: FieldDomain } {
  const name = cleanText('field.name', props.name);
  const slug = props.slug.trim() ? props.slug.trim() : slugOf(name);
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(slug)) throw invalid('field.slug', 'field.slug must be lowercase letters, digits, - or _ (at most 64)');
  const type = props.type as FieldType;
  if (!FIELD_TYPES.includes(type)) throw invalid('field.type', `field.type must be one of ${FIELD_TYPES.map((t) => JSON.stringify(t)).join(', ')}`);
  const domain = (props.domainName || 'incident') as FieldDomain;
  if (!FIELD_DOMAINS.includes(domain)) throw invalid('field.domainName', 'field.domainName must be one of "labels", "incident"');
  if (domain === 'labels' && !isSelect(type)) throw invalid('field.type', 'a label key (domainName "labels") must be a select field');
  if (!isSelect(type) && props.options.length > 0) throw invalid('field.selectoptions', `field.selectoptions: a ${type} field has no options`);
  checkColor('field.color', props.color);
  checkLength('field.icon', props.icon, 64);
  checkLength('field.description', props.description);
  return { name, slug, type, domain };
}

async function requireFreeSlug(tx: Tx, domain: FieldDomain, slug: string, name: string, exceptId = ''): Promise<void> {
  const taken = await tx.selectFrom('custom_fields').select('id').where('domain_name', '=', domain).where('slug', '=', slug).where('id', '!=', exceptId).executeTakeFirst();
  if (taken) throw conflict(`field.slug "${slug}": a field with this slug already exists`, 'field.slug');
  if (domain === 'labels') {
    const key = await labelKeyByName(tx, name);
    if (key && key.id !== exceptId) throw conflict(`field.name "${name}": a label key with this name already exists`, 'field.name');
  }
}

export function addField(ctx: DomainContext, actor: Actor, props: FieldProps): Promise<FieldWithOptions> {
  requireAdmin(actor);
  const def = checkDefinition(props);
  return transaction(ctx.db, async (tx) => {
    await requireFreeSlug(tx, def.domain, def.slug, def.name);
    const now = ctx.clock.now();
    const field = await tx
      .insertInto('custom_fields')
      .values({
        id: newId(),
        name: def.name,
        slug: def.slug,
        type: def.type,
        domain_name: def.domain,
        color: props.color,
        icon: props.icon,
        description: props.description,
        required: props.required,
        immutable: props.immutable,
        source: checkLength('field.source', props.source || 'incident', 64),
        external_id: checkLength('field.externalID', props.externalID, 256),
        create_at: now,
        update_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    for (const [i, option] of props.options.entries()) await insertOption(tx, field, option, now, `field.selectoptions.${i}.`);
    return getField(tx, field.id);
  });
}

export function addFieldOption(ctx: DomainContext, actor: Actor, fieldId: string, props: OptionProps): Promise<string> {
  requireAdmin(actor);
  return transaction(ctx.db, async (tx) => {
    const field = await lockField(tx, fieldId);
    if (!isSelect(field.type)) throw invalidInput('field_id', `the field ${field.name} is a ${field.type} field: only select fields have options`);
    const now = ctx.clock.now();
    const option = await insertOption(tx, field, props, now, 'fieldSelectOption.');
    await touchField(tx, field.id, now);
    return option.id;
  });
}

export function addLabelKey(ctx: DomainContext, actor: Actor, props: { key: string; description: string; colorHex: string }): Promise<FieldWithOptions> {
  requireSignedIn(actor);
  checkLength('description', props.description);
  return transaction(ctx.db, async (tx) => {
    const field = await insertLabelKey(tx, { key: props.key, description: props.description, color: props.colorHex }, ctx.clock.now());
    return getField(tx, field.id);
  });
}

export function addLabelValue(ctx: DomainContext, actor: Actor, props: { key: string; value: string; description: string; colorHex: string }): Promise<FieldWithOptions> {
  requireSignedIn(actor);
  return transaction(ctx.db, async (tx) => {
    const found = await labelKeyByName(tx, cleanText('key', props.key));
    if (!found) throw notFound(`label key ${props.key} not found (AddLabelKey creates it)`);
    const field = await lockField(tx, found.id);
    if (field.archived) throw invalid('key', `the label key ${field.name} is archived`);
    const now = ctx.clock.now();
    await insertOption(tx, field, { value: props.value, description: props.description, color: props.colorHex }, now, '');
    await touchField(tx, field.id, now);
    return getField(tx, field.id);
  });
}

function requireChangeable(field: FieldRow): void {
  if (field.id === TAGS_KEY || field.immutable) throw conflict(`the field ${field.name} is immutable`, 'field_id');
}

export function setFieldArchived(ctx: DomainContext, actor: Actor, fieldId: string, archived: boolean): Promise<void> {
  requireAdmin(actor);
  return transaction(ctx.db, async (tx) => {
    const field = await lockField(tx, fieldId);
    requireChangeable(field);
    if (field.archived === archived) return;
    await tx.updateTable('custom_fields').set({ archived }).where('id', '=', field.id).execute();
    await touchField(tx, field.id, ctx.clock.now());
  });
}

/** Incidents using the field (its values, or its labels for a label key). */
async function usesOf(tx: Tx, field: FieldRow, optionValue?: string): Promise<number> {
  if (field.domain_name === 'labels') {
    let q = tx.selectFrom('incident_labels').select(sql<number>`count(*)::int`.as('n')).where(sql<string>`lower(key)`, '=', field.name.toLowerCase());
    if (optionValue !== undefined) q = q.where(sql<string>`lower(label)`, '=', optionValue.toLowerCase());
    return Number((await q.executeTakeFirstOrThrow()).n);
  }
  let q = tx.selectFrom('incident_field_values').select(sql<number>`count(*)::int`.as('n')).where('field_id', '=', field.id);
  if (optionValue !== undefined) q = q.where('value', 'like', `%${JSON.stringify(optionValue).slice(1, -1)}%`);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export function deleteField(ctx: DomainContext, actor: Actor, fieldId: string): Promise<void> {
  requireAdmin(actor);
  return transaction(ctx.db, async (tx) => {
    const field = await lockField(tx, fieldId);
    requireChangeable(field);
    const uses = await usesOf(tx, field);
    if (uses > 0) throw conflict(`the field ${field.name} is used by ${uses} incident(s): archive it instead (an archived field keeps its history)`, 'field_id');
    await tx.deleteFrom('custom_fields').where('id', '=', field.id).execute();
  });
}

export function deleteFieldOption(ctx: DomainContext, actor: Actor, fieldId: string, optionId: string): Promise<void> {
  requireAdmin(actor);
  return transaction(ctx.db, async (tx) => {
    const field = await lockField(tx, fieldId);
    const option = await tx.selectFrom('custom_field_options').selectAll().where('id', '=', optionId).where('field_id', '=', field.id).executeTakeFirst();
    if (!option) throw notFound(`option ${optionId} of field ${field.name} not found`);
    const uses = await usesOf(tx, field, field.domain_name === 'labels' ? option.value : option.id);
    if (uses > 0) throw conflict(`the option ${option.value} is in use by ${uses} incident(s)`, 'option_id');
    await tx.deleteFrom('custom_field_options').where('id', '=', option.id).execute();
    await touchField(tx, field.id, ctx.clock.now());
  });
}
