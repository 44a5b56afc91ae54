import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { ensureWebBuilt, launch, newSignedInPage, poll, seriousViolations, shot, signIn } from './browser.ts';

const PASSWORD = 'admin-password-for-the-ui';
const PB = '/plugins/playbooks/api/v0';
const RPC = '/api/plugins/grafana-incident-app/resources/api/v1';
describe('browser: the war room in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let incidentId = '';

  before(async () => {
    ensureWebBuilt();
    h = await startHarness('pglite', { env: { MUSTER_ADMIN_PASSWORD: PASSWORD } });
    browser = await launch();
    const playbook = await h.post(`${PB}/playbooks`, {
      title: 'Database outage',
      team_id: h.teamId,
      checklists: [{ title: 'Triage', items: [{ title: 'Page the database on-call' }, { title: 'Freeze deploys' }] }],
    });
    assert.equal(playbook.status, 201, playbook.text);
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  test('a wrong password is refused with a message; the printed admin password signs in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(h.url);
    await page.getByLabel('Username or email').fill('admin');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /invalid|incorrect|password/i);
    await signIn(page, h.url, 'admin', PASSWORD);
    await page.getByRole('heading', { name: 'Incidents' }).waitFor();
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'MMAUTHTOKEN');
    assert.ok(session?.httpOnly, 'the session cookie is HttpOnly');
    assert.equal(session.sameSite, 'Lax');
    await context.close();
  });

  test('declare from a prefilled link; a second page sees it live, then item checks and API changes', async () => {
    const a = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    const b = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    await b.page.getByTestId('live').getByText('Live').waitFor();

    await a.page.goto(`${h.url}/incidents/new?title=${encodeURIComponent('Primary DB down')}&url=${encodeURIComponent('https://alerts.example/1')}`);
    assert.equal(await a.page.getByLabel('Title').inputValue(), 'Primary DB down');
    assert.equal(await a.page.getByLabel('Severity').inputValue(), 'pending');
    await a.page.getByLabel('Playbook').selectOption({ label: 'Database outage' });
    await a.page.getByLabel('Title').press('Control+Enter');
    await a.page.getByRole('heading', { level: 1, name: 'Primary DB down' }).waitFor();
    incidentId = a.page.url().split('/incidents/')[1]!.split('?')[0]!;

    // B's list shows the new incident without a reload.
    await poll('B lists the new incident', () => b.page.getByRole('link', { name: 'Primary DB down' }).isVisible());
    await b.page.getByRole('link', { name: 'Primary DB down' }).click();
    const item = (p: Page) => p.getByRole('checkbox', { name: 'Page the database on-call' });
    await item(b.page).waitFor();
    assert.equal(await item(b.page).isChecked(), false);

    await item(a.page).check();
    await poll('B sees the item checked', () => item(b.page).isChecked());
    const run = await h.get(`${PB}/runs/${incidentId}`);
    assert.equal(run.body.checklists[0].items[0].state, 'closed');

    // Changes through either API reach the open page too.
    await h.put(`${PB}/runs/${incidentId}/checklists/0/item/1/state`, { new_state: 'closed' });
    await poll('B sees the REST change', () => b.page.getByRole('checkbox', { name: 'Freeze deploys' }).isChecked());
    const sev = await h.post(`${RPC}/IncidentsService.UpdateSeverity`, { incidentID: incidentId, severity: 'critical' });
    assert.equal(sev.status, 200, sev.text);
    await poll('B sees the RPC change', () => b.page.locator('.incident-header .sev').getByText('Critical').isVisible());
    await a.context.close();
    await b.context.close();
  });

  test('post a status update with a reminder; the timeline filter lives in the URL', async () => {
    const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    await page.goto(`${h.url}/incidents/${incidentId}`);
    await page.getByRole('button', { name: 'Post update' }).click();
    const dialog = page.getByRole('dialog', { name: 'Post a status update' });
    await dialog.getByLabel('What changed').fill('Failover to the replica is **done**.');
    await dialog.getByLabel('Next update').selectOption({ label: 'In 15 minutes' });
    await dialog.getByRole('button', { name: 'Post update' }).click();
    await page.locator('.update').getByText('Failover to the replica is').waitFor();
    assert.equal(await page.locator('.update strong').innerText(), 'done');
    await page.getByRole('button', { name: /Update due in 1[45]m/ }).waitFor();
    const updates = await h.get(`${PB}/runs/${incidentId}/status-updates`);
    assert.equal(updates.body[0].message, 'Failover to the replica is **done**.');

    // System events start hidden; showing them writes the filter to the URL and survives a reload.
    const system = page.getByRole('checkbox', { name: /^System/ });
    assert.equal(await system.isChecked(), false);
    await system.check();
    await poll('tl in the URL', async () => new URL(page.url()).searchParams.get('tl')?.includes('system'));
    await page.reload();
    assert.equal(await page.getByRole('checkbox', { name: /^System/ }).isChecked(), true);

    // Playbooks' details_url (webhooks, intake answers, chat messages) opens the same war room.
    await page.goto(`${h.url}/playbooks/runs/${incidentId}`);
    await poll('redirected to the incident page', async () => new URL(page.url()).pathname === `/incidents/${incidentId}`);
    await page.getByRole('button', { name: 'Post update' }).waitFor();
    await context.close();
  });

  test('item states, a backdated note, and a summary edit that a remote change does not overwrite', async () => {
    const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    await h.put(`${PB}/runs/${incidentId}/checklists/0/item/1/state`, { new_state: '' });
    await page.goto(`${h.url}/incidents/${incidentId}`);
    await page.getByRole('button', { name: 'Start: Freeze deploys' }).click();
    await poll('in progress saved', async () => (await h.get(`${PB}/runs/${incidentId}`)).body.checklists[0].items[1].state === 'in_progress');
    await page.getByRole('button', { name: 'Skip: Freeze deploys' }).click();
    await page.getByRole('button', { name: 'Restore: Freeze deploys' }).waitFor();
    assert.equal((await h.get(`${PB}/runs/${incidentId}`)).body.checklists[0].items[1].state, 'skipped');
    await page.getByRole('button', { name: 'Restore: Freeze deploys' }).click();
    await page.getByRole('button', { name: 'Start: Freeze deploys' }).waitFor();
    await page.getByLabel('Assignee: Freeze deploys').selectOption({ label: 'admin' });
    await poll('assignee saved', async () => (await h.get(`${PB}/runs/${incidentId}`)).body.checklists[0].items[1].assignee_id === h.admin.id);

    // A note dated before everything else sorts first in the timeline.
    const run = (await h.get(`${PB}/runs/${incidentId}`)).body;
    const earlier = new Date(run.create_at - 10 * 60_000);
    const local = new Date(earlier.getTime() - earlier.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await page.getByLabel('Note', { exact: true }).fill('Latency alarms first fired');
    await page.getByLabel(/^At/).fill(local);
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.locator('.timeline .event').first().getByText('Latency alarms first fired').waitFor();

    // Editing the summary while someone else changes it keeps the draft and says so.
    await page.getByRole('button', { name: 'Edit summary' }).click();
    await page.getByLabel('Summary (Markdown)').fill('My draft');
    const patch = await h.patch(`${PB}/runs/${incidentId}`, { summary: 'Changed over the API' });
    assert.equal(patch.status, 200, patch.text);
    await page.getByText(/Changed by admin while you were editing/).waitFor();
    assert.equal(await page.getByLabel('Summary (Markdown)').inputValue(), 'My draft');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('#summary').getByText('My draft').waitFor();
    assert.equal((await h.get(`${PB}/runs/${incidentId}`)).body.summary, 'My draft');
    await context.close();
  });

  test('a cut stream shows Reconnecting, then catches up and shows Live again', async () => {
    const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    await page.goto(`${h.url}/incidents/${incidentId}`);
    const live = page.getByTestId('live');
    await live.getByText('Live').waitFor();
    // The server ends the stream and the browser cannot get back until the route is released.
    await page.route('**/api/muster/v1/events*', (route) => route.abort());
    h.muster.app.liveStreams.endAll();
    await live.getByText('Reconnecting…').waitFor();
    const sev = await h.post(`${RPC}/IncidentsService.UpdateSeverity`, { incidentID: incidentId, severity: 'minor' });
    assert.equal(sev.status, 200, sev.text);
    await page.unroute('**/api/muster/v1/events*');
    await live.getByText('Live').waitFor({ timeout: 15_000 });
    await poll('the missed change arrives', () => page.locator('.incident-header .sev').getByText('Minor').isVisible());
    await context.close();
  });

  test('axe finds no serious or critical violations, light and dark; screenshots on desktop and phone', async () => {
    const pages = [
      ['list', '/incidents'],
      ['incident', `/incidents/${incidentId}`],
      ['declare', '/incidents/new'],
    ] as const;
    for (const scheme of ['light', 'dark'] as const) {
      for (const [device, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]] as const) {
        const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD, { viewport, colorScheme: scheme });
        for (const [name, path] of pages) {
          await page.goto(h.url + path);
          await page.locator('h1').first().waitFor();
          await page.waitForLoadState('networkidle').catch(() => undefined);
          assert.deepEqual(await seriousViolations(page), [], `${name} ${scheme} ${device}`);
          if (device === 'phone') {
            const width = await page.evaluate(() => document.documentElement.scrollWidth);
            assert.ok(width <= 390, `${name} is ${width}px wide on a 390px phone`);
          }
          if (scheme === 'dark') {
            const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
            assert.equal(bg, 'rgb(15, 18, 22)', `${name} has the dark background`);
          }
          await shot(page, `${name}-${scheme}-${device}`);
        }
        await context.close();
      }
    }
  });

  test('sign out ends the session', async () => {
    const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/v4/users/me')).status);
    assert.equal(status, 401);
    await context.close();
  });
});
