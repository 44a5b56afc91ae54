import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OutboundPolicy, literalIp } from '../../src/net/ssrf.ts';

test('only global unicast passes by default, in every spelling of an address', () => {
  const policy = new OutboundPolicy([]);
  for (const ip of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111']) assert.equal(policy.allowsAddress(ip), true, ip);
  const refused = [
    '127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '0.0.0.0', '::', '169.254.169.254', 'fd00:ec2::254',
    '100.64.0.1', '10.0.0.1', '172.16.0.1', '192.168.0.1', 'fe80::1', '64:ff9b::a9fe:a9fe', '::7f00:1', '::8.8.8.8', '198.18.0.1',
    '240.0.0.1', '255.255.255.255', '224.0.0.1', 'not-an-ip',
  ];
  for (const ip of refused) assert.equal(policy.allowsAddress(ip), false, ip);
});

test('the allow-list (IPs, CIDRs, host names) is checked first', () => {
  const policy = new OutboundPolicy(['127.0.0.2', '10.1.0.0/16', '[fd00::1]', 'Hooks.Internal.']);
  assert.equal(policy.allowsAddress('127.0.0.2'), true);
  assert.equal(policy.allowsAddress('::ffff:127.0.0.2'), true, 'mapped form of an allowed IPv4');
  assert.equal(policy.allowsAddress('127.0.0.1'), false);
  assert.equal(policy.allowsAddress('10.1.200.3'), true);
  assert.equal(policy.allowsAddress('10.2.0.1'), false);
  assert.equal(policy.allowsAddress('fd00::1'), true);
  assert.equal(policy.allowsHostName('hooks.internal'), true);
  assert.equal(policy.allowsHostName('other.internal'), false);
  assert.deepEqual(OutboundPolicy.invalidEntries(['10.0.0.0/8', 'a.b', '10.0.0.0/33', 'x y', '::1']), ['10.0.0.0/33', 'x y']);
});

test('literal hosts are recognised with or without brackets', () => {
  assert.equal(literalIp('[::1]'), '::1');
  assert.equal(literalIp('127.0.0.1'), '127.0.0.1');
  assert.equal(literalIp('example.com'), undefined);
});
