import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { ensureWebBuilt, launch, newSignedInPage, poll } from './browser.ts';

const PASSWORD = 'admin-password-for-the-ui';
const PB = '/plugins/playbooks/api/v0';

/** What has focus now, and whether it shows a focus ring (an outline of 2 px or more, or a box shadow). */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none';
    const label = (el as HTMLInputElement).labels?.[0]?.textContent?.trim();
    const name = el.getAttribute('aria-label') ?? (label || el.textContent?.trim().slice(0, 40) || el.tagName);
    return { name, tag: el.tagName, ring, how: `${style.outlineStyle} ${style.outlineWidth} ${style.boxShadow}` };
  });
}

/** Presses Tab until `want` has focus (at most `limit` times); fails if it never does. */
async function tabTo(page: Page, want: (f: { name: string; tag: string }) => boolean, limit = 120): Promise<void> {
  const path: string[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f && want(f)) return;
    path.push(f ? `${f.tag}:${f.name}` : '-');
  }
  throw new Error(`never reached the wanted element with Tab; went through ${path.join(' | ')}`);
}

describe('browser: the keyboard alone, with a visible focus ring', () => {
  let h: Harness;
  let browser: Browser;
  let id = '';

  before(async () => {
    ensureWebBuilt();
    h = await startHarness('pglite', { env: { MUSTER_ADMIN_PASSWORD: PASSWORD } });
    browser = await launch();
    const run = await h.post(`${PB}/runs`, { name: 'Disk full', owner_user_id: h.admin.id, team_id: h.teamId });
    assert.equal(run.status, 201, run.text);
    id = run.body.id;
    assert.equal((await h.post(`${PB}/runs/${id}/checklists/0/add`, { title: 'Rotate the logs' })).status, 201);
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  test('every Tab stop on the incident page shows a focus ring', async () => {
    const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    await page.goto(`${h.url}/incidents/${id}`);
    await page.locator('.ticker').waitFor();
    const missing: string[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      if (!f) continue;
      seen.add(f.name);
      if (!f.ring) missing.push(`${f.tag} ${f.name} (${f.how})`);
    }
    assert.ok(seen.size > 20, `only ${seen.size} distinct stops`);
    assert.deepEqual(missing, []);
    await context.close();
  });

  test('check an item, add a note and post an update with the keyboard only', async () => {
    const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    await page.goto(`${h.url}/incidents/${id}`);
    await page.locator('.ticker').waitFor();
    const item = () => h.get(`${PB}/runs/${id}`).then((r) => r.body.checklists[0].items.find((i: any) => i.title === 'Rotate the logs'));
    await tabTo(page, (f) => f.tag === 'INPUT' && f.name === 'Rotate the logs');
    await page.keyboard.press('Space');
    await poll('item checked', async () => (await item()).state === 'closed');

    await tabTo(page, (f) => f.tag === 'TEXTAREA');
    await page.keyboard.type('Freed 40 GB');
    await tabTo(page, (f) => f.name === 'Add note', 12);
    await page.keyboard.press('Enter');
    await page.locator('.timeline .event').getByText('Freed 40 GB').waitFor();

    await page.keyboard.press('Escape'); // leave the text field's focus context for the page shortcut
    await page.locator('body').focus();
    await page.keyboard.press('u');
    const dialog = page.getByRole('dialog', { name: 'Post a status update' });
    await dialog.waitFor();
    await page.keyboard.type('Disk at 60%.');
    await tabTo(page, (f) => f.name === 'Post update', 6);
    await page.keyboard.press('Enter');
    await page.locator('.update').getByText('Disk at 60%.').waitFor();
    await context.close();
  });
});
