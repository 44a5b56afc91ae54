import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';

// Issue 14: every request example of the Grafana Incident reference (seed 004: the JS example of each method,
// and the JSON of each Request object the methods lack) sent as written. Each is accepted, refused 404 when
// its placeholder ids do not exist, or refused with a 400 that says what to send instead; with its ids made
// to exist (placeholders replaced by real ones) each is accepted or refused only as listed below.
// shared/ beside the checkout (or beside the worktrees' folder); else the list extracted from it.
const SEED = ['../../../shared/seeds/', '../../../../shared/seeds/']
  .map((dir) => new URL(`${dir}004_c8144c492b0c7592.txt`, import.meta.url))
  .find((url) => fs.existsSync(url));
const FIXTURE = new URL('../fixtures/rpc-seed-examples.json', import.meta.url);

type Example = { method: string; request: Record<string, any> };

/** The JSON object starting at `start` (braces balanced, strings skipped). */
function objectAt(text: string, start: number): string {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  throw new Error(`unbalanced JSON at ${start}`);
}

const upper = (s: string) => s[0]!.toUpperCase() + s.slice(1);

function parseSeed(text: string): Example[] {
  const examples: Example[] = [];
  for (const m of text.matchAll(/await (\w+)\.(\w+)\(\{/g)) {
    examples.push({ method: `${upper(m[1]!)}.${upper(m[2]!)}`, request: JSON.parse(objectAt(text, m.index! + m[0].length - 1)) });
  }
  // Request objects of methods without a JS example (the version counters; IncidentsService in Muster).
  for (const m of text.matchAll(/\n(\w+)Request\n\n\1Request is the request for the \w+ (?:call|operation)\.[^]*?\n\{/g)) {
    const request = JSON.parse(objectAt(text, m.index! + m[0].length - 1));
    const known = examples.find((e) => e.method.endsWith(`.${m[1]}`));
    if (known) assert.deepEqual(request, known.request, `${m[1]}Request matches the method's example`);
    else examples.push({ method: `IncidentsService.${m[1]}`, request });
  }
  return examples;
}

const fixture = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Example[];
const examples = (): Example[] => (SEED ? parseSeed(fs.readFileSync(SEED, 'utf8')) : fixture);

/** A 400 that tells the caller what to send: the allowed values, the form, or the value to use. */
const SAYS_WHAT_TO_SEND = /must be one of |must be (a|an) |send |RFC 3339/;

/**
 * With real ids, these examples are still refused, each saying what to send: the docs' own values are
 * not valid here (a status "closed" that no enum has, a made-up cursor, an end before the start, no label).
 */
const REFUSED: Record<string, RegExp> = {
  'ActivityService.QueryActivity': /^invalid field cursor\.nextValue: not a cursor returned by QueryActivity; send "" for the first page$/,
  'IncidentsService.QueryIncidents': /^invalid field query\.excludeStatuses\.0: must be one of "active", "resolved"$/,
  // Its end (2022, written "2022-02-11 00:50:20.574137": read as UTC) is before a new incident's start.
  'IncidentsService.UpdateIncidentEventTime': /^invalid field eventTime: the incident cannot start after it ends: send a time after its start \(/,
  // The documented example is a placeholder: it names no label.
  'IncidentsService.RemoveLabel': /^invalid field label: send the label to remove, or a key to remove every label of that key$/,
};

for (const kind of testDatabases()) {
  describe(`${kind}: the reference's request examples`, () => {
    let h: Harness;
    let user: TestUser;
    before(async () => {
      h = await startHarness(kind);
      user = await h.user('seedexamples');
    });
    after(async () => {
      await h.close();
    });

    test('the seed holds an example for each of the 22 documented methods and the 2 version counters; the fixture matches it', () => {
      const list = examples();
      assert.equal(list.length, 24);
      assert.equal(new Set(list.map((e) => e.method)).size, 24);
      assert.deepEqual(fixture, list);
    });

    test('sent verbatim: accepted, 404 for ids that do not exist, or a 400 that says what to send', async () => {
      for (const { method, request } of examples()) {
        const res = await h.rpc(method, request);
        assert.ok([200, 400, 404].includes(res.status), `${method}: ${res.status} ${res.text}`);
        assert.equal(typeof res.body.error, 'string', `${method}: ${res.text}`);
        if (res.status === 400) assert.match(res.body.error, SAYS_WHAT_TO_SEND, method);
        if (res.status === 404) assert.ok(JSON.stringify(request).match(/incident-123|inccident|"1"/), `${method}: 404 only for a placeholder id`);
      }
    });

    /** The example with its placeholder ids replaced by a fresh incident's, its note's, its task's and a real user. */
    async function withRealIds(request: Record<string, any>): Promise<Record<string, any>> {
      const incident = (await h.rpcOk('IncidentsService.CreateIncident', { title: 'Seed example' })).incident;
      const note = (await h.rpcOk('ActivityService.AddActivity', { incidentID: incident.incidentID, activityKind: 'userNote', body: 'n' })).activityItem;
      const task = (await h.rpcOk('TasksService.AddTask', { incidentID: incident.incidentID, text: 't' })).task;
      await h.rpcOk('IncidentsService.AddLabel', { incidentID: incident.incidentID, label: { label: 'customers-affected' } });
      const real = structuredClone(request);
      const ids: Record<string, string> = {
        incidentID: incident.incidentID,
        activityItemID: note.activityItemID,
        taskID: task.taskID,
        userID: `grafana-incident:${user.id}`,
        assignToUserID: `grafana-incident:${user.id}`,
      };
      for (const [key, value] of Object.entries(ids)) if (key in real) real[key] = value;
      if (real.query?.incidentID) real.query.incidentID = incident.incidentID;
      return real;
    }

    test('with their ids existing: accepted, or refused as listed with what to send', async () => {
      const refused: string[] = [];
      for (const { method, request } of examples()) {
        const res = await h.rpc(method, await withRealIds(request));
        if (REFUSED[method]) {
          assert.equal(res.status, 400, `${method}: ${res.text}`);
          assert.match(res.body.error, REFUSED[method]!);
          refused.push(method);
        } else {
          assert.equal(res.status, 200, `${method}: ${res.text}`);
          assert.equal(res.body.error, '');
        }
      }
      assert.deepEqual(refused.sort(), Object.keys(REFUSED).sort());
    });

    test('the refused ones, corrected as their errors say, are accepted', async () => {
      const byMethod = new Map(examples().map((e) => [e.method, e.request]));
      const activity = await withRealIds(byMethod.get('ActivityService.QueryActivity')!);
      await h.rpcOk('ActivityService.QueryActivity', { ...activity, cursor: { ...activity.cursor, nextValue: '' } });
      const query = byMethod.get('IncidentsService.QueryIncidents')!;
      const corrected = { ...query, query: { ...query.query, excludeStatuses: ['resolved'] }, cursor: { hasMore: false, nextValue: '' } };
      assert.ok(Array.isArray((await h.rpcOk('IncidentsService.QueryIncidents', corrected)).incidents));
      const eventTime = await withRealIds(byMethod.get('IncidentsService.UpdateIncidentEventTime')!);
      const fixed = { ...eventTime, eventTime: '2022-02-11T00:50:20.574137Z' };
      // The example's end (2022) is before the new incident's start: the error says what to send.
      await h.rpcFails('IncidentsService.UpdateIncidentEventTime', fixed, 400, /^invalid field eventTime: the incident cannot start after it ends: send a time after its start \(/);
      await h.rpcOk('IncidentsService.UpdateIncidentEventTime', { ...fixed, activityItemKind: 'incidentStart', eventTime: '2022-02-11T00:00:00Z' });
      await h.rpcOk('IncidentsService.UpdateIncidentEventTime', eventTime); // the example's own text, now after the start
      const ended = (await h.rpcOk('IncidentsService.GetIncident', { incidentID: eventTime.incidentID })).incident;
      assert.equal(ended.incidentEnd, '2022-02-11T00:50:20.574Z', 'a time without a zone is UTC');
      const removal = await withRealIds(byMethod.get('IncidentsService.RemoveLabel')!);
      assert.deepEqual((await h.rpcOk('IncidentsService.RemoveLabel', { ...removal, key: 'tags' })).incident.labels, []);
    });
  });
}
