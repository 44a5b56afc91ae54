// The tamper-evident audit log: one chained row per mutating call (REST, RPC, CLI), none for reads; the
// chain verifies; `muster audit verify` names a row edited behind the trigger's back and a tail removed
// behind the last signed checkpoint.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { verifyAuditLog } from '../../src/domain/audit/verify.ts';
import { openDatabase } from '../../src/store/db.ts';
import { startHarness, testDatabases, type Harness } from '../helpers/harness.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/muster.js');
const RPC = '/api/plugins/grafana-incident-app/resources/api/v1';
const API = '/plugins/playbooks/api/v0';

interface Entry {
  actor: string;
  action: string;
  targets: Record<string, string>;
  status: number;
  request_id: string;
  at: number;
}

async function entries(h: Harness): Promise<Entry[]> {
  const rows = await h.ctx.db.selectFrom('audit_log').select('entry').orderBy('seq').execute();
  return rows.map((r) => JSON.parse(r.entry) as Entry);
}

/** Runs the CLI against the harness's database (the server must be closed first on PGlite). */
function cli(h: Harness, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, MUSTER_LOG_LEVEL: 'warn', MUSTER_DATA_DIR: h.muster.config.dataDir };
  if (h.muster.config.databaseUrl) env.DATABASE_URL = h.muster.config.databaseUrl;
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Edits the database the way an intruder with superuser rights would: the append-only triggers disabled. */
async function tamper(h: Harness, statement: string): Promise<void> {
  const database = await openDatabase({ dataDir: h.muster.config.dataDir, databaseUrl: h.muster.config.databaseUrl });
  try {
    await sql.raw('ALTER TABLE audit_log DISABLE TRIGGER USER').execute(database.db);
    await sql.raw(statement).execute(database.db);
    await sql.raw('ALTER TABLE audit_log ENABLE TRIGGER USER').execute(database.db);
  } finally {
    await database.close();
  }
}

for (const kind of testDatabases()) {
  describe(`${kind}: audit log`, () => {
    test('rows for REST, RPC and CLI writes, none for reads; verify finds an edited row and a removed tail', async () => {
      let h = await startHarness(kind);
      // The server is stopped mid-test (PGlite: the CLI needs the data directory); closing twice is a no-op.
      const closeOnce = h.muster.close;
      let closed: Promise<void> | undefined;
      h.muster.close = () => (closed ??= closeOnce());
      try {
        const bob = await h.user('bob', { team: false }); // not in the team: may not change the run
        const created = await h.post(`${API}/runs`, { name: 'Audited', owner_user_id: h.admin.id, team_id: h.teamId });
        assert.equal(created.status, 201, created.text);
        const id = created.body.id;
        assert.equal((await h.post(`${API}/runs/${id}/status`, { message: 'looking', reminder: 0 })).status, 200);
        const rpc = await h.post(`${RPC}/IncidentsService.UpdateTitle`, { incidentID: id, title: 'Renamed' });
        assert.equal(rpc.status, 200, rpc.text);
        const refused = await h.post(`${RPC}/IncidentsService.UpdateTitle`, { incidentID: id, title: 'Not yours' }, bob.token);
        assert.equal(refused.status, 403, refused.text);
        // The Mattermost slice, the incoming webhook, and a refused login (no one is authenticated).
        assert.equal((await h.post(`/api/v4/users/${bob.id}/tokens`, { description: 'ci' })).status, 200);
        const hook = await h.post('/api/plugins/grafana-incident-app/resources/api/v1/incoming-webhooks/grafana.incident.create?title=Hooked', {});
        assert.ok(hook.status < 300, hook.text);
        assert.equal((await h.post('/api/v4/users/login', { login_id: 'bob', password: 'wrong-password' }, null)).status, 401);
        // Reads: none of these leaves a row.
        assert.equal((await h.get(`${API}/runs/${id}`)).status, 200);
        assert.equal((await h.get(`${API}/runs?team_id=${h.teamId}`)).status, 200);
        assert.equal((await h.post(`${RPC}/IncidentsService.GetIncident`, { incidentID: id })).status, 200);
        assert.equal((await h.post(`${RPC}/IncidentsService.QueryIncidents`, { query: { limit: 10 } })).status, 200);

        const rows = await entries(h);
        assert.deepEqual(rows.map((e) => [e.action, e.status]), [
          ['POST /plugins/playbooks/api/v0/runs', 201],
          ['POST /plugins/playbooks/api/v0/runs/:id/status', 200],
          ['rpc IncidentsService.UpdateTitle', 200],
          ['rpc IncidentsService.UpdateTitle', 403],
          ['POST /api/v4/users/:id/tokens', 200],
          ['POST /api/plugins/grafana-incident-app/resources/api/v1/incoming-webhooks/grafana.incident.create', hook.status],
          ['POST /api/v4/users/login', 401],
        ]);
        assert.equal(rows[0]!.actor, `user:${h.admin.id}`);
        assert.equal(rows[0]!.targets.created, id);
        assert.equal(rows[1]!.targets.id, id);
        assert.equal(rows[2]!.targets.incidentID, id);
        assert.equal(rows[3]!.actor, `user:${bob.id}`);
        assert.equal(rows[4]!.targets.id, bob.id);
        assert.equal(rows[5]!.actor, `user:${h.admin.id}`);
        assert.equal(rows[6]!.actor, 'anonymous');
        assert.ok(rows.every((e) => e.request_id && e.at > 0));
        const intact = await verifyAuditLog(h.ctx.db, h.muster.services.audit.key);
        assert.deepEqual([intact.ok, intact.rows], [true, 7]);

        // Append-only for everyone who leaves the triggers on.
        await assert.rejects(sql`UPDATE audit_log SET entry = '{}' WHERE seq = 1`.execute(h.ctx.db), /append-only/);
        await assert.rejects(sql`DELETE FROM audit_log WHERE seq = 7`.execute(h.ctx.db), /append-only/);

        // The server signs a checkpoint of the tail when it stops; then the CLI's own writes are audited.
        await h.muster.close();
        const made = await cli(h, ['user', 'create', '--username', 'carol', '--email', 'carol@example.com', '--json']);
        assert.equal(made.code, 0, made.stderr);
        const ok = await cli(h, ['audit', 'verify', '--json']);
        assert.equal(ok.code, 0, ok.stdout + ok.stderr);
        const report = JSON.parse(ok.stdout);
        assert.equal(report.rows, 8);
        assert.ok(report.checkpoints >= 1, 'the server signed a checkpoint at shutdown');
        const exported = (await cli(h, ['audit', 'export'])).stdout.trim().split('\n').map((line) => JSON.parse(line));
        assert.deepEqual(exported.map((r) => r.seq), [1, 2, 3, 4, 5, 6, 7, 8]);
        const carol = JSON.parse(exported[7].entry);
        assert.equal(carol.action, 'cli user create');
        assert.equal(carol.targets.user_id, JSON.parse(made.stdout).id);
        assert.match(carol.actor, /^cli:/);

        // A direct edit, the trigger disabled: verify names the row.
        await tamper(h, `UPDATE audit_log SET entry = replace(entry, 'Renamed', 'Innocent') WHERE seq = 3`);
        await tamper(h, `UPDATE audit_log SET entry = replace(entry, '"status":200', '"status":201') WHERE seq = 3`);
        const edited = await cli(h, ['audit', 'verify']);
        assert.equal(edited.code, 1, edited.stdout);
        assert.match(edited.stdout, /broken at seq 3/);
        await tamper(h, `UPDATE audit_log SET entry = replace(entry, '"status":201', '"status":200') WHERE seq = 3`);
        assert.equal((await cli(h, ['audit', 'verify'])).code, 0, 'the original text verifies again');

        // Sign the tail (seq 8), then cut rows 4..8: the chain that is left is consistent, the checkpoint is not.
        assert.equal((await cli(h, ['audit', 'checkpoint'])).code, 0);
        await tamper(h, 'DELETE FROM audit_log WHERE seq >= 4');
        const truncated = await cli(h, ['audit', 'verify']);
        assert.equal(truncated.code, 1, truncated.stdout);
        assert.match(truncated.stdout, /broken at seq 4: the log ends at seq 3 .* the tail was removed/);
      } finally {
        h = await h.restart();
        await h.close();
      }
    });
  });
}
