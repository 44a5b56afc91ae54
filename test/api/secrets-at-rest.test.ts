import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { newId } from '../../src/lib/ids.ts';
import { startHarness, testDatabases, type Harness } from '../helpers/harness.ts';

const RPC = '/api/plugins/grafana-incident-app/resources/api/v1';
const API = '/plugins/playbooks/api/v0';

for (const kind of testDatabases()) {
  describe(`${kind}: secrets at rest`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(kind);
    });
    after(async () => {
      await h.close();
    });

    /** Every row of the tables that hold secrets, as text: what a dump of them would show. */
    async function dumpText(): Promise<string> {
      const rows = await sql<{ t: string }>`
        SELECT (SELECT coalesce(json_agg(w), '[]') FROM webhook_subscriptions w)::text
          || (SELECT coalesce(json_agg(c), '[]') FROM slash_commands c)::text
          || (SELECT coalesce(json_agg(s), '[]') FROM signing_secrets s)::text
          || (SELECT coalesce(json_agg(d), '[]') FROM webhook_deliveries d)::text AS t`.execute(h.ctx.db);
      return rows.rows[0]!.t;
    }

    test('webhook secrets, command tokens and the signing secret are stored sealed, the key file is 0600 outside pgdata', async () => {
      const hook = await h.request('POST', `${RPC}/WebhooksService.CreateOutgoingWebhook`, { body: { url: 'https://receiver.example.com/x' } });
      assert.equal(hook.status, 200, hook.text);
      const command = await h.post(`${API}/commands`, { trigger: 'sealed', url: 'https://commands.example.com/x' });
      assert.equal(command.status, 201, command.text);
      const dump = await dumpText();
      assert.equal(dump.includes(hook.body.webhook.secret), false, 'no webhook secret in the dump');
      assert.equal(dump.includes(command.body.token), false, 'no command token in the dump');
      assert.equal(dump.includes(h.muster.newSigningSecret!), false, 'no signing secret in the dump');
      assert.match(dump, /enc:v1:[0-9a-f]{8}:/);
      // The admin still sees the token (opened on read).
      const listed = await h.get(`${API}/commands`);
      assert.equal(listed.body.find((c: any) => c.id === command.body.id).token, command.body.token);
      const stat = fs.statSync(h.muster.config.secretKeyFile);
      assert.equal(stat.mode & 0o777, 0o600);
      assert.equal(h.muster.config.secretKeyFile.includes('pgdata'), false);
    });

    test('plain-text rows from before encryption are sealed at the next start', async () => {
      const id = newId();
      await h.ctx.db
        .insertInto('webhook_subscriptions')
        .values({ id, source: 'incident', url: 'https://old.example.com/', secret: 'gis_plaintextlegacysecret', events: '[]', create_at: 1 })
        .execute();
      await h.ctx.db
        .insertInto('slash_commands')
        .values({ id: newId(), trigger: 'legacy', url: 'https://old.example.com/', token: 'legacyplaintexttoken', creator_id: h.admin.id, create_at: 1 })
        .execute();
      h = await h.restart();
      const dump = await dumpText();
      assert.equal(dump.includes('gis_plaintextlegacysecret'), false);
      assert.equal(dump.includes('legacyplaintexttoken'), false);
      const row = await h.ctx.db.selectFrom('webhook_subscriptions').select('secret').where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(h.ctx.secrets.open(row.secret), 'gis_plaintextlegacysecret');
    });
  });
}
