import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { ensureWebBuilt, launch, newSignedInPage, poll, seriousViolations, shot } from './browser.ts';

const PASSWORD = 'admin-password-for-the-ui';
const RPC = '/api/plugins/grafana-incident-app/resources/api/v1';

describe('browser: the command palette and the settings pages', () => {
  let h: Harness;
  let browser: Browser;
  let id = '';

  before(async () => {
    ensureWebBuilt();
    h = await startHarness('pglite', { env: { MUSTER_ADMIN_PASSWORD: PASSWORD } });
    browser = await launch();
    const created = await h.post(`${RPC}/IncidentsService.CreateIncident`, { title: 'Search is slow' });
    assert.equal(created.status, 200, created.text);
    id = created.body.incident.incidentID;
    assert.equal((await h.post(`${RPC}/WebhooksService.CreateOutgoingWebhook`, { url: 'http://127.0.0.1:9/receiver' })).status, 200);
    const integration = await h.post('/api/muster/v1/integrations', { kind: 'alertmanager', name: 'Prod alerts', team_id: h.teamId });
    assert.equal(integration.status, 201, integration.text);
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  test('Ctrl+K opens the palette anywhere; "Post update" opens the dialog; arrows and Enter pick; ? opens the help', async () => {
    const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    await page.goto(`${h.url}/incidents/${id}`);
    await page.locator('.ticker').waitFor();
    await page.getByLabel('Note', { exact: true }).focus(); // works from inside a text field too
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await palette.waitFor();
    await page.keyboard.type('post upd');
    assert.deepEqual(await palette.getByRole('option').allInnerTexts(), ['Post update']);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Post a status update' }).waitFor();
    await page.keyboard.press('Escape');

    await page.keyboard.press('Control+k');
    await page.keyboard.type('go to');
    await page.keyboard.press('ArrowDown');
    assert.equal(await palette.getByRole('option', { selected: true }).innerText(), 'Go to playbooks');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Playbooks' }).waitFor();

    await page.keyboard.press('Control+k');
    await page.keyboard.type('shortcuts');
    await page.keyboard.press('Enter');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    await help.getByText('Open the command palette').waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('?');
    await help.waitFor();
    await context.close();
  });

  test('an API token is shown once, works, and stops working when revoked', async () => {
    const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    await page.goto(`${h.url}/settings`);
    await page.getByLabel('Token description').fill('deploy bot');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = await page.getByTestId('new-token').innerText();
    assert.match(token, /^\w{20,}$/);
    assert.equal((await h.get('/api/v4/users/me', token)).status, 200);
    await page.reload();
    await page.getByRole('button', { name: 'Revoke token deploy bot' }).waitFor();
    assert.equal(await page.getByTestId('new-token').count(), 0);
    assert.equal(await page.getByText(token).count(), 0);
    await page.getByRole('button', { name: 'Revoke token deploy bot' }).click();
    await poll('token revoked', async () => (await h.get('/api/v4/users/me', token)).status === 401);
    await page.getByText(/revoked/).waitFor();
    await context.close();
  });

  test('severities and roles: add and archive through the RPC services; users and teams; webhooks and integrations listed', async () => {
    const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    await page.goto(`${h.url}/settings`);
    await page.getByText('http://127.0.0.1:9/receiver').waitFor();
    await page.getByText('Prod alerts').waitFor();

    await page.getByLabel('Severity name').fill('sev-zero');
    await page.getByLabel('Level').fill('0');
    await page.getByRole('button', { name: 'Add severity' }).click();
    // The server's refusal is shown beside the form that caused it, and the typed name stays.
    await page.locator('#severities').getByRole('alert').getByText(/0 is reserved for pending/).waitFor();
    assert.equal(await page.getByLabel('Severity name').inputValue(), 'sev-zero');
    await page.getByLabel('Level').fill('4');
    await page.getByRole('button', { name: 'Add severity' }).click();
    await page.getByRole('button', { name: 'Archive severity sev-zero' }).click();
    await page.getByRole('button', { name: 'Restore severity sev-zero' }).waitFor();
    const sevs = (await h.post(`${RPC}/SeveritiesService.GetOrgSeverities`, {})).body.severities;
    assert.equal(sevs.find((s: any) => s.displayLabel === 'sev-zero')?.archived, true);

    await page.getByLabel('Role name').fill('scribe');
    await page.getByRole('button', { name: 'Add role' }).click();
    await page.getByRole('button', { name: 'Archive role scribe' }).waitFor();
    assert.ok((await h.post(`${RPC}/RolesService.GetRoles`, {})).body.roles.some((r: any) => r.name === 'scribe' && !r.archived));

    await page.getByLabel('Username').fill('oncall-two');
    await page.getByLabel('Email').fill('oncall-two@example.test');
    await page.getByLabel('Password').fill('a-long-enough-password-1');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByText('@oncall-two').waitFor();
    await page.getByLabel('Team name').fill('Payments SRE');
    await page.getByRole('button', { name: 'Create team' }).click();
    await page.locator('#teams').getByText('payments-sre').waitFor();

    // The new role is offered on the incident page.
    await page.goto(`${h.url}/incidents/${id}`);
    await page.getByLabel('Assign scribe').waitFor();
    await context.close();
  });

  test('axe: no serious or critical violations on settings, light and dark; no horizontal scroll on a phone', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      for (const [device, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]] as const) {
        const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD, { viewport, colorScheme: scheme });
        await page.goto(`${h.url}/settings`);
        await page.getByText('Prod alerts').waitFor();
        assert.deepEqual(await seriousViolations(page), [], `settings ${scheme} ${device}`);
        if (device === 'phone') assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390);
        await shot(page, `settings-${scheme}-${device}`);
        await context.close();
      }
    }
  });
});
