import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RPC, startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';

const IRM = '/api/plugins/grafana-irm-app/resources/api';

for (const kind of testDatabases()) {
  describe(`${kind}: RPC RolesService and SeveritiesService`, () => {
    let h: Harness;
    let member: TestUser;
    const call = (method: string, body: unknown, token?: string | null) => h.request('POST', `${RPC}/${method}`, { body, token });

    before(async () => {
      h = await startHarness(kind);
      member = await h.user('rolesmember');
    });
    after(async () => {
      await h.close();
    });

    async function declare(title: string, extra: Record<string, unknown> = {}) {
      const res = await call('IncidentsService.CreateIncident', { title, ...extra });
      assert.equal(res.status, 200, res.text);
      return res.body.incident;
    }

    test('GetRoles lists the built-in roles in the Role shape, for any signed-in user', async () => {
      const res = await call('RolesService.GetRoles', {}, member.token);
      assert.equal(res.status, 200);
      assert.equal(res.body.error, '');
      const names = res.body.roles.map((r: any) => r.name);
      assert.deepEqual(names.slice(0, 3), ['commander', 'investigator', 'observer']);
      const commander = res.body.roles[0];
      assert.deepEqual(Object.keys(commander).sort(), ['archived', 'createdAt', 'description', 'important', 'mandatory', 'name', 'orgID', 'roleID', 'updatedAt']);
      assert.equal(commander.roleID, 1);
      assert.equal(commander.orgID, '1');
      assert.equal(commander.archived, false);
      assert.match(commander.createdAt, /^\d{4}-\d{2}-\d{2}T/);
      // The unversioned IRM path answers too.
      const irm = await h.request('POST', `${IRM}/RolesService.GetRoles`, { body: {} });
      assert.equal(irm.status, 200);
      assert.deepEqual(irm.body.roles, res.body.roles);
    });

    test('CreateRole, UpdateRole, ArchiveRole, UnarchiveRole and DeleteRole round-trip', async () => {
      const created = await call('RolesService.CreateRole', {
        role: { name: '  scribe ', description: 'Writes things down', important: true, mandatory: false, maxPeople: 2, roleID: 0, orgID: '', archived: false, createdAt: '' },
      });
      assert.equal(created.status, 200, created.text);
      const role = created.body.role;
      assert.equal(role.name, 'scribe');
      assert.equal(role.description, 'Writes things down');
      assert.equal(role.important, true);
      assert.equal(role.mandatory, false);
      assert.equal(role.archived, false);
      assert.ok(Number.isInteger(role.roleID) && role.roleID > 3);

      const updated = await call('RolesService.UpdateRole', { role: { roleID: role.roleID, name: 'note-taker', mandatory: true } });
      assert.equal(updated.status, 200, updated.text);
      assert.equal(updated.body.role.name, 'note-taker');
      assert.equal(updated.body.role.mandatory, true);
      assert.equal(updated.body.role.description, 'Writes things down', 'omitted fields are kept');
      assert.equal(updated.body.role.important, true);

      assert.equal((await call('RolesService.ArchiveRole', { roleID: role.roleID })).status, 200);
      let listed = (await call('RolesService.GetRoles', {})).body.roles.find((r: any) => r.roleID === role.roleID);
      assert.equal(listed.archived, true);
      // Archived roles cannot be newly assigned.
      const incident = await declare('Archived role test');
      const assign = await call('IncidentsService.AssignRole', { incidentID: incident.incidentID, userID: h.admin.id, role: 'note-taker' });
      assert.equal(assign.status, 400);
      assert.match(assign.body.error, /archived/);

      assert.equal((await call('RolesService.UnarchiveRole', { roleID: role.roleID })).status, 200);
      listed = (await call('RolesService.GetRoles', {})).body.roles.find((r: any) => r.roleID === role.roleID);
      assert.equal(listed.archived, false);

      const deleted = await call('RolesService.DeleteRole', { roleID: role.roleID });
      assert.equal(deleted.status, 200);
      assert.deepEqual(deleted.body, { error: '' });
      assert.equal((await call('RolesService.GetRoles', {})).body.roles.some((r: any) => r.roleID === role.roleID), false);
    });

    test('a role held in an incident cannot be deleted (409) until it is unassigned', async () => {
      const role = (await call('RolesService.CreateRole', { role: { name: 'comms', important: false, mandatory: false } })).body.role;
      const incident = await declare('Held role');
      const assign = await call('IncidentsService.AssignRole', { incidentID: incident.incidentID, userID: `grafana-incident:${member.id}`, role: 'comms' });
      assert.equal(assign.status, 200, assign.text);
      assert.equal(assign.body.didChange, true);
      const blocked = await call('RolesService.DeleteRole', { roleID: role.roleID });
      assert.equal(blocked.status, 409);
      assert.match(blocked.body.error, /held/);
      const unassign = await call('IncidentsService.UnassignRole', { incidentID: incident.incidentID, userID: member.id, role: 'comms' });
      assert.equal(unassign.status, 200);
      assert.equal((await call('RolesService.DeleteRole', { roleID: role.roleID })).status, 200);
    });

    test('built-in roles: not deletable, not renamable, commander not archivable (400)', async () => {
      for (const roleID of [1, 2, 3]) {
        const res = await call('RolesService.DeleteRole', { roleID });
        assert.equal(res.status, 400);
        assert.match(res.body.error, /built-in/);
      }
      const rename = await call('RolesService.UpdateRole', { role: { roleID: 2, name: 'detective' } });
      assert.equal(rename.status, 400);
      assert.match(rename.body.error, /role\.name|renamed/);
      const archive = await call('RolesService.ArchiveRole', { roleID: 1 });
      assert.equal(archive.status, 400);
      assert.match(archive.body.error, /commander/);
      const commanderMax = await call('RolesService.UpdateRole', { role: { roleID: 1, name: 'commander', maxPeople: 3 } });
      assert.equal(commanderMax.status, 400);
      assert.match(commanderMax.body.error, /maxPeople/);
      // Descriptions of built-ins may change.
      const described = await call('RolesService.UpdateRole', { role: { roleID: 3, name: 'observer', description: 'Watches quietly' } });
      assert.equal(described.status, 200);
      assert.equal(described.body.role.description, 'Watches quietly');
      // Archiving investigator is allowed and reversible.
      assert.equal((await call('RolesService.ArchiveRole', { roleID: 2 })).status, 200);
      assert.equal((await call('RolesService.UnarchiveRole', { roleID: 2 })).status, 200);
    });

    test('names are unique regardless of case (409) and non-blank (400)', async () => {
      const dup = await call('RolesService.CreateRole', { role: { name: 'Commander' } });
      assert.equal(dup.status, 409);
      assert.match(dup.body.error, /already exists/);
      const a = (await call('RolesService.CreateRole', { role: { name: 'liaison' } })).body.role;
      const b = (await call('RolesService.CreateRole', { role: { name: 'liaison-2' } })).body.role;
      const clash = await call('RolesService.UpdateRole', { role: { roleID: b.roleID, name: 'LIAISON' } });
      assert.equal(clash.status, 409);
      const same = await call('RolesService.UpdateRole', { role: { roleID: a.roleID, name: 'liaison', description: 'x' } });
      assert.equal(same.status, 200, 'keeping its own name is no clash');
      const blank = await call('RolesService.CreateRole', { role: { name: '   ' } });
      assert.equal(blank.status, 400);
      assert.match(blank.body.error, /role\.name/);
    });

    test('bad requests are 400 naming the field; unknown roles 404; nothing written', async () => {
      const roleCount = (await call('RolesService.GetRoles', {})).body.roles.length;
      const cases: Array<[string, unknown, RegExp]> = [
        ['RolesService.CreateRole', {}, /role/],
        ['RolesService.CreateRole', { role: { name: 5 } }, /role\.name/],
        ['RolesService.CreateRole', { role: { name: 'x', important: 'yes' } }, /important/],
        ['RolesService.CreateRole', { role: { name: 'x', maxPeople: -1 } }, /maxPeople/],
        ['RolesService.CreateRole', { role: { name: 'x'.repeat(65) } }, /role\.name/],
        ['RolesService.UpdateRole', { role: { name: 'x' } }, /roleID/],
        ['RolesService.DeleteRole', { roleID: '4' }, /roleID/],
        ['RolesService.DeleteRole', { roleID: 0 }, /roleID/],
        ['RolesService.ArchiveRole', {}, /roleID/],
      ];
      for (const [method, body, pattern] of cases) {
        const res = await call(method, body);
        assert.equal(res.status, 400, `${method} ${JSON.stringify(body)}: ${res.text}`);
        assert.match(res.body.error, pattern);
      }
      assert.equal((await call('RolesService.GetRoles', {})).body.roles.length, roleCount);
      for (const method of ['RolesService.DeleteRole', 'RolesService.ArchiveRole', 'RolesService.UnarchiveRole']) {
        const res = await call(method, { roleID: 9999 });
        assert.equal(res.status, 404, method);
        assert.match(res.body.error, /not found/);
      }
      const update = await call('RolesService.UpdateRole', { role: { roleID: 9999, name: 'ghost' } });
      assert.equal(update.status, 404);
    });

    test('role writes need a system admin (403); no token is 401', async () => {
      const writes: Array<[string, unknown]> = [
        ['RolesService.CreateRole', { role: { name: 'sneaky' } }],
        ['RolesService.UpdateRole', { role: { roleID: 3, name: 'observer' } }],
        ['RolesService.DeleteRole', { roleID: 3 }],
        ['RolesService.ArchiveRole', { roleID: 3 }],
        ['RolesService.UnarchiveRole', { roleID: 3 }],
      ];
      for (const [method, body] of writes) {
        const res = await call(method, body, member.token);
        assert.equal(res.status, 403, method);
        assert.match(res.body.error, /admin/);
      }
      assert.equal((await call('RolesService.GetRoles', {}, null)).status, 401);
      assert.equal((await call('RolesService.GetRoles', {}, 'bogus-token')).status, 401);
      assert.equal((await call('RolesService.GetRoles', {})).body.roles.some((r: any) => r.name === 'sneaky'), false);
    });

    test('GetOrgSeverities lists the documented severities, most severe first and pending last', async () => {
      const res = await call('SeveritiesService.GetOrgSeverities', {}, member.token);
      assert.equal(res.status, 200);
      const builtIn = res.body.severities.filter((s: any) => ['pending', 'minor', 'major', 'critical'].includes(s.severityID));
      assert.deepEqual(
        builtIn.map((s: any) => [s.severityID, s.displayLabel, s.level]),
        [
          ['critical', 'critical', 1],
          ['major', 'major', 2],
          ['minor', 'minor', 3],
          ['pending', 'pending', 0],
        ],
      );
      assert.deepEqual(Object.keys(builtIn[0]).sort(), ['archived', 'color', 'description', 'displayLabel', 'level', 'orgID', 'severityID']);
      assert.equal(builtIn[0].orgID, '1');
      assert.equal(builtIn[0].archived, false);
      const unversioned = await h.request('POST', `${IRM}/SeveritiesService.GetOrgSeverities`, { body: {} });
      assert.equal(unversioned.status, 200);
    });

    test('a custom severity can be created, used in CreateIncident and UpdateSeverity, and shows as severity + severityID', async () => {
      const created = await call('SeveritiesService.CreateSeverity', { displayLabel: 'SEV-0', level: 1, description: 'Everything is down', color: '#ff00ff' });
      assert.equal(created.status, 200, created.text);
      const sev = created.body.severity;
      assert.match(sev.severityID, /^[a-z0-9]{26}$/);
      assert.equal(sev.displayLabel, 'SEV-0');
      assert.equal(sev.level, 1);
      assert.equal(sev.color, '#ff00ff');
      assert.equal(sev.description, 'Everything is down');

      const incident = await declare('Custom severity', { severity: 'SEV-0' });
      assert.equal(incident.severity, 'SEV-0');
      assert.equal(incident.severityID, sev.severityID);
      // The must-choose-severity system task is done: a real severity was chosen.
      const severityTask = incident.taskList.tasks.find((t: any) => t.text === 'Specify incident severity');
      assert.equal(severityTask.status, 'done');

      const other = await declare('Later custom severity');
      assert.equal(other.severity, 'pending');
      assert.equal(other.severityID, 'pending');
      const bySeverityId = await call('IncidentsService.UpdateSeverity', { incidentID: other.incidentID, severity: sev.severityID });
      assert.equal(bySeverityId.status, 200, bySeverityId.text);
      assert.equal(bySeverityId.body.incident.severity, 'SEV-0');
      assert.equal(bySeverityId.body.incident.severityID, sev.severityID);
      const got = await call('IncidentsService.GetIncident', { incidentID: other.incidentID });
      assert.equal(got.body.incident.severity, 'SEV-0');
      // The run JSON of the Playbooks API carries the same incident.
      const run = await h.get(`/plugins/playbooks/api/v0/runs/${other.incidentID}`);
      assert.equal(run.status, 200);

      const listed = (await call('SeveritiesService.GetOrgSeverities', {})).body.severities;
      assert.deepEqual(listed.slice(0, 2).map((s: any) => s.displayLabel).sort(), ['SEV-0', 'critical']);
      assert.equal(listed[listed.length - 1].severityID, 'pending');
    });

    test('UpdateSeverity changes what is given; a label in use or a documented label cannot change', async () => {
      const sev = (await call('SeveritiesService.CreateSeverity', { displayLabel: 'sev-low', level: 5 })).body.severity;
      const renamed = await call('SeveritiesService.UpdateSeverity', { severityID: sev.severityID, displayLabel: 'sev-lowest', level: 6 });
      assert.equal(renamed.status, 200, renamed.text);
      assert.equal(renamed.body.severity.displayLabel, 'sev-lowest');
      assert.equal(renamed.body.severity.level, 6);
      const recolored = await call('SeveritiesService.UpdateSeverity', { severityID: sev.severityID, color: '#123456' });
      assert.equal(recolored.body.severity.displayLabel, 'sev-lowest');
      assert.equal(recolored.body.severity.color, '#123456');
      assert.equal(recolored.body.severity.level, 6);

      await declare('Uses sev-lowest', { severity: 'sev-lowest' });
      const inUse = await call('SeveritiesService.UpdateSeverity', { severityID: sev.severityID, displayLabel: 'sev-renamed' });
      assert.equal(inUse.status, 409);
      assert.match(inUse.body.error, /incident/);
      const documented = await call('SeveritiesService.UpdateSeverity', { severityID: 'minor', displayLabel: 'small' });
      assert.equal(documented.status, 400);
      assert.match(documented.body.error, /displayLabel/);
      const describedMinor = await call('SeveritiesService.UpdateSeverity', { severityID: 'minor', description: 'Some customers notice' });
      assert.equal(describedMinor.status, 200);
      assert.equal(describedMinor.body.severity.description, 'Some customers notice');
      const pendingLevel = await call('SeveritiesService.UpdateSeverity', { severityID: 'pending', level: 4 });
      assert.equal(pendingLevel.status, 400);
      assert.match(pendingLevel.body.error, /level/);
      const dup = await call('SeveritiesService.UpdateSeverity', { severityID: sev.severityID, displayLabel: 'MAJOR' });
      assert.equal(dup.status, 409);
    });

    test('ArchiveSeverity: an archived severity cannot be chosen; pending cannot be archived', async () => {
      const sev = (await call('SeveritiesService.CreateSeverity', { displayLabel: 'retired', level: 7 })).body.severity;
      const incident = await declare('Before retirement', { severity: 'retired' });
      assert.equal((await call('SeveritiesService.ArchiveSeverity', { severityID: sev.severityID })).status, 200);
      const listed = (await call('SeveritiesService.GetOrgSeverities', {})).body.severities.find((s: any) => s.severityID === sev.severityID);
      assert.equal(listed.archived, true);
      // Existing incidents keep it; new choices are refused.
      const kept = await call('IncidentsService.GetIncident', { incidentID: incident.incidentID });
      assert.equal(kept.body.incident.severity, 'retired');
      assert.equal(kept.body.incident.severityID, sev.severityID);
      const refused = await call('IncidentsService.CreateIncident', { title: 'After retirement', severity: 'retired' });
      assert.equal(refused.status, 400);
      assert.match(refused.body.error, /severity/);
      const pending = await call('SeveritiesService.ArchiveSeverity', { severityID: 'pending' });
      assert.equal(pending.status, 400);
      assert.match(pending.body.error, /pending/);
      assert.equal((await call('SeveritiesService.UnarchiveSeverity', { severityID: sev.severityID })).status, 200);
      assert.equal((await declare('After return', { severity: 'retired' })).severity, 'retired');
    });

    test('severity errors: 400 naming the field, 404 unknown, 409 duplicate, 403 non-admin', async () => {
      const cases: Array<[string, unknown, RegExp]> = [
        ['SeveritiesService.CreateSeverity', { level: 1 }, /displayLabel/],
        ['SeveritiesService.CreateSeverity', { displayLabel: ' ', level: 1 }, /displayLabel/],
        ['SeveritiesService.CreateSeverity', { displayLabel: 'x' }, /level/],
        ['SeveritiesService.CreateSeverity', { displayLabel: 'x', level: '1' }, /level/],
        ['SeveritiesService.CreateSeverity', { displayLabel: 'x', level: 0 }, /level/],
        ['SeveritiesService.CreateSeverity', { displayLabel: 'x', level: 1.5 }, /level/],
        ['SeveritiesService.CreateSeverity', { displayLabel: 'x', level: 1, color: 'red' }, /color/],
        ['SeveritiesService.UpdateSeverity', { displayLabel: 'x' }, /severityID/],
        ['SeveritiesService.ArchiveSeverity', {}, /severityID/],
      ];
      for (const [method, body, pattern] of cases) {
        const res = await call(method, body);
        assert.equal(res.status, 400, `${method} ${JSON.stringify(body)}: ${res.text}`);
        assert.match(res.body.error, pattern);
      }
      assert.equal((await call('SeveritiesService.GetOrgSeverities', {})).body.severities.some((s: any) => s.displayLabel === 'x'), false);
      for (const method of ['SeveritiesService.UpdateSeverity', 'SeveritiesService.ArchiveSeverity', 'SeveritiesService.UnarchiveSeverity']) {
        const res = await call(method, { severityID: 'no-such-severity' });
        assert.equal(res.status, 404, method);
      }
      const dup = await call('SeveritiesService.CreateSeverity', { displayLabel: 'Critical', level: 1 });
      assert.equal(dup.status, 409);
      for (const [method, body] of [
        ['SeveritiesService.CreateSeverity', { displayLabel: 'mine', level: 2 }],
        ['SeveritiesService.UpdateSeverity', { severityID: 'minor', description: 'x' }],
        ['SeveritiesService.ArchiveSeverity', { severityID: 'minor' }],
        ['SeveritiesService.UnarchiveSeverity', { severityID: 'minor' }],
      ] as const) {
        const res = await call(method, body, member.token);
        assert.equal(res.status, 403, method);
      }
      assert.equal((await call('SeveritiesService.GetOrgSeverities', {}, null)).status, 401);
    });
  });
}
