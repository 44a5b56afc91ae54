import type { FieldWithOptions, OptionRow } from '../../domain/fields/catalogue.ts';
import type { KeyValueLabel } from '../../domain/fields/labels.ts';

/** IncidentKeyValueLabel. */
export function presentKeyValueLabel(label: KeyValueLabel) {
  return { key: label.key, keyUUID: label.keyId, value: label.value, valueUUID: label.valueId, description: label.description, colorHex: label.color };
}

/** CustomMetadataFieldSelectOption. */
export function presentSelectOption(option: OptionRow) {
  return {
    uuid: option.id,
    value: option.value,
    label: option.label,
    color: option.color,
    icon: option.icon,
    description: option.description,
    source: option.source,
    externalID: option.external_id,
  };
}

/** CustomMetadataField; `selectoptions` is all lowercase on the wire. */
export function presentField(field: FieldWithOptions) {
  return {
    uuid: field.id,
    name: field.name,
    slug: field.slug,
    color: field.color,
    icon: field.icon,
    description: field.description,
    type: field.type,
    required: field.required,
    immutable: field.immutable,
    domainName: field.domain_name,
    selectoptions: field.options.map(presentSelectOption),
    source: field.source,
    externalID: field.external_id,
    archived: field.archived,
    version: field.version,
  };
}
