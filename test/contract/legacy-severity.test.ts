import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { startHarness, testDatabases, type Harness } from '../helpers/harness.ts';
import { node1302, node1331 } from './node-client-schemas.ts';

// Issue 14: a custom severity makes incident-node 1.30.2 refuse every response holding the incident (its
// severity enum is closed). MUSTER_RPC_LEGACY_SEVERITY=1 sends the nearest built-in severity in `severity`
// and keeps the custom one in severityID / severityLabel (docs/INCIDENT-GO.md). The suites run one after the
// other: the setting is the server's (one server per process).
const ajv = new Ajv({ strict: false });
const accepts = (schema: object, body: unknown) => ajv.validate(schema, body);

async function withCustomSeverities(h: Harness) {
  const create = async (displayLabel: string, level: number) =>
    (await h.rpcOk('SeveritiesService.CreateSeverity', { displayLabel, level, description: '', color: '#123456' })).severity;
  const sev1 = await create(`SEV1-${h.kind}`, 1);
  const sev25 = await create(`SEV2.5-${h.kind}`, 5);
  const id = (await h.rpcOk('IncidentsService.CreateIncident', { title: `Custom severity ${h.kind}`, severity: sev1.displayLabel })).incident.incidentID;
  return { sev1, sev25, id };
}

for (const kind of testDatabases()) {
  for (const legacy of [true, false]) {
    describe(`${kind}: custom severities ${legacy ? 'with' : 'without'} MUSTER_RPC_LEGACY_SEVERITY`, () => {
      let h: Harness;
      before(async () => {
        h = await startHarness(kind, { env: legacy ? { MUSTER_RPC_LEGACY_SEVERITY: '1' } : {} });
      });
      after(async () => {
        await h.close();
      });

      test(legacy ? 'severity is the nearest built-in; the custom one stays in severityID and severityLabel; 1.30.2 accepts' : 'severity is the custom label; 1.30.2 refuses it, 1.33.1 accepts', async () => {
        const { sev1, sev25, id } = await withCustomSeverities(h);
        const got = await h.rpcOk('IncidentsService.GetIncident', { incidentID: id });
        assert.equal(got.incident.severity, legacy ? 'critical' : sev1.displayLabel);
        assert.equal(got.incident.severityID, sev1.severityID);
        assert.equal(got.incident.severityLabel, sev1.displayLabel);
        assert.equal(accepts(node1302.responses['IncidentsService.GetIncident']!, got), legacy);
        assert.ok(accepts(node1331.responses['IncidentsService.GetIncident']!, got));

        const changed = await h.rpcOk('IncidentsService.UpdateSeverity', { incidentID: id, severity: sev25.displayLabel });
        assert.equal(changed.incident.severity, legacy ? 'minor' : sev25.displayLabel, 'level 5 is nearest to minor (3)');
        assert.equal(accepts(node1302.responses['IncidentsService.UpdateSeverity']!, changed), legacy);
        const listed = await h.rpcOk('IncidentsService.QueryIncidents', { query: { limit: 10, orderDirection: 'DESC' } });
        assert.equal(accepts(node1302.responses['IncidentsService.QueryIncidents']!, listed), legacy);
        const [preview] = (await h.rpcOk('IncidentsService.QueryIncidentPreviews', { query: { queryString: `title:"Custom severity ${h.kind}"` } })).incidentPreviews;
        assert.deepEqual([preview.severityID, preview.severityLabel], [sev25.severityID, sev25.displayLabel]);

        const builtIn = await h.rpcOk('IncidentsService.UpdateSeverity', { incidentID: id, severity: 'major' });
        assert.equal(builtIn.incident.severity, 'major');
        assert.ok(accepts(node1302.responses['IncidentsService.UpdateSeverity']!, builtIn));
      });
    });
  }
}
