import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChangeLog } from '../../src/http/web/change-log.ts';
import { ChangeFeed } from '../../src/store/changes.ts';

const one = (id: string) => ({ incidents: new Map([[id, `c-${id}`]]), everything: false });

test('the change log numbers each change and resumes after a known id', () => {
  const feed = new ChangeFeed(false);
  const log = new ChangeLog(feed);
  const heard: string[] = [];
  log.listen((c) => heard.push(`${c.seq}:${c.incidents?.join(',') ?? '*'}`));
  feed.record(one('a'));
  feed.record({ incidents: new Map(), everything: true });
  feed.record(one('b'));
  assert.deepEqual(heard, ['1:a', '2:*', '3:b']);
  assert.deepEqual(log.since(log.eventId(1))?.map((c) => c.seq), [2, 3]);
  assert.deepEqual(log.since(log.eventId(3)), []);
  assert.equal(log.since(log.eventId(4)), null, 'an id from the future is unknown');
  assert.equal(log.since('000000000000.1'), null, 'another epoch (a restart, another instance) is unknown');
  assert.equal(log.since('garbage'), null);
  log.close();
  feed.record(one('c'));
  assert.equal(heard.length, 3, 'a closed log no longer listens');
});

test('the log keeps the last 1,024 changes: an older id gets null (a reset), never a silent gap', () => {
  const feed = new ChangeFeed(false);
  const log = new ChangeLog(feed);
  for (let i = 0; i < 1100; i++) feed.record(one(`i${i}`));
  assert.equal(log.since(log.eventId(10)), null);
  const tail = log.since(log.eventId(1100 - 1024));
  assert.equal(tail?.length, 1024);
  assert.equal(tail?.[0]?.seq, 1100 - 1024 + 1);
});

test('a liveness switch of the feed reaches the log as "everything"', () => {
  const feed = new ChangeFeed(true);
  const log = new ChangeLog(feed);
  const heard: Array<string[] | null> = [];
  log.listen((c) => heard.push(c.incidents));
  feed.setLive(true);
  assert.deepEqual(heard, [null]);
});
