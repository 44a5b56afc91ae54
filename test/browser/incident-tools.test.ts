import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startHarness, type Harness, type TestUser } from '../helpers/harness.ts';
import { ensureWebBuilt, launch, newSignedInPage, poll } from './browser.ts';

const PASSWORD = 'admin-password-for-the-ui';
const PB = '/plugins/playbooks/api/v0';
const RPC = '/api/plugins/grafana-incident-app/resources/api/v1';

describe('browser: the details rail, markdown safety, time and shortcuts', () => {
  let h: Harness;
  let browser: Browser;
  let responder: TestUser;
  let id = '';

  before(async () => {
    ensureWebBuilt();
    h = await startHarness('pglite', { env: { MUSTER_ADMIN_PASSWORD: PASSWORD } });
    browser = await launch();
    responder = await h.user('responder');
    const created = await h.post(`${RPC}/IncidentsService.CreateIncident`, { title: 'Checkout errors' });
    assert.equal(created.status, 200, created.text);
    id = created.body.incident.incidentID;
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  test('severity, labels and commander change from the rail, reach the API, and the list filters by the label', async () => {
    const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    await page.goto(`${h.url}/incidents/${id}`);
    await page.locator('.details').getByLabel('Severity', { exact: true }).selectOption('major');
    await poll('severity saved', async () => (await h.get(`${PB}/runs/${id}`)).body.severity === 'major');
    await page.getByLabel('New label').fill('payments');
    await page.getByLabel('New label').press('Enter');
    await page.getByRole('button', { name: 'Remove label payments' }).waitFor();
    assert.deepEqual((await h.get(`${PB}/runs/${id}`)).body.labels, ['payments']);
    await page.locator('.details').getByLabel('Commander', { exact: true }).selectOption({ label: 'responder' });
    await poll('owner saved', async () => (await h.get(`${PB}/runs/${id}`)).body.owner_user_id === responder.id);

    await page.goto(`${h.url}/incidents?label=payments`);
    await page.getByRole('link', { name: 'Checkout errors' }).waitFor();
    await page.goto(`${h.url}/incidents?label=nothing-has-this`);
    await page.getByText('No incidents match these filters.').waitFor();
    await page.goto(`${h.url}/incidents/${id}`);
    await page.getByRole('button', { name: 'Remove label payments' }).click();
    await poll('label removed', async () => (await h.get(`${PB}/runs/${id}`)).body.labels.length === 0);
    await context.close();
  });

  test('list filters live in the URL: drills hidden until asked for, reload and Back restore them', async () => {
    const drill = await h.post(`${RPC}/IncidentsService.CreateIncident`, { title: 'Game day drill', isDrill: true });
    assert.equal(drill.status, 200, drill.text);
    const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    await page.goto(`${h.url}/incidents`);
    await page.getByRole('link', { name: 'Checkout errors' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Game day drill' }).count(), 0);
    await page.getByLabel('Include drills').check();
    await page.getByRole('link', { name: 'Game day drill' }).waitFor();
    assert.equal(new URL(page.url()).searchParams.get('drills'), 'true');
    await page.reload();
    await page.getByRole('link', { name: 'Game day drill' }).waitFor();
    assert.equal(await page.getByLabel('Include drills').isChecked(), true);
    await page.getByLabel('Status').selectOption('resolved');
    await page.getByText('No incidents match these filters.').waitFor();
    assert.equal(new URL(page.url()).searchParams.get('status'), 'resolved');
    await page.goBack();
    await page.getByRole('link', { name: 'Game day drill' }).waitFor();
    assert.equal(await page.getByLabel('Status').inputValue(), 'active');
    await context.close();
  });

  test('markdown in notes, summaries and updates cannot run script', async () => {
    const evil = 'hello <img src=x onerror="alert(1)"> <script>alert(2)</script> [click](javascript:alert(3)) **bold**';
    assert.equal((await h.patch(`${PB}/runs/${id}`, { summary: evil })).status, 200);
    assert.equal((await h.post(`${PB}/runs/${id}/status`, { message: evil, reminder: 900 })).status, 200);
    const note = await h.post(`${RPC}/ActivityService.AddActivity`, { incidentID: id, activityKind: 'userNote', body: evil });
    assert.equal(note.status, 200, note.text);
    const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${h.url}/incidents/${id}`);
    await page.locator('#summary strong').getByText('bold').waitFor();
    await page.locator('.update strong').getByText('bold').waitFor();
    await page.locator('.timeline strong').getByText('bold').first().waitFor();
    const unsafe = await page.evaluate(() => ({
      handlers: document.querySelectorAll('#main [onerror], #main img').length,
      scripts: document.querySelectorAll('#main script').length,
      jsLinks: [...document.querySelectorAll('#main a')].filter((a) => (a.getAttribute('href') ?? '').toLowerCase().startsWith('javascript')).length,
    }));
    assert.deepEqual(unsafe, { handlers: 0, scripts: 0, jsLinks: 0 });
    assert.deepEqual(dialogs, []);
    await context.close();
  });

  test('the duration ticks and the update chip turns Overdue as time passes (page.clock)', async () => {
    const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    await page.clock.install();
    await page.goto(`${h.url}/incidents/${id}`);
    const ticker = page.locator('.ticker');
    await ticker.waitFor();
    const minutes = async () => Number(/(\d+)m/.exec(await ticker.innerText())?.[1] ?? (/\d+s/.test(await ticker.innerText()) ? 0 : NaN));
    const before0 = await minutes();
    await page.getByRole('button', { name: /Update due in/ }).waitFor();
    await page.clock.fastForward('05:00');
    await poll('the ticker advanced 5 minutes', async () => (await minutes()) >= before0 + 5);
    assert.equal(await page.getByTestId('due-announcer').innerText(), '');
    await page.clock.fastForward('11:00');
    await page.getByRole('button', { name: /Update overdue/ }).waitFor();
    assert.equal(await page.getByTestId('due-announcer').innerText(), 'The status update is overdue');

    // "Never" leaves no countdown at all.
    await page.getByRole('button', { name: 'Post update' }).click();
    const dialog = page.getByRole('dialog', { name: 'Post a status update' });
    await dialog.getByLabel('What changed').fill('Stable now; no more updates planned.');
    await dialog.getByLabel('Next update').selectOption({ label: 'Never' });
    await dialog.getByRole('button', { name: 'Post update' }).click();
    await page.locator('.update').getByText('Stable now').waitFor();
    await poll('no due chip', async () => (await page.locator('.due').count()) === 0);
    await context.close();
  });

  test('a long timeline renders its latest 100 rows; earlier ones come on request', async () => {
    const created = await h.post(`${RPC}/IncidentsService.CreateIncident`, { title: 'Long war room' });
    const longId = created.body.incident.incidentID as string;
    for (let i = 0; i < 230; i++) {
      const res = await h.post(`${RPC}/ActivityService.AddActivity`, { incidentID: longId, activityKind: 'userNote', body: `note ${i}` });
      assert.equal(res.status, 200, res.text);
    }
    const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    await page.goto(`${h.url}/incidents/${longId}`);
    await page.getByText('note 229', { exact: true }).waitFor();
    assert.equal(await page.locator('.timeline .event').count(), 100);
    assert.equal(await page.getByText('note 0', { exact: true }).count(), 0);
    await page.getByRole('button', { name: /Show 100 earlier/ }).click();
    assert.equal(await page.locator('.timeline .event').count(), 200);
    await context.close();
  });

  test('on a phone, checking a task, adding a note and posting an update take at most two taps', async () => {
    const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    await page.goto(`${h.url}/incidents/${id}`);
    const bar = page.getByRole('navigation', { name: 'Quick actions' });
    await bar.getByRole('button', { name: 'Tasks' }).tap();
    const task = page.getByRole('checkbox', { name: 'Assign COMMANDER role' });
    const was = await task.isChecked();
    await task.tap();
    await poll('task toggled', async () => (await task.isChecked()) !== was);
    await bar.getByRole('button', { name: 'Note' }).tap();
    await page.keyboard.type('Seen from the phone');
    await page.getByRole('button', { name: 'Add note' }).tap();
    await page.locator('.timeline .event').getByText('Seen from the phone').waitFor();
    await bar.getByRole('button', { name: 'Update' }).tap();
    await page.getByRole('dialog', { name: 'Post a status update' }).waitFor();
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390);
    await context.close();
  });

  test('? shows the shortcuts, u opens the status update dialog, n goes to Declare', async () => {
    const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    await page.goto(`${h.url}/incidents/${id}`);
    await page.locator('.ticker').waitFor();
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor({ state: 'hidden' });
    await page.keyboard.press('u');
    await page.getByRole('dialog', { name: 'Post a status update' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Post a status update' }).waitFor({ state: 'hidden' });
    await page.keyboard.press('n');
    await page.getByRole('heading', { name: 'Declare an incident' }).waitFor();
    await context.close();
  });
});
