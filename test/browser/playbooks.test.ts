import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startHarness, type Harness, type TestUser } from '../helpers/harness.ts';
import { ensureWebBuilt, launch, newSignedInPage, poll, seriousViolations, shot } from './browser.ts';

const PASSWORD = 'admin-password-for-the-ui';
const PB = '/plugins/playbooks/api/v0';

describe('browser: playbooks list and editor', () => {
  let h: Harness;
  let browser: Browser;
  let responder: TestUser;
  let id = '';

  before(async () => {
    ensureWebBuilt();
    h = await startHarness('pglite', { env: { MUSTER_ADMIN_PASSWORD: PASSWORD } });
    browser = await launch();
    responder = await h.user('responder');
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  const get = async () => (await h.get(`${PB}/playbooks/${id}`)).body;

  test('create a playbook, edit its checklists, reminder, broadcast, webhooks, members and access; save reaches the API', async () => {
    const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    await page.goto(`${h.url}/playbooks`);
    await page.getByLabel('New playbook title').fill('Payment outage');
    await page.getByRole('button', { name: 'Create playbook' }).click();
    await page.getByRole('heading', { level: 1, name: 'Payment outage' }).waitFor();
    id = new URL(page.url()).pathname.split('/').at(-1)!;

    await page.getByLabel('Description').fill('When card payments fail.');
    await page.getByLabel('Checklist 1 title').fill('Triage');
    await page.getByRole('button', { name: 'Add item to Triage' }).click();
    await page.getByLabel('Item 1.1 title').fill('Page payments on-call');
    await page.getByRole('button', { name: 'Add item to Triage' }).click();
    await page.getByLabel('Item 1.2 title').fill('Check the PSP status page');
    await page.getByLabel('Item 1.2 command').fill('/echo psp');
    await page.getByRole('button', { name: 'Move Check the PSP status page up' }).click();
    await page.getByRole('button', { name: 'Add checklist' }).click();
    await page.getByLabel('Checklist 2 title').fill('Recovery');
    await page.getByLabel('Default reminder').selectOption({ label: 'Every 30 minutes' });
    await page.getByLabel('Broadcast updates to channels').check();
    await page.getByLabel('Run-start webhook URLs (one a line)').fill('http://127.0.0.1:9/hook-a\nhttp://127.0.0.1:9/hook-b');
    await page.getByLabel('Send a webhook when a run starts').check();
    await page.getByLabel('Add member').selectOption({ label: 'responder' });
    await page.getByLabel('Role of responder').selectOption('playbook_admin');
    await page.getByLabel(/^Public/).uncheck();
    await page.getByRole('button', { name: 'Save playbook' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();

    const pb = await get();
    assert.equal(pb.description, 'When card payments fail.');
    assert.deepEqual(pb.checklists.map((c: any) => c.title), ['Triage', 'Recovery']);
    assert.deepEqual(pb.checklists[0].items.map((i: any) => [i.title, i.command]), [['Check the PSP status page', '/echo psp'], ['Page payments on-call', '']]);
    assert.equal(pb.reminder_timer_default_seconds, 1800);
    assert.equal(pb.broadcast_enabled, true);
    assert.deepEqual(pb.webhook_on_creation_urls, ['http://127.0.0.1:9/hook-a', 'http://127.0.0.1:9/hook-b']);
    assert.equal(pb.webhook_on_creation_enabled, true);
    assert.equal(pb.public, false);
    const member = pb.members.find((m: any) => m.user_id === responder.id);
    assert.deepEqual(member?.roles.sort(), ['playbook_admin', 'playbook_member']);

    // After a reload the editor shows what was saved.
    await page.reload();
    assert.equal(await page.getByLabel('Item 1.1 title').inputValue(), 'Check the PSP status page');
    assert.equal(await page.getByLabel('Default reminder').inputValue(), '1800');
    await context.close();
  });

  test('a refused save names the field and keeps the draft', async () => {
    const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    await page.goto(`${h.url}/playbooks/${id}`);
    await page.getByLabel('Broadcast channel ids (one a line)').fill('not-a-channel-id');
    await page.getByRole('button', { name: 'Save playbook' }).click();
    await page.getByRole('status').getByText(/Not saved: .*broadcast_channel_ids/).waitFor();
    assert.equal(await page.getByLabel('Broadcast channel ids (one a line)').inputValue(), 'not-a-channel-id');
    assert.deepEqual((await get()).broadcast_channel_ids, []);
    await page.getByRole('button', { name: 'Discard' }).click();
    assert.equal(await page.getByLabel('Broadcast channel ids (one a line)').inputValue(), '');
    await context.close();
  });

  test('archive hides it from the list unless archived ones are included; restore brings it back', async () => {
    const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    await page.goto(`${h.url}/playbooks/${id}`);
    await page.getByRole('button', { name: 'Archive' }).click();
    await page.getByRole('button', { name: 'Restore' }).waitFor();
    assert.ok((await get()).delete_at > 0);
    await page.getByRole('link', { name: '← Playbooks' }).click();
    await page.getByRole('heading', { level: 1, name: 'Playbooks' }).waitFor();
    await poll('archived playbook hidden', async () => (await page.getByRole('link', { name: 'Payment outage' }).count()) === 0);
    await page.getByLabel('Include archived').check();
    await page.getByRole('link', { name: 'Payment outage' }).click();
    await page.getByRole('button', { name: 'Restore' }).click();
    await page.getByRole('button', { name: 'Archive' }).waitFor();
    assert.equal((await get()).delete_at, 0);
    await context.close();
  });

  test('axe: no serious or critical violations on the playbook list and editor, light and dark; screenshots', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      for (const [device, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]] as const) {
        const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD, { viewport, colorScheme: scheme });
        for (const [name, path] of [['playbooks', '/playbooks'], ['playbook-editor', `/playbooks/${id}`]] as const) {
          await page.goto(h.url + path);
          await page.locator('h1').first().waitFor();
          await page.waitForLoadState('networkidle').catch(() => undefined);
          assert.deepEqual(await seriousViolations(page), [], `${name} ${scheme} ${device}`);
          if (device === 'phone') {
            const width = await page.evaluate(() => document.documentElement.scrollWidth);
            assert.ok(width <= 390, `${name} is ${width}px wide on a 390px phone`);
          }
          await shot(page, `${name}-${scheme}-${device}`);
        }
        await context.close();
      }
    }
  });
});
