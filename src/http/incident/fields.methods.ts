import type { Static } from 'typebox';
import { addField, addFieldOption, addLabelKey, addLabelValue, deleteField, deleteFieldOption, setFieldArchived } from '../../domain/fields/admin.ts';
import { getField, listFields } from '../../domain/fields/catalogue.ts';
import { updateField, updateFieldOption } from '../../domain/fields/update.ts';
import { fieldValuesOf, recordFieldValue } from '../../domain/fields/values.ts';
import { presentField } from './fields.present.ts';
import * as S from './fields.schema.ts';
import type { RpcRegistry } from './rpc.ts';

type Req<T extends keyof typeof S> = Static<(typeof S)[T]>;
type Option = Static<typeof S.SelectOption>;

const optionProps = (o: Option) => ({ ...o, uuid: o.uuid || undefined });

export const fieldsMethods: RpcRegistry = {
  'FieldsService.AddField': {
    request: S.AddFieldRequest,
    // uuid, archived and version are the server's: a new field gets its own id, live, at version 1.
    handler: async (ctx, actor, req: Req<'AddFieldRequest'>) => {
      const f = req.field;
      const field = await addField(ctx, actor, {
        name: f.name,
        slug: f.slug ?? '',
        type: f.type,
        domainName: f.domainName ?? '',
        color: f.color ?? '',
        icon: f.icon ?? '',
        description: f.description ?? '',
        required: f.required ?? false,
        immutable: f.immutable ?? false,
        source: f.source ?? '',
        externalID: f.externalID ?? '',
        options: (f.selectoptions ?? []).map(optionProps),
      });
      return { field: presentField(field) };
    },
  },
  'FieldsService.AddFieldSelectOption': {
    request: S.AddFieldSelectOptionRequest,
    handler: async (ctx, actor, req: Req<'AddFieldSelectOptionRequest'>) => ({
      fieldSelectOptionUUID: await addFieldOption(ctx, actor, req.fieldUUID, req.fieldSelectOption),
    }),
  },
  'FieldsService.AddLabelKey': {
    request: S.AddLabelKeyRequest,
    handler: async (ctx, actor, req: Req<'AddLabelKeyRequest'>) => ({
      field: presentField(await addLabelKey(ctx, actor, { key: req.key, description: req.description ?? '', colorHex: req.colorHex ?? '' })),
    }),
  },
  'FieldsService.AddLabelValue': {
    request: S.AddLabelValueRequest,
    handler: async (ctx, actor, req: Req<'AddLabelValueRequest'>) => ({
      field: presentField(await addLabelValue(ctx, actor, { key: req.key, value: req.value, description: req.description ?? '', colorHex: req.colorHex ?? '' })),
    }),
  },
  'FieldsService.ArchiveField': {
    request: S.FieldRef,
    handler: async (ctx, actor, req: Req<'FieldRef'>) => {
      await setFieldArchived(ctx, actor, req.fieldUUID, true);
      return {};
    },
  },
  'FieldsService.UnarchiveField': {
    request: S.FieldRef,
    handler: async (ctx, actor, req: Req<'FieldRef'>) => {
      await setFieldArchived(ctx, actor, req.fieldUUID, false);
      return {};
    },
  },
  'FieldsService.DeleteField': {
    request: S.FieldRef,
    handler: async (ctx, actor, req: Req<'FieldRef'>) => {
      await deleteField(ctx, actor, req.fieldUUID);
      return {};
    },
  },
  'FieldsService.DeleteFieldSelectOption': {
    request: S.DeleteFieldSelectOptionRequest,
    handler: async (ctx, actor, req: Req<'DeleteFieldSelectOptionRequest'>) => {
      await deleteFieldOption(ctx, actor, req.fieldUUID, req.selectOptionUUID);
      return {};
    },
  },
  'FieldsService.GetField': {
    request: S.GetFieldRequest,
    handler: async (ctx, _actor, req: Req<'GetFieldRequest'>) => ({ field: presentField(await getField(ctx.db, req.fieldUUID, req.includeArchived ?? false)) }),
  },
  'FieldsService.GetFields': {
    request: S.GetFieldsRequest,
    // Archived fields are listed too (flagged `archived`): their history stays readable.
    handler: async (ctx, _actor, req: Req<'GetFieldsRequest'>) => ({
      fields: (await listFields(ctx.db, { domain: req.domainName || undefined, includeArchived: true })).map(presentField),
    }),
  },
  'FieldsService.GetFieldValues': {
    request: S.GetFieldValuesRequest,
    handler: async (ctx, actor, req: Req<'GetFieldValuesRequest'>) => ({
      fieldValues: (await fieldValuesOf(ctx.db, actor, req.targetID, req.domainName || undefined)).map((fv) => ({ field: presentField(fv.field), value: fv.value })),
    }),
  },
  'FieldsService.RecordFieldValue': {
    request: S.RecordFieldValueRequest,
    handler: async (ctx, actor, req: Req<'RecordFieldValueRequest'>) => {
      await recordFieldValue(ctx, actor, req.targetID, req.fieldUUID, req.value);
      return {};
    },
  },
  'FieldsService.UpdateField': {
    request: S.UpdateFieldRequest,
    handler: async (ctx, actor, req: Req<'UpdateFieldRequest'>) => {
      const field = await updateField(ctx, actor, req.fieldUUID, {
        name: req.name,
        slug: req.slug ?? '',
        color: req.color ?? '',
        icon: req.icon ?? '',
        description: req.description ?? '',
        required: req.required ?? false,
        immutable: req.immutable ?? false,
        domainName: req.domainName ?? '',
        version: req.version ?? 0,
        options: (req.selectoptions ?? []).map(optionProps),
      });
      return { field: presentField(field) };
    },
  },
  'FieldsService.UpdateFieldSelectOption': {
    request: S.UpdateFieldSelectOptionRequest,
    handler: async (ctx, actor, req: Req<'UpdateFieldSelectOptionRequest'>) => {
      await updateFieldOption(ctx, actor, req.fieldUUID, req.selectOptionUUID, req);
      return {};
    },
  },
};
