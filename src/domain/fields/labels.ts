// An incident's key:value labels (IncidentsService AssignLabel/UnassignLabel/GetLabels, by name or by id).
// The key is a `labels`-domain field of the catalogue and the value one of its options; plain labels
// (AddLabel, Playbooks) are values of the built-in `tags` key, so both APIs see one label set.
import { sql } from 'kysely';
import { newId } from '../../lib/ids.ts';
import type { Executor, Tx } from '../../store/db.ts';
import { usernameOf } from '../channels/channels.ts';
import type { Actor } from '../context.ts';
import { invalid, invalidInput, notFound } from '../errors.ts';
import { appendEvent } from '../timeline/append.ts';
import type { IncidentRow } from '../incidents/types.ts';
import { checkColor, cleanText, insertOption, labelKeyByName, optionByValue, TAGS_KEY, type FieldRow, type OptionRow } from './catalogue.ts';

export interface KeyValueLabel {
  key: string;
  keyId: string;
  value: string;
  valueId: string;
  description: string;
  color: string;
}

/** A label named by key and value, or by the ids of both. */
export type LabelRef = { key: string; value: string } | { keyId: string; valueId: string };

/** The user-facing form of a label: `value` for plain labels, `key:value` otherwise. */
export function labelText(key: string, value: string): string {
  return key === TAGS_KEY ? value : `${key}:${value}`;
}

/** Creates a label key (a multi-select field of the `labels` domain). */
export async function insertLabelKey(tx: Tx, props: { key: string; description?: string; color?: string }, now: number): Promise<FieldRow> {
  const name = cleanText('key', props.key);
  if (name.includes(':')) throw invalid('key', 'key must not contain ":" (labels are written key:value)');
  if (await labelKeyByName(tx, name)) throw invalid('key', `key "${name}": a label key with this name already exists`);
  return tx
    .insertInto('custom_fields')
    .values({
      id: newId(),
      name,
      slug: name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-'),
      type: 'multi-select',
      domain_name: 'labels',
      description: props.description ?? '',
      color: checkColor('colorHex', props.color ?? ''),
      create_at: now,
      update_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Key and value by name, created in the catalogue when new (as a free label is); archived keys refuse new use. */
async function labelByName(tx: Tx, key: string, value: string, now: number): Promise<{ field: FieldRow; option: OptionRow }> {
  const name = cleanText('key', key);
  const text = cleanText('value', value);
  const field = (await labelKeyByName(tx, name)) ?? (await insertLabelKey(tx, { key: name }, now));
  if (field.archived) throw invalid('key', `the label key ${field.name} is archived`);
  const option = (await optionByValue(tx, field.id, text)) ?? (await insertOption(tx, field, { value: text }, now, ''));
  return { field, option };
}

async function labelById(ex: Executor, keyId: string, valueId: string): Promise<{ field: FieldRow; option: OptionRow }> {
  const field = await ex.selectFrom('custom_fields').selectAll().where('id', '=', keyId).where('domain_name', '=', 'labels').executeTakeFirst();
  if (!field) throw invalidInput('label_key_id', `${JSON.stringify(keyId)} is not a label key`);
  const option = await ex.selectFrom('custom_field_options').selectAll().where('id', '=', valueId).where('field_id', '=', field.id).executeTakeFirst();
  if (!option) throw invalidInput('label_value_id', `${JSON.stringify(valueId)} is not a value of the label key ${field.name}`);
  return { field, option };
}

async function who(tx: Tx, actor: Actor): Promise<string> {
  return actor.userId ? `@${await usernameOf(tx, actor.userId)}` : 'system';
}

/** Puts the label on the incident (no-op when it is there). Runs inside mutateIncident. */
export async function assignLabelInTx(tx: Tx, actor: Actor, incident: IncidentRow, ref: LabelRef, now: number): Promise<void> {
  const { field, option } = 'key' in ref ? await labelByName(tx, ref.key, ref.value, now) : await labelById(tx, ref.keyId, ref.valueId);
  if (field.archived) throw invalidInput('label_key_id', `the label key ${field.name} is archived`);
  const inserted = await tx
    .insertInto('incident_labels')
    .values({ incident_id: incident.id, key: field.name, label: option.value, description: option.description, color_hex: option.color, create_at: now })
    .onConflict((oc) => oc.doNothing())
    .returning('label')
    .executeTakeFirst();
  if (!inserted) return;
  await appendEvent(tx, incident.id, now, {
    type: 'label_added',
    summary: `${await who(tx, actor)} added the label ${labelText(field.name, option.value)}`,
    details: { key: field.name, label: option.value },
    creatorUserId: actor.userId,
  });
}

/** Takes the label off the incident; 404 when the incident does not have it. */
export async function unassignLabelInTx(tx: Tx, actor: Actor, incident: IncidentRow, ref: LabelRef, now: number): Promise<void> {
  const names = 'key' in ref ? { key: ref.key.trim(), value: ref.value.trim() } : await namesOf(tx, ref);
  const removed = await tx
    .deleteFrom('incident_labels')
    .where('incident_id', '=', incident.id)
    .where(sql<string>`lower(key)`, '=', names.key.toLowerCase())
    .where(sql<string>`lower(label)`, '=', names.value.toLowerCase())
    .returning(['key', 'label'])
    .executeTakeFirst();
  if (!removed) throw notFound(`the incident has no label ${labelText(names.key, names.value)}`);
  await appendEvent(tx, incident.id, now, {
    type: 'label_removed',
    summary: `${await who(tx, actor)} removed the label ${labelText(removed.key, removed.label)}`,
    details: { key: removed.key, label: removed.label },
    creatorUserId: actor.userId,
  });
}

async function namesOf(ex: Executor, ref: { keyId: string; valueId: string }): Promise<{ key: string; value: string }> {
  const { field, option } = await labelById(ex, ref.keyId, ref.valueId);
  return { key: field.name, value: option.value };
}

/** The incident's labels with their catalogue ids, in the order they were put on. */
export async function incidentLabels(ex: Executor, incidentId: string): Promise<KeyValueLabel[]> {
  const rows = await ex
    .selectFrom('incident_labels as l')
    .leftJoin('custom_fields as f', (j) => j.on('f.domain_name', '=', 'labels').on(sql<boolean>`lower(f.name) = lower(l.key)`))
    .leftJoin('custom_field_options as o', (j) => j.onRef('o.field_id', '=', 'f.id').on(sql<boolean>`lower(o.value) = lower(l.label)`))
    .select(['l.key', 'l.label', 'l.description', 'l.color_hex', 'f.id as key_id', 'o.id as value_id', 'o.color', 'o.description as option_description'])
    .where('l.incident_id', '=', incidentId)
    .orderBy('l.create_at')
    .orderBy('l.key')
    .orderBy('l.label')
    .execute();
  return rows.map((r) => ({
    key: r.key,
    keyId: r.key_id ?? '',
    value: r.label,
    valueId: r.value_id ?? '',
    description: r.description || r.option_description || '',
    color: r.color_hex || r.color || '',
  }));
}
