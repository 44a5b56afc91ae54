import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems;
  }
  assert.fail('expected a ConfigError');
}

describe('loadConfig', () => {
  test('defaults for an empty environment', () => {
    const config = loadConfig({});
    assert.equal(config.port, 8065);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.dataDir, path.resolve('./data'));
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.siteUrl, 'http://localhost:8065');
    assert.equal(config.adminToken, undefined);
    assert.equal(config.adminPassword, undefined);
    assert.equal(config.logLevel, 'info');
    assert.equal(config.timerPollMs, 1000);
  });

  test('reads every variable', () => {
    const config = loadConfig({
      PORT: '9000',
      HOST: '127.0.0.1',
      MUSTER_DATA_DIR: '/tmp/muster-data',
      DATABASE_URL: 'postgresql://u:p@db:5432/muster',
      MUSTER_SITE_URL: 'https://incidents.example.com/',
      MUSTER_ADMIN_TOKEN: 'a-token-of-sixteen+',
      MUSTER_ADMIN_PASSWORD: 'eight-chars',
      MUSTER_LOG_LEVEL: 'DEBUG',
      MUSTER_TIMER_POLL_MS: '250',
    });
    assert.equal(config.port, 9000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.dataDir, '/tmp/muster-data');
    assert.equal(config.databaseUrl, 'postgresql://u:p@db:5432/muster');
    assert.equal(config.siteUrl, 'https://incidents.example.com', 'trailing slash trimmed');
    assert.equal(config.adminToken, 'a-token-of-sixteen+');
    assert.equal(config.adminPassword, 'eight-chars');
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.timerPollMs, 250);
  });

  test('the default site URL follows PORT', () => {
    assert.equal(loadConfig({ PORT: '1234' }).siteUrl, 'http://localhost:1234');
  });

  test('every invalid value is reported in one error, each naming its variable', () => {
    const problems = problemsOf({
      PORT: 'abc',
      MUSTER_TIMER_POLL_MS: '5',
      DATABASE_URL: 'mysql://localhost/db',
      MUSTER_SITE_URL: 'nope',
      MUSTER_ADMIN_TOKEN: 'short',
      MUSTER_ADMIN_PASSWORD: '1234567',
      MUSTER_LOG_LEVEL: 'loud',
    });
    const names = ['PORT', 'MUSTER_TIMER_POLL_MS', 'DATABASE_URL', 'MUSTER_SITE_URL', 'MUSTER_ADMIN_TOKEN', 'MUSTER_ADMIN_PASSWORD', 'MUSTER_LOG_LEVEL'];
    assert.equal(problems.length, names.length, problems.join('\n'));
    for (const name of names) assert.ok(problems.some((p) => p.startsWith(name)), `${name} in ${problems.join('; ')}`);
  });

  test('the error message lists every problem', () => {
    try {
      loadConfig({ PORT: 'abc', MUSTER_SITE_URL: 'nope' });
      assert.fail('expected a ConfigError');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /PORT="abc"/);
      assert.match(err.message, /MUSTER_SITE_URL="nope"/);
    }
  });

  test('boundaries and edge values', () => {
    const cases: Array<[NodeJS.ProcessEnv, string]> = [
      [{ PORT: '65536' }, 'PORT'],
      [{ PORT: '-1' }, 'PORT'],
      [{ PORT: '80.5' }, 'PORT'],
      [{ MUSTER_TIMER_POLL_MS: '600001' }, 'MUSTER_TIMER_POLL_MS'],
      [{ MUSTER_SITE_URL: 'ftp://example.com' }, 'MUSTER_SITE_URL'],
      [{ MUSTER_ADMIN_TOKEN: 'has a space in the middle' }, 'MUSTER_ADMIN_TOKEN'],
    ];
    for (const [env, name] of cases) {
      const problems = problemsOf(env);
      assert.equal(problems.length, 1, JSON.stringify(env));
      assert.ok(problems[0]!.startsWith(name), problems[0]);
    }
    assert.equal(loadConfig({ PORT: '0' }).port, 0);
    assert.equal(loadConfig({ PORT: '65535' }).port, 65535);
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://x/y' }).databaseUrl, 'postgres://x/y');
    // Empty strings mean "unset", as shells and compose files often produce them.
    assert.equal(loadConfig({ PORT: '', DATABASE_URL: '', MUSTER_ADMIN_TOKEN: '' }).port, 8065);
  });

  test('MUSTER_DB_CONNECT_TIMEOUT_MS: 5000 by default, 100 ms to 10 minutes', () => {
    assert.equal(loadConfig({}).dbConnectTimeoutMs, 5000);
    assert.equal(loadConfig({ MUSTER_DB_CONNECT_TIMEOUT_MS: '1500' }).dbConnectTimeoutMs, 1500);
    for (const raw of ['99', '600001', '2.5', 'soon']) {
      const problems = problemsOf({ MUSTER_DB_CONNECT_TIMEOUT_MS: raw });
      assert.equal(problems.length, 1, raw);
      assert.ok(problems[0]!.startsWith('MUSTER_DB_CONNECT_TIMEOUT_MS'), problems[0]);
    }
  });
});

test('job, webhook, outbound and secret-key settings: defaults and invalid values', () => {
  const defaults = loadConfig({});
  assert.equal(defaults.jobConcurrency, 8);
  assert.equal(defaults.jobLeaseMs, 60_000);
  assert.equal(defaults.webhookTimeoutMs, 5000);
  assert.equal(defaults.webhookDisableAfterMs, 5 * 24 * 3_600_000);
  assert.deepEqual(defaults.outboundAllowlist, []);
  assert.equal(defaults.secretKeyFile.endsWith('/data/secret.key'), true);
  assert.deepEqual(loadConfig({ MUSTER_OUTBOUND_ALLOWLIST: ' 127.0.0.2, 10.0.0.0/8 ,hooks.internal' }).outboundAllowlist, ['127.0.0.2', '10.0.0.0/8', 'hooks.internal']);
  assert.throws(
    () => loadConfig({ MUSTER_OUTBOUND_ALLOWLIST: '10.0.0.0/99,bad host', MUSTER_SECRET_KEY: 'abc', MUSTER_JOB_LEASE_MS: '5000' }),
    (err: Error) =>
      /MUSTER_OUTBOUND_ALLOWLIST: not an IP, CIDR or host name: 10\.0\.0\.0\/99, bad host/.test(err.message) &&
      /MUSTER_SECRET_KEY must be 64 hex/.test(err.message) &&
      /MUSTER_JOB_LEASE_MS=5000 must exceed MUSTER_WEBHOOK_TIMEOUT_MS/.test(err.message),
  );
});
