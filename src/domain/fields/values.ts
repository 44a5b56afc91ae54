// Values of custom fields on incidents (FieldsService RecordFieldValue / GetFieldValues). A value is kept
// JSON-encoded, as the RPC sends it; select values hold option ids (an option's text is accepted too and
// stored as its id). Recording one is a write to the incident: locked, checked, with its timeline event.
import type { Executor, Tx } from '../../store/db.ts';
import { requireVisibleIncident } from '../access.ts';
import { usernameOf } from '../channels/channels.ts';
import type { Actor, DomainContext } from '../context.ts';
import { invalidInput } from '../errors.ts';
import { mutateIncident } from '../incidents/mutate.ts';
import { appendEvent } from '../timeline/append.ts';
import { getField, listFields, type FieldDomain, type FieldWithOptions } from './catalogue.ts';
import { incidentLabels } from './labels.ts';

export interface FieldValue {
  field: FieldWithOptions;
  /** JSON-encoded; '' when unset. */
  value: string;
}

function parse(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw invalidInput('field_value', `must be JSON-encoded (e.g. "\\"eu-west\\"", "3", "true"), or "" to unset`);
  }
}

function optionId(field: FieldWithOptions, given: unknown): string {
  const text = typeof given === 'string' ? given : '';
  const option = field.options.find((o) => o.id === text) ?? field.options.find((o) => o.value.toLowerCase() === text.toLowerCase());
  if (!option) throw invalidInput('field_value', `${JSON.stringify(given)} is not an option of ${field.name} (${field.options.map((o) => JSON.stringify(o.value)).join(', ')})`);
  return option.id;
}

/** The canonical JSON of a value for the field's type; throws a 400 naming `value` when it does not fit. */
export function canonicalValue(field: FieldWithOptions, raw: string): string {
  const value = parse(raw);
  const fail = (what: string): never => {
    throw invalidInput('field_value', `the ${field.type} field ${field.name} needs ${what}`);
  };
  switch (field.type) {
    case 'string':
      return typeof value === 'string' ? JSON.stringify(value) : fail('a JSON string');
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? JSON.stringify(value) : fail('a JSON number');
    case 'bool':
      return typeof value === 'boolean' ? JSON.stringify(value) : fail('true or false');
    case 'date':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? JSON.stringify(value) : fail('an RFC 3339 time as a JSON string');
    case 'single-select':
      return JSON.stringify(optionId(field, value));
    case 'multi-select':
      return Array.isArray(value) ? JSON.stringify([...new Set(value.map((v) => optionId(field, v)))]) : fail('a JSON array of options');
  }
}

/** Sets (or, with '', clears) one field's value on an incident. Same value: nothing is written. */
export function recordFieldValue(ctx: DomainContext, actor: Actor, incidentId: string, fieldId: string, raw: string): Promise<void> {
  return mutateIncident(ctx, actor, incidentId, async (tx, incident, now) => {
    const field = await getField(tx, fieldId).catch(() => {
      throw invalidInput('field_id', `no field ${fieldId}`);
    });
    if (field.domain_name !== 'incident') throw invalidInput('field_id', `${field.name} is a label key: its values are set as labels, not recorded`, 'assign_label');
    if (field.archived) throw invalidInput('field_id', `the field ${field.name} is archived`);
    const value = raw === '' ? '' : canonicalValue(field, raw);
    const before = await tx.selectFrom('incident_field_values').select('value').where('incident_id', '=', incident.id).where('field_id', '=', field.id).executeTakeFirst();
    if ((before?.value ?? '') === value) return;
    if (value === '') await tx.deleteFrom('incident_field_values').where('incident_id', '=', incident.id).where('field_id', '=', field.id).execute();
    else {
      await tx
        .insertInto('incident_field_values')
        .values({ incident_id: incident.id, field_id: field.id, value, update_at: now })
        .onConflict((oc) => oc.columns(['incident_id', 'field_id']).doUpdateSet({ value, update_at: now }))
        .execute();
    }
    await appendEvent(tx, incident.id, now, {
      type: 'field_value_changed',
      summary: `${await who(tx, actor)} ${value === '' ? `cleared ${field.name}` : `set ${field.name} to ${displayValue(field, value)}`}`,
      details: { field_id: field.id, slug: field.slug, value },
      creatorUserId: actor.userId,
    });
  });
}

async function who(tx: Tx, actor: Actor): Promise<string> {
  return actor.userId ? `@${await usernameOf(tx, actor.userId)}` : 'system';
}

/** A stored value as people read it: option texts instead of ids. */
export function readableValue(field: FieldWithOptions, value: string): unknown {
  const decoded = JSON.parse(value) as unknown;
  const text = (id: unknown) => field.options.find((o) => o.id === id)?.value ?? id;
  if (field.type === 'single-select') return text(decoded);
  if (field.type === 'multi-select' && Array.isArray(decoded)) return decoded.map(text);
  return decoded;
}

function displayValue(field: FieldWithOptions, value: string): string {
  const readable = readableValue(field, value);
  return Array.isArray(readable) ? readable.join(', ') : String(readable);
}

/** Every live field of the domain(s) with the incident's value ('' when unset); label keys give their values as a JSON array. */
export async function fieldValuesOf(ex: Executor, actor: Actor, incidentId: string, domain: FieldDomain | undefined): Promise<FieldValue[]> {
  const incident = await requireVisibleIncident(ex, actor, incidentId);
  const [fields, stored, labels] = await Promise.all([
    listFields(ex, { domain, includeArchived: true }),
    ex.selectFrom('incident_field_values').selectAll().where('incident_id', '=', incident.id).execute(),
    incidentLabels(ex, incident.id),
  ]);
  const valueOf = (field: FieldWithOptions): string => {
    if (field.domain_name === 'incident') return stored.find((v) => v.field_id === field.id)?.value ?? '';
    const values = labels.filter((l) => l.keyId === field.id).map((l) => l.valueId);
    return values.length > 0 ? JSON.stringify(values) : '';
  };
  return fields.map((field) => ({ field, value: valueOf(field) })).filter((fv) => !fv.field.archived || fv.value !== '');
}

export interface IncidentFieldValue {
  incident_id: string;
  field_id: string;
  slug: string;
  name: string;
  type: FieldWithOptions['type'];
  value: string;
  readable: unknown;
}

/** The custom field values of many incidents, for presenters of either API. */
export async function fieldValuesOfIncidents(ex: Executor, incidentIds: string[]): Promise<IncidentFieldValue[]> {
  if (incidentIds.length === 0) return [];
  const rows = await ex.selectFrom('incident_field_values').selectAll().where('incident_id', 'in', incidentIds).orderBy('field_id').execute();
  if (rows.length === 0) return [];
  const fields = await listFields(ex, { domain: 'incident', includeArchived: true });
  return rows.flatMap((row) => {
    const field = fields.find((f) => f.id === row.field_id);
    return field ? [{ incident_id: row.incident_id, field_id: field.id, slug: field.slug, name: field.name, type: field.type, value: row.value, readable: readableValue(field, row.value) }] : [];
  });
}
