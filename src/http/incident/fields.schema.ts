import { Type } from 'typebox';
import { OneOf } from '../schemas.ts';

const Uuid = Type.String({ minLength: 1, maxLength: 64 });
const Text = (max = 128) => Type.Optional(Type.String({ maxLength: max }));
const Bool = Type.Optional(Type.Boolean());
// Go sends '' for an unset enum.
const Domain = Type.Optional(OneOf(['labels', 'incident', ''] as const));
const TargetKind = OneOf(['incident'] as const);

export const SelectOption = Type.Object({
  uuid: Text(64),
  value: Type.String({ maxLength: 128 }),
  label: Text(),
  color: Text(16),
  icon: Text(64),
  description: Text(1024),
  source: Text(64),
  externalID: Text(256),
});
const SelectOptions = Type.Optional(Type.Union([Type.Array(SelectOption, { maxItems: 500 }), Type.Null()]));

export const AddFieldRequest = Type.Object({
  field: Type.Object({
    uuid: Text(64),
    name: Type.String({ maxLength: 128 }),
    slug: Text(64),
    color: Text(16),
    icon: Text(64),
    description: Text(1024),
    type: OneOf(['string', 'single-select', 'multi-select', 'bool', 'number', 'date'] as const),
    required: Bool,
    immutable: Bool,
    domainName: Domain,
    selectoptions: SelectOptions,
    source: Text(64),
    externalID: Text(256),
    archived: Bool,
    version: Type.Optional(Type.Integer({ minimum: 0 })),
  }),
});
export const AddFieldSelectOptionRequest = Type.Object({ fieldUUID: Uuid, fieldSelectOption: SelectOption });
export const AddLabelKeyRequest = Type.Object({ key: Type.String({ maxLength: 128 }), description: Text(1024), colorHex: Text(16) });
export const AddLabelValueRequest = Type.Object({ key: Type.String({ maxLength: 128 }), value: Type.String({ maxLength: 128 }), description: Text(1024), colorHex: Text(16) });
export const FieldRef = Type.Object({ fieldUUID: Uuid });
export const DeleteFieldSelectOptionRequest = Type.Object({ fieldUUID: Uuid, selectOptionUUID: Uuid });
export const GetFieldRequest = Type.Object({ fieldUUID: Uuid, includeArchived: Bool });
export const GetFieldsRequest = Type.Object({ domainName: Domain });
export const GetFieldValuesRequest = Type.Object({ targetKind: TargetKind, targetID: Uuid, domainName: Domain });
export const RecordFieldValueRequest = Type.Object({ fieldUUID: Uuid, value: Type.String({ maxLength: 65536 }), targetKind: TargetKind, targetID: Uuid });
export const UpdateFieldRequest = Type.Object({
  fieldUUID: Uuid,
  name: Type.String({ maxLength: 128 }),
  slug: Text(64),
  color: Text(16),
  icon: Text(64),
  description: Text(1024),
  required: Bool,
  immutable: Bool,
  domainName: Domain,
  selectoptions: SelectOptions,
  version: Type.Optional(Type.Integer({ minimum: 0 })),
});
export const UpdateFieldSelectOptionRequest = Type.Object({
  fieldUUID: Uuid,
  selectOptionUUID: Uuid,
  value: Type.String({ maxLength: 128 }),
  label: Text(),
  color: Text(16),
  icon: Text(64),
  description: Text(1024),
});
