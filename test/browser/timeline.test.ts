import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { ensureWebBuilt, launch, newSignedInPage, poll } from './browser.ts';

const PASSWORD = 'admin-password-for-the-ui';
const PB = '/plugins/playbooks/api/v0';
const RPC = '/api/plugins/grafana-incident-app/resources/api/v1';

describe('browser: timeline events, resolve with open tasks, markers, a 2,000-event timeline', () => {
  let h: Harness;
  let browser: Browser;
  let id = '';

  before(async () => {
    ensureWebBuilt();
    h = await startHarness('pglite', { env: { MUSTER_ADMIN_PASSWORD: PASSWORD } });
    browser = await launch();
    const run = await h.post(`${PB}/runs`, { name: 'Cache stampede', owner_user_id: h.admin.id, team_id: h.teamId });
    assert.equal(run.status, 201, run.text);
    id = run.body.id;
    for (const title of ['Shed load', 'Warm the cache']) assert.equal((await h.post(`${PB}/runs/${id}/checklists/0/add`, { title })).status, 201);
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  const notes = (page: Page) => page.locator('.timeline .event.kind-note .summary').allInnerTexts();
  const note = async (body: string, at: number) => {
    const res = await h.post(`${RPC}/ActivityService.AddActivity`, { incidentID: id, activityKind: 'userNote', body, eventTime: new Date(at).toISOString() });
    assert.equal(res.status, 200, res.text);
    return res.body.activityItem.activityItemID as string;
  };

  test('a backdated note sorts by its time; editing the time re-sorts it; delete asks first and the other page loses it too', async () => {
    const start = (await h.get(`${PB}/runs/${id}`)).body.create_at as number;
    await note('Second thing', start + 20 * 60_000);
    await note('First thing', start - 30 * 60_000);
    const a = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    const b = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    await a.page.goto(`${h.url}/incidents/${id}`);
    await b.page.goto(`${h.url}/incidents/${id}`);
    await poll('notes in time order', async () => (await notes(a.page)).map((t) => t.split(' · ')[0]).join('|') === 'First thing|Second thing');
    // The start marker sits between them: a note from before the start is shown first, with a negative offset.
    await a.page.getByTestId('marker-start').waitFor();
    assert.match(await a.page.locator('.timeline .event').first().innerText(), /−30m/);

    await a.page.getByRole('button', { name: 'Event actions: First thing' }).click();
    await a.page.getByRole('button', { name: 'Edit time' }).click();
    const later = new Date(start + 40 * 60_000);
    const local = new Date(later.getTime() - later.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await a.page.getByLabel('Time of First thing').fill(local);
    await a.page.getByRole('button', { name: 'Save time' }).click();
    await poll('re-sorted', async () => (await notes(a.page)).map((t) => t.split(' · ')[0]).join('|') === 'Second thing|First thing');
    await poll('B re-sorted too', async () => (await notes(b.page)).map((t) => t.split(' · ')[0]).join('|') === 'Second thing|First thing');

    await a.page.getByRole('button', { name: 'Event actions: Second thing' }).click();
    await a.page.getByRole('button', { name: 'Delete event' }).click();
    const confirm = a.page.getByRole('group', { name: 'Delete Second thing?' });
    await confirm.getByRole('button', { name: 'Keep' }).click();
    assert.equal((await notes(a.page)).length, 2);
    await a.page.getByRole('button', { name: 'Event actions: Second thing' }).click();
    await a.page.getByRole('button', { name: 'Delete event' }).click();
    await a.page.getByRole('button', { name: 'Delete it' }).click();
    await poll('gone in A', async () => (await notes(a.page)).length === 1);
    await poll('gone in B', async () => (await notes(b.page)).length === 1);
    const events = (await h.get(`${PB}/runs/${id}`)).body.timeline_events;
    assert.ok(events.every((e: any) => e.summary !== 'Second thing' || e.delete_at > 0));
    await a.context.close();
    await b.context.close();
  });

  test('"Also resolve" with open tasks asks first and names the count; then the Resolved marker is shown', async () => {
    const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    await page.goto(`${h.url}/incidents/${id}`);
    const asked: string[] = [];
    let accept = false;
    page.on('dialog', (d) => {
      asked.push(d.message());
      void (accept ? d.accept() : d.dismiss());
    });
    await page.getByRole('button', { name: 'Post update' }).click();
    const dialog = page.getByRole('dialog', { name: 'Post a status update' });
    await dialog.getByLabel('What changed').fill('Load is back to normal.');
    await dialog.getByLabel('Also resolve the incident').check();
    await dialog.getByRole('button', { name: 'Post update' }).click();
    await poll('asked', async () => asked.length === 1);
    assert.equal(asked[0], '2 tasks are still outstanding. Resolve anyway?');
    assert.equal((await h.get(`${PB}/runs/${id}`)).body.current_status, 'InProgress');
    accept = true;
    await dialog.getByRole('button', { name: 'Post update' }).click();
    await poll('resolved', async () => (await h.get(`${PB}/runs/${id}`)).body.current_status === 'Finished');
    await page.getByTestId('marker-resolved').waitFor();
    assert.equal(await page.getByTestId('marker-resolved').innerText(), 'Resolved');
    assert.equal(await page.getByTestId('marker-start').innerText(), 'Start');
    await context.close();
  });

  test('with 2,000 timeline events fewer than 150 rows are in the DOM', async () => {
    const created = await h.post(`${RPC}/IncidentsService.CreateIncident`, { title: 'Very long war room' });
    const longId = created.body.incident.incidentID as string;
    for (let batch = 0; batch < 40; batch++) {
      const sends = Array.from({ length: 50 }, (_, i) =>
        h.post(`${RPC}/ActivityService.AddActivity`, { incidentID: longId, activityKind: 'userNote', body: `bulk note ${batch * 50 + i}` }),
      );
      for (const res of await Promise.all(sends)) assert.equal(res.status, 200, res.text);
    }
    const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    await page.goto(`${h.url}/incidents/${longId}`);
    await page.getByText(/Showing 20\d\d of 20\d\d/).waitFor();
    const rows = await page.locator('.timeline .event').count();
    assert.ok(rows > 0 && rows < 150, `${rows} rows in the DOM`);
    await context.close();
  });
});
