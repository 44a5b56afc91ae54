import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { API, startHarness, testDatabases, type Harness } from '../helpers/harness.ts';

// Issue 14: one rule for closedTime, incidentStart, incidentEnd, durationSeconds and the run's end_at
// across resolve → reopen and edited start/end (docs/INCIDENT-GO.md, "Incident times"). A fake clock
// makes the running duration exact.
const T0 = Date.UTC(2026, 10, 1, 12);
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString().replace('.000Z', 'Z');

for (const kind of testDatabases()) {
  describe(`${kind}: incident times`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(kind, { fakeClockAt: T0 });
    });
    after(async () => {
      await h.close();
    });

    async function times(id: string) {
      const incident = (await h.rpcOk('IncidentsService.GetIncident', { incidentID: id })).incident;
      const preview = (await h.rpcOk('IncidentsService.QueryIncidentPreviews', { query: { queryString: `title:"${incident.title}"` } })).incidentPreviews[0];
      for (const key of ['closedTime', 'incidentStart', 'incidentEnd'] as const) assert.equal(preview[key], incident[key], `preview ${key}`);
      const run = (await h.get(`${API}/runs/${id}`)).body;
      const { closedTime, incidentStart, incidentEnd, durationSeconds } = incident;
      return { closedTime, incidentStart, incidentEnd, durationSeconds, endAt: run.end_at };
    }
    const setTime = (incidentID: string, activityItemKind: string, seconds: number) =>
      h.rpcOk('IncidentsService.UpdateIncidentEventTime', { incidentID, eventTime: at(seconds), activityItemKind });
    const setStatus = (incidentID: string, status: string) => h.rpcOk('IncidentsService.UpdateStatus', { incidentID, status });

    test('resolve, edit, reopen, resolve again: every time field follows the one rule', async () => {
      const id = (await h.rpcOk('IncidentsService.CreateIncident', { title: 'Times' })).incident.incidentID;
      h.clock!.advance(90_000);
      assert.deepEqual(await times(id), { closedTime: '', incidentStart: at(0), incidentEnd: '', durationSeconds: 90, endAt: 0 });

      await setTime(id, 'incidentStart', -600); // an edited start counts from then
      assert.equal((await times(id)).durationSeconds, 690);

      await setStatus(id, 'resolved');
      assert.deepEqual(await times(id), { closedTime: at(90), incidentStart: at(-600), incidentEnd: at(90), durationSeconds: 690, endAt: T0 + 90_000 });

      await setTime(id, 'incidentEnd', 60); // the impact ended before the resolution: closedTime and end_at stay
      assert.deepEqual(await times(id), { closedTime: at(90), incidentStart: at(-600), incidentEnd: at(60), durationSeconds: 660, endAt: T0 + 90_000 });

      h.clock!.advance(30_000);
      await setStatus(id, 'active'); // reopened: no end of any kind; the duration runs again
      assert.deepEqual(await times(id), { closedTime: '', incidentStart: at(-600), incidentEnd: '', durationSeconds: 720, endAt: 0 });
      h.clock!.advance(10_000);
      assert.equal((await times(id)).durationSeconds, 730);

      await setStatus(id, 'resolved');
      assert.deepEqual(await times(id), { closedTime: at(130), incidentStart: at(-600), incidentEnd: at(130), durationSeconds: 730, endAt: T0 + 130_000 });
    });

    test('an end recorded while active stops the duration; reopening through Playbooks clears it too', async () => {
      const start = (h.clock!.now() - T0) / 1000;
      const id = (await h.rpcOk('IncidentsService.CreateIncident', { title: 'Times active end' })).incident.incidentID;
      h.clock!.advance(100_000);
      await setTime(id, 'incidentEnd', start + 40);
      assert.deepEqual(await times(id), { closedTime: '', incidentStart: at(start), incidentEnd: at(start + 40), durationSeconds: 40, endAt: 0 });
      assert.equal((await h.put(`${API}/runs/${id}/finish`, {})).status, 200);
      assert.equal((await times(id)).incidentEnd, at(start + 40));
      assert.equal((await h.put(`${API}/runs/${id}/restore`, {})).status, 200);
      assert.deepEqual(await times(id), { closedTime: '', incidentStart: at(start), incidentEnd: '', durationSeconds: 100, endAt: 0 });
    });
  });
}
