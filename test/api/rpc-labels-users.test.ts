import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { API, startHarness, testDatabases, type Harness, type TestUser } from '../helpers/harness.ts';

// incident-go's key:value labels, incident channels, activity relevance and users (issue 14, slice 1).
for (const kind of testDatabases()) {
  describe(`${kind}: RPC labels, channels, relevance, users`, () => {
    let h: Harness;
    let outsider: TestUser;
    let member: TestUser;

    before(async () => {
      h = await startHarness(kind);
      outsider = await h.user('labelsoutsider', { team: await h.team() });
      member = await h.user('labelsmember', {});
    });
    after(async () => {
      await h.close();
    });

    async function declare(title: string, extra: Record<string, unknown> = {}): Promise<string> {
      const body = await h.rpcOk('IncidentsService.CreateIncident', { title, ...extra });
      return body.incident.incidentID;
    }

    test('AssignLabel creates the key and value, returns the whole set; GetLabels, run JSON and GetIncident agree', async () => {
      const id = await declare('Labels', { labels: [{ label: 'db', key: '', description: '', colorHex: '' }] });
      const assigned = await h.rpcOk('IncidentsService.AssignLabel', { incidentID: id, key: 'service', value: 'checkout' });
      assert.equal(assigned.labels.length, 2);
      const [tag, service] = assigned.labels;
      assert.deepEqual(Object.keys(service).sort(), ['colorHex', 'description', 'key', 'keyUUID', 'value', 'valueUUID']);
      assert.equal(tag.key, 'tags');
      assert.equal(tag.value, 'db');
      assert.ok(tag.keyUUID && tag.valueUUID, 'a plain label has catalogue ids too');
      assert.equal(service.key, 'service');
      assert.equal(service.value, 'checkout');
      assert.ok(service.keyUUID && service.valueUUID);
      // Assigning again changes nothing and appends nothing.
      const version = (await h.rpcOk('IncidentsService.GetIncidentVersion', { incidentID: id })).version;
      const again = await h.rpcOk('IncidentsService.AssignLabel', { incidentID: id, key: 'Service', value: 'CHECKOUT' });
      assert.deepEqual(again.labels, assigned.labels);
      assert.equal((await h.rpcOk('IncidentsService.GetIncidentVersion', { incidentID: id })).version, version);

      assert.deepEqual((await h.rpcOk('IncidentsService.GetLabels', { incidentID: id })).labels, assigned.labels);
      const run = await h.get(`${API}/runs/${id}`);
      assert.deepEqual(run.body.labels, ['db', 'service:checkout']);
      const incident = (await h.rpcOk('IncidentsService.GetIncident', { incidentID: id })).incident;
      assert.deepEqual(
        incident.labels.map((l: any) => [l.key, l.label]),
        [
          ['tags', 'db'],
          ['service', 'checkout'],
        ],
      );
      const activity = await h.rpcOk('ActivityService.QueryActivity', { query: { incidentID: id, activityKind: ['labelAdded'] } });
      const bodies = activity.activityItems.map((a: any) => a.body);
      // Labels given at creation are part of incidentCreated; the assignment is its own item.
      assert.equal(bodies.length, 1);
      assert.match(bodies[0], /added the label service:checkout$/);
    });

    test('RemoveLabel: the documented label "" with a key removes every label of that key; key + label one; neither is refused', async () => {
      const id = await declare('Remove by key', { labels: [{ label: 'db' }] });
      await h.rpcOk('IncidentsService.AssignLabel', { incidentID: id, key: 'service', value: 'checkout' });
      await h.rpcOk('IncidentsService.AssignLabel', { incidentID: id, key: 'service', value: 'cart' });
      await h.rpcOk('IncidentsService.AssignLabel', { incidentID: id, key: 'region', value: 'eu' });
      await h.rpcFails('IncidentsService.RemoveLabel', { incidentID: id, label: '' }, 400, /invalid field label: send the label to remove, or a key/);
      const one = await h.rpcOk('IncidentsService.RemoveLabel', { incidentID: id, label: 'eu', key: 'region' });
      assert.deepEqual(one.incident.labels.map((l: any) => `${l.key}:${l.label}`), ['tags:db', 'service:checkout', 'service:cart']);
      const byKey = await h.rpcOk('IncidentsService.RemoveLabel', { incidentID: id, label: '', key: 'Service' });
      assert.deepEqual(byKey.incident.labels.map((l: any) => `${l.key}:${l.label}`), ['tags:db']);
      await h.rpcFails('IncidentsService.RemoveLabel', { incidentID: id, label: '', key: 'service' }, 404, /no label of the key "service"/);
      const plain = await h.rpcOk('IncidentsService.RemoveLabel', { incidentID: id, label: 'db', key: '' });
      assert.deepEqual(plain.incident.labels, []);
      assert.deepEqual((await h.get(`${API}/runs/${id}`)).body.labels, []);
      const removed = await h.rpcOk('ActivityService.QueryActivity', { query: { incidentID: id, activityKind: ['labelRemoved'], orderDirection: 'ASC' } });
      assert.deepEqual(
        removed.activityItems.map((a: any) => a.body.replace(/^.* removed the label /, '')),
        ['region:eu', 'service:checkout', 'service:cart', 'db'],
      );
    });

    test('ByUUID forms address the same labels; UnassignLabel removes; unknown ids and labels are refused', async () => {
      const id = await declare('Labels by id');
      const [label] = (await h.rpcOk('IncidentsService.AssignLabel', { incidentID: id, key: 'region', value: 'eu-west' })).labels;
      const other = await declare('Labels by id 2');
      const byId = await h.rpcOk('IncidentsService.AssignLabelByUUID', { incidentID: other, keyUUID: label.keyUUID, valueUUID: label.valueUUID });
      assert.deepEqual(byId.labels, [label]);
      assert.deepEqual((await h.rpcOk('IncidentsService.UnassignLabelByUUID', { incidentID: other, keyUUID: label.keyUUID, valueUUID: label.valueUUID })).labels, []);
      assert.deepEqual((await h.rpcOk('IncidentsService.UnassignLabel', { incidentID: id, key: 'region', value: 'eu-west' })).labels, []);
      await h.rpcFails('IncidentsService.UnassignLabel', { incidentID: id, key: 'region', value: 'eu-west' }, 404, /no label region:eu-west/);
      await h.rpcFails('IncidentsService.AssignLabelByUUID', { incidentID: id, keyUUID: 'nope', valueUUID: label.valueUUID }, 400, /keyUUID/);
      await h.rpcFails('IncidentsService.AssignLabelByUUID', { incidentID: id, keyUUID: label.keyUUID, valueUUID: 'nope' }, 400, /valueUUID/);
      await h.rpcFails('IncidentsService.AssignLabel', { incidentID: id, key: '', value: 'x' }, 400, /key must not be blank/);
      await h.rpcFails('IncidentsService.AssignLabel', { incidentID: id, key: 'k', value: '  ' }, 400, /value must not be blank/);
      await h.rpcFails('IncidentsService.AssignLabel', { incidentID: id, key: 'k' }, 400, /value/);
      await h.rpcFails('IncidentsService.AssignLabel', { incidentID: 'missing', key: 'k', value: 'v' }, 404);
      const runs = await h.get(`${API}/runs/${id}`);
      assert.deepEqual(runs.body.labels, []);
    });

    test('label methods check access: outsiders get 403 and change nothing', async () => {
      const id = await declare('Private labels');
      await h.rpcFails('IncidentsService.AssignLabel', { incidentID: id, key: 'a', value: 'b' }, 403, undefined, outsider.token);
      await h.rpcFails('IncidentsService.GetLabels', { incidentID: id }, 403, undefined, outsider.token);
      await h.rpcFails('IncidentsService.GetIncidentChannels', { incidentID: id }, 403, undefined, outsider.token);
      assert.deepEqual((await h.rpcOk('IncidentsService.GetLabels', { incidentID: id })).labels, []);
    });

    test('AddLabel / RemoveLabel are the `tags` labels of GetLabels', async () => {
      const id = await declare('Plain labels');
      await h.rpcOk('IncidentsService.AddLabel', { incidentID: id, label: { key: 'tags', label: 'sev-db', description: 'd', colorHex: '#112233' } });
      const [label] = (await h.rpcOk('IncidentsService.GetLabels', { incidentID: id })).labels;
      assert.equal(label.key, 'tags');
      assert.equal(label.value, 'sev-db');
      assert.equal(label.colorHex, '#112233');
      assert.equal(label.description, 'd');
      assert.deepEqual((await h.rpcOk('IncidentsService.UnassignLabelByUUID', { incidentID: id, keyUUID: label.keyUUID, valueUUID: label.valueUUID })).labels, []);
      await h.rpcFails('IncidentsService.RemoveLabel', { incidentID: id, label: 'sev-db' }, 404);
    });

    test('GetIncidentChannels is the run channel, as in the Incident', async () => {
      const id = await declare('Channels');
      const body = await h.rpcOk('IncidentsService.GetIncidentChannels', { incidentID: id });
      const run = await h.get(`${API}/runs/${id}`);
      assert.deepEqual(body.incidentChannels, [{ provider: 'muster', channelID: run.body.channel_id, teamID: run.body.team_id }]);
      const incident = (await h.rpcOk('IncidentsService.GetIncident', { incidentID: id })).incident;
      assert.deepEqual(incident.incidentChannels, body.incidentChannels);
    });

    test('UpdateActivityRelevance rates any item; automatic goes back to the guess; bad values name the field', async () => {
      const id = await declare('Relevance');
      const note = (await h.rpcOk('ActivityService.AddActivity', { incidentID: id, activityKind: 'userNote', body: 'hello', eventTime: '' })).activityItem;
      assert.equal(note.relevance, 'normal');
      const high = await h.rpcOk('ActivityService.UpdateActivityRelevance', { incidentID: id, activityItemID: note.activityItemID, relevance: 'high' });
      assert.equal(high.activityItem.relevance, 'high');
      assert.equal(high.activityItem.activityItemID, note.activityItemID);
      const items = (await h.rpcOk('ActivityService.QueryActivity', { query: { incidentID: id } })).activityItems;
      assert.equal(items.find((i: any) => i.activityItemID === note.activityItemID).relevance, 'high');
      assert.equal(items.find((i: any) => i.activityKind === 'incidentCreated').relevance, 'high');
      const back = await h.rpcOk('ActivityService.UpdateActivityRelevance', { incidentID: id, activityItemID: note.activityItemID, relevance: 'automatic' });
      assert.equal(back.activityItem.relevance, 'normal');
      await h.rpcFails('ActivityService.UpdateActivityRelevance', { incidentID: id, activityItemID: note.activityItemID, relevance: 'urgent' }, 400, /relevance: must be one of "automatic", "archive", "low", "normal", "high"/);
      await h.rpcFails('ActivityService.UpdateActivityRelevance', { incidentID: id, activityItemID: 'missing', relevance: 'low' }, 404);
      await h.rpcFails('ActivityService.UpdateActivityRelevance', { incidentID: id, activityItemID: note.activityItemID, relevance: 'low' }, 403, undefined, outsider.token);
    });

    test('GetUser resolves any provider prefix, id or username; QueryUsers pages every user', async () => {
      const byId = await h.rpcOk('UsersService.GetUser', { userID: `grafana-incident:${member.id}` });
      assert.deepEqual(Object.keys(byId.user).sort(), [
        'email',
        'grafanaLogin',
        'grafanaUserID',
        'internalUserID',
        'modifiedTime',
        'msTeamsUserID',
        'name',
        'photoURL',
        'slackTeamID',
        'slackUserID',
        'userID',
      ]);
      assert.equal(byId.user.userID, `grafana-incident:${member.id}`);
      assert.equal(byId.user.internalUserID, member.id);
      assert.equal(byId.user.grafanaLogin, 'labelsmember');
      assert.equal(byId.user.email, 'labelsmember@example.com');
      assert.deepEqual((await h.rpcOk('UsersService.GetUser', { userID: member.id }, member.token)).user, byId.user);
      assert.deepEqual((await h.rpcOk('UsersService.GetUser', { userID: 'grafana:labelsmember' })).user, byId.user);
      await h.rpcFails('UsersService.GetUser', { userID: 'grafana-incident:nobody' }, 404, /not found/);
      await h.rpcFails('UsersService.GetUser', { userID: '' }, 400, /userID/);
      await h.rpcFails('UsersService.GetUser', { userID: member.id }, 401, undefined, null);

      const seen: string[] = [];
      let cursor = { nextValue: '', hasMore: false };
      for (let page = 0; page < 20; page++) {
        const body = await h.rpcOk('UsersService.QueryUsers', { query: { limit: 2 }, cursor });
        assert.deepEqual(body.query, { limit: 2 });
        assert.ok(body.users.length <= 2);
        seen.push(...body.users.map((u: any) => u.grafanaLogin));
        cursor = body.cursor;
        if (!cursor.hasMore) break;
      }
      assert.equal(cursor.nextValue, '');
      assert.ok(seen.includes('labelsmember') && seen.includes('labelsoutsider'));
      assert.equal(new Set(seen).size, seen.length, 'no user twice');
      await h.rpcFails('UsersService.QueryUsers', { query: { limit: 2 }, cursor: { nextValue: 'garbage', hasMore: true } }, 400, /cursor\.nextValue/);
    });
  });
}
