import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { API, startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';

// FieldsService: the label catalogue and the custom fields of incidents (issue 14, slice 3).
const FIELD_KEYS = ['archived', 'color', 'description', 'domainName', 'externalID', 'icon', 'immutable', 'name', 'required', 'selectoptions', 'slug', 'source', 'type', 'uuid', 'version'];
const OPTION_KEYS = ['color', 'description', 'externalID', 'icon', 'label', 'source', 'uuid', 'value'];

for (const kind of testDatabases()) {
  describe(`${kind}: RPC FieldsService`, () => {
    let h: Harness;
    let member: TestUser;
    let outsider: TestUser;

    before(async () => {
      h = await startHarness(kind);
      member = await h.user('fieldsmember');
      outsider = await h.user('fieldsoutsider', { team: await h.team() });
    });
    after(async () => {
      await h.close();
    });

    const declare = async (title: string) => (await h.rpcOk('IncidentsService.CreateIncident', { title })).incident.incidentID as string;
    // What Go sends for a new field: every key, zero-valued.
    const goField = (extra: Record<string, unknown>) => ({
      field: { uuid: '', name: '', slug: '', color: '', icon: '', description: '', type: 'string', required: false, immutable: false, domainName: '', selectoptions: null, source: '', externalID: '', archived: false, version: 0, ...extra },
    });

    test('AddLabelKey / AddLabelValue build the catalogue AssignLabel uses, with colours', async () => {
      const key = (await h.rpcOk('FieldsService.AddLabelKey', { key: 'team', description: 'Owning team', colorHex: '#123456' }, member.token)).field;
      assert.deepEqual(Object.keys(key).sort(), FIELD_KEYS);
      assert.equal(key.domainName, 'labels');
      assert.equal(key.type, 'multi-select');
      assert.equal(key.version, 1);
      const updated = (await h.rpcOk('FieldsService.AddLabelValue', { key: 'team', value: 'payments', description: 'Payments', colorHex: '#ff0000' }, member.token)).field;
      assert.equal(updated.version, 2);
      assert.equal(updated.selectoptions.length, 1);
      const option = updated.selectoptions[0];
      assert.deepEqual(Object.keys(option).sort(), OPTION_KEYS);
      assert.equal(option.value, 'payments');
      assert.equal(option.color, '#ff0000');

      const id = await declare('Catalogue labels');
      const [label] = (await h.rpcOk('IncidentsService.AssignLabel', { incidentID: id, key: 'team', value: 'payments' })).labels;
      assert.deepEqual(label, { key: 'team', keyUUID: key.uuid, value: 'payments', valueUUID: option.uuid, description: 'Payments', colorHex: '#ff0000' });

      await h.rpcFails('FieldsService.AddLabelKey', { key: 'TEAM', description: '', colorHex: '' }, 400, /already exists/);
      await h.rpcFails('FieldsService.AddLabelValue', { key: 'team', value: 'Payments', description: '', colorHex: '' }, 400, /already exists/);
      await h.rpcFails('FieldsService.AddLabelValue', { key: 'nokey', value: 'x', description: '', colorHex: '' }, 404, /AddLabelKey/);
      await h.rpcFails('FieldsService.AddLabelKey', { key: 'c', description: '', colorHex: 'red' }, 400, /colorHex/);
      const labels = (await h.rpcOk('FieldsService.GetFields', { domainName: 'labels' })).fields;
      assert.ok(labels.some((f: any) => f.name === 'tags' && f.immutable), 'the built-in key of plain labels is listed');
      assert.ok(labels.every((f: any) => f.domainName === 'labels'));
    });

    test('AddField, options, GetField(s), UpdateField (full replacement, version check), archive, delete', async () => {
      const created = (await h.rpcOk('FieldsService.AddField', goField({ name: 'Region', type: 'single-select', selectoptions: [{ uuid: '', value: 'eu-west', label: 'EU West', color: '', icon: '', description: '', source: '', externalID: '' }] }))).field;
      assert.equal(created.slug, 'region');
      assert.equal(created.domainName, 'incident');
      assert.equal(created.source, 'incident');
      assert.equal(created.selectoptions[0].label, 'EU West');
      const optionId = (await h.rpcOk('FieldsService.AddFieldSelectOption', { fieldUUID: created.uuid, fieldSelectOption: { value: 'us-east' } })).fieldSelectOptionUUID;
      assert.ok(optionId);
      const got = (await h.rpcOk('FieldsService.GetField', { fieldUUID: created.uuid, includeArchived: false })).field;
      assert.deepEqual(got.selectoptions.map((o: any) => o.value), ['eu-west', 'us-east']);
      assert.equal(got.version, 2);

      const replaced = (await h.rpcOk('FieldsService.UpdateField', {
        fieldUUID: created.uuid, name: 'Cloud region', slug: '', color: '#00ff00', icon: '', description: 'Where', required: true, immutable: false, domainName: '',
        selectoptions: [{ uuid: optionId, value: 'us-east-1', label: '', color: '', icon: '', description: '', source: '', externalID: '' }], version: 2,
      })).field;
      assert.equal(replaced.name, 'Cloud region');
      assert.equal(replaced.slug, 'region', 'an empty slug keeps the slug');
      assert.equal(replaced.required, true);
      assert.deepEqual(replaced.selectoptions.map((o: any) => [o.uuid, o.value]), [[optionId, 'us-east-1']]);
      assert.equal(replaced.version, 3);
      await h.rpcFails('FieldsService.UpdateField', { fieldUUID: created.uuid, name: 'x', version: 2 }, 409, /version 2 is stale/);
      await h.rpcOk('FieldsService.UpdateFieldSelectOption', { fieldUUID: created.uuid, selectOptionUUID: optionId, value: 'us-east-2', label: 'US', color: '', icon: '', description: '' });
      assert.equal((await h.rpcOk('FieldsService.GetField', { fieldUUID: created.uuid })).field.selectoptions[0].value, 'us-east-2');

      await h.rpcOk('FieldsService.ArchiveField', { fieldUUID: created.uuid });
      await h.rpcFails('FieldsService.GetField', { fieldUUID: created.uuid, includeArchived: false }, 404);
      assert.equal((await h.rpcOk('FieldsService.GetField', { fieldUUID: created.uuid, includeArchived: true })).field.archived, true);
      await h.rpcOk('FieldsService.UnarchiveField', { fieldUUID: created.uuid });
      await h.rpcOk('FieldsService.DeleteFieldSelectOption', { fieldUUID: created.uuid, selectOptionUUID: optionId });
      await h.rpcOk('FieldsService.DeleteField', { fieldUUID: created.uuid });
      await h.rpcFails('FieldsService.GetField', { fieldUUID: created.uuid, includeArchived: true }, 404);
    });

    test('definitions are admin-only; bad definitions name the field', async () => {
      await h.rpcFails('FieldsService.AddField', goField({ name: 'Nope' }), 403, /system admin/, member.token);
      await h.rpcFails('FieldsService.AddField', goField({ name: '' }), 400, /field\.name must not be blank/);
      await h.rpcFails('FieldsService.AddField', goField({ name: 'T', type: 'text' }), 400, /field\.type: must be one of "string", "single-select"/);
      await h.rpcFails('FieldsService.AddField', goField({ name: 'T', domainName: 'labels', type: 'string' }), 400, /select field/);
      await h.rpcFails('FieldsService.AddField', goField({ name: 'T', selectoptions: [{ value: 'a' }] }), 400, /field\.selectoptions/);
      await h.rpcFails('FieldsService.AddField', goField({ name: 'T', required: 'false' }), 400, /field\.required/);
      const tags = (await h.rpcOk('FieldsService.GetFields', { domainName: 'labels' })).fields.find((f: any) => f.name === 'tags');
      await h.rpcFails('FieldsService.DeleteField', { fieldUUID: tags.uuid }, 409, /immutable/);
      await h.rpcFails('FieldsService.ArchiveField', { fieldUUID: 'missing' }, 404);
    });

    test('RecordFieldValue: typed JSON values, GetFieldValues, GetIncident, run JSON; timeline; in-use fields are not deleted', async () => {
      const region = (await h.rpcOk('FieldsService.AddField', goField({ name: 'Zone', type: 'single-select', selectoptions: [{ value: 'eu-west' }, { value: 'us-east' }] }))).field;
      const impact = (await h.rpcOk('FieldsService.AddField', goField({ name: 'Customers hit', type: 'number' }))).field;
      const id = await declare('Values');
      await h.rpcOk('FieldsService.RecordFieldValue', { fieldUUID: region.uuid, value: '"eu-west"', targetKind: 'incident', targetID: id });
      await h.rpcOk('FieldsService.RecordFieldValue', { fieldUUID: impact.uuid, value: '1200', targetKind: 'incident', targetID: id }, member.token);
      const values = (await h.rpcOk('FieldsService.GetFieldValues', { targetKind: 'incident', targetID: id, domainName: 'incident' })).fieldValues;
      const byName = new Map(values.map((v: any) => [v.field.name, v.value]));
      assert.equal(byName.get('Zone'), JSON.stringify(region.selectoptions[0].uuid), 'a select value holds the option id');
      assert.equal(byName.get('Customers hit'), '1200');
      assert.deepEqual(Object.keys(values[0].field).sort(), FIELD_KEYS);

      const incident = (await h.rpcOk('IncidentsService.GetIncident', { incidentID: id })).incident;
      assert.deepEqual(new Set(incident.fieldValues.map((v: any) => v.fieldUUID)), new Set([region.uuid, impact.uuid]));
      const run = (await h.get(`${API}/runs/${id}`)).body;
      assert.deepEqual(
        run.custom_fields.map((f: any) => [f.slug, f.value]).sort(),
        [['customers-hit', 1200], ['zone', 'eu-west']],
      );
      const activity = await h.rpcOk('ActivityService.QueryActivity', { query: { incidentID: id } });
      assert.ok(activity.activityItems.some((a: any) => /set Zone to eu-west$/.test(a.body)));
      // The field's slug in the query language: by option text or id, numbers as written.
      const found = async (queryString: string) =>
        (await h.rpcOk('IncidentsService.QueryIncidents', { query: { queryString, limit: 50 } })).incidents.map((i: any) => i.incidentID);
      assert.deepEqual(await found('field:zone:EU-WEST'), [id]);
      assert.deepEqual(await found(`field:zone:${region.selectoptions[0].uuid}`), [id]);
      assert.deepEqual(await found('field:customers-hit:1200'), [id]);
      assert.deepEqual(await found('field:zone:us-east'), []);
      await h.rpcFails('IncidentsService.QueryIncidents', { query: { queryString: 'field:nope:x' } }, 400, /unknown field "nope": expected one of labels, label, tags, .*zone/);

      await h.rpcFails('FieldsService.RecordFieldValue', { fieldUUID: impact.uuid, value: '"many"', targetKind: 'incident', targetID: id }, 400, /value: .*needs a JSON number/);
      await h.rpcFails('FieldsService.RecordFieldValue', { fieldUUID: region.uuid, value: '"mars"', targetKind: 'incident', targetID: id }, 400, /not an option of Zone/);
      await h.rpcFails('FieldsService.RecordFieldValue', { fieldUUID: region.uuid, value: 'eu-west', targetKind: 'incident', targetID: id }, 400, /JSON-encoded/);
      await h.rpcFails('FieldsService.RecordFieldValue', { fieldUUID: region.uuid, value: '"eu-west"', targetKind: 'team', targetID: id }, 400, /targetKind: must be one of "incident"/);
      await h.rpcFails('FieldsService.RecordFieldValue', { fieldUUID: region.uuid, value: '"eu-west"', targetKind: 'incident', targetID: id }, 403, undefined, outsider.token);
      await h.rpcFails('FieldsService.GetFieldValues', { targetKind: 'incident', targetID: id }, 403, undefined, outsider.token);
      await h.rpcFails('FieldsService.DeleteField', { fieldUUID: impact.uuid }, 409, /archive it instead/);

      await h.rpcOk('FieldsService.RecordFieldValue', { fieldUUID: impact.uuid, value: '', targetKind: 'incident', targetID: id });
      const cleared = (await h.rpcOk('FieldsService.GetFieldValues', { targetKind: 'incident', targetID: id, domainName: '' })).fieldValues;
      assert.equal(cleared.find((v: any) => v.field.uuid === impact.uuid).value, '');
      const previews = await h.rpcOk('IncidentsService.QueryIncidentPreviews', { query: { limit: 5 }, includeCustomFieldValues: true });
      const preview = previews.incidentPreviews.find((p: any) => p.incidentID === id);
      assert.deepEqual(preview.fieldValues, [{ fieldUUID: region.uuid, value: JSON.stringify(region.selectoptions[0].uuid) }]);
    });

    test('label keys in GetFieldValues hold the assigned values; renaming a key renames the labels in both APIs', async () => {
      const key = (await h.rpcOk('FieldsService.AddLabelKey', { key: 'svc', description: '', colorHex: '' })).field;
      const id = await declare('Rename');
      const [label] = (await h.rpcOk('IncidentsService.AssignLabel', { incidentID: id, key: 'svc', value: 'api' })).labels;
      const values = (await h.rpcOk('FieldsService.GetFieldValues', { targetKind: 'incident', targetID: id, domainName: 'labels' })).fieldValues;
      assert.equal(values.find((v: any) => v.field.uuid === key.uuid).value, JSON.stringify([label.valueUUID]));
      const current = (await h.rpcOk('FieldsService.GetField', { fieldUUID: key.uuid })).field;
      await h.rpcOk('FieldsService.UpdateField', { fieldUUID: key.uuid, name: 'service', slug: 'service', color: '', icon: '', description: '', required: false, immutable: false, domainName: 'labels', selectoptions: current.selectoptions, version: current.version });
      assert.deepEqual((await h.get(`${API}/runs/${id}`)).body.labels, ['service:api']);
      const found = await h.rpcOk('IncidentsService.QueryIncidents', { query: { queryString: 'field:service:API' } });
      assert.deepEqual(found.incidents.map((i: any) => i.incidentID), [id]);
      await h.rpcFails('FieldsService.DeleteFieldSelectOption', { fieldUUID: key.uuid, selectOptionUUID: label.valueUUID }, 409, /in use/);
      await h.rpcFails('FieldsService.RecordFieldValue', { fieldUUID: key.uuid, value: '"api"', targetKind: 'incident', targetID: id }, 400, /AssignLabel/);
    });
  });
}
