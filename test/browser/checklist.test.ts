import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startHarness, type Harness, type TestUser } from '../helpers/harness.ts';
import { ensureWebBuilt, launch, newSignedInPage, poll } from './browser.ts';

const PASSWORD = 'admin-password-for-the-ui';
const PB = '/plugins/playbooks/api/v0';
const RPC = '/api/plugins/grafana-incident-app/resources/api/v1';

describe('browser: checklist items, roles and followers', () => {
  let h: Harness;
  let browser: Browser;
  let responder: TestUser;
  let id = '';

  before(async () => {
    ensureWebBuilt();
    h = await startHarness('pglite', { env: { MUSTER_ADMIN_PASSWORD: PASSWORD } });
    browser = await launch();
    responder = await h.user('responder');
    const run = await h.post(`${PB}/runs`, { name: 'Queue backlog', owner_user_id: h.admin.id, team_id: h.teamId });
    assert.equal(run.status, 201, run.text);
    id = run.body.id;
    for (const title of ['Drain the queue', 'Scale workers', 'Tell support']) {
      assert.equal((await h.post(`${PB}/runs/${id}/checklists/0/add`, { title })).status, 201);
    }
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  const run = async () => (await h.get(`${PB}/runs/${id}`)).body;
  const titles = async () => (await run()).checklists[0].items.map((i: { title: string }) => i.title);
  const rowTitles = (page: Page) => page.locator('.checklist .item .item-title').allInnerTexts();

  test('add, edit and delete an item (delete asks first)', async () => {
    const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    await page.goto(`${h.url}/incidents/${id}`);
    const list = (await run()).checklists[0].title as string;
    await page.getByLabel(`New item in ${list}`).fill('Write the timeline');
    await page.getByLabel(`New item in ${list}`).press('Enter');
    await page.getByRole('checkbox', { name: 'Write the timeline' }).waitFor();
    assert.equal((await titles()).at(-1), 'Write the timeline');

    await page.getByRole('button', { name: 'More: Write the timeline' }).click();
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByLabel('Title', { exact: true }).fill('Write the incident timeline');
    await page.getByLabel('Slash command').fill('/echo timeline started');
    await page.getByRole('button', { name: 'Save item' }).click();
    await page.getByRole('checkbox', { name: 'Write the incident timeline' }).waitFor();
    const item = (await run()).checklists[0].items.at(-1);
    assert.deepEqual([item.title, item.command], ['Write the incident timeline', '/echo timeline started']);

    await page.getByRole('button', { name: 'More: Write the incident timeline' }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const confirm = page.getByRole('group', { name: 'Delete Write the incident timeline?' });
    await confirm.getByRole('button', { name: 'Keep' }).click();
    assert.ok((await titles()).includes('Write the incident timeline'));
    await page.getByRole('button', { name: 'More: Write the incident timeline' }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('button', { name: 'Delete item' }).click();
    await poll('item deleted', async () => !(await titles()).includes('Write the incident timeline'));
    await page.getByRole('checkbox', { name: 'Write the incident timeline' }).waitFor({ state: 'detached' });
    await context.close();
  });

  test('keyboard reorder: handle, Enter, ArrowDown, Enter moves the item; it persists and a second page shows it', async () => {
    const a = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    const b = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    await a.page.goto(`${h.url}/incidents/${id}`);
    await b.page.goto(`${h.url}/incidents/${id}`);
    const before0 = await titles();
    const first = before0[0] as string;
    await a.page.getByRole('button', { name: `Reorder: ${first}` }).focus();
    await a.page.keyboard.press('Enter');
    assert.equal(await a.page.getByRole('button', { name: `Reorder: ${first}` }).getAttribute('aria-pressed'), 'true');
    await a.page.keyboard.press('ArrowDown');
    await a.page.keyboard.press('Enter');
    const expected = [before0[1], first, ...before0.slice(2)];
    await poll('order saved', async () => JSON.stringify(await titles()) === JSON.stringify(expected));
    await poll('B shows the new order', async () => JSON.stringify(await rowTitles(b.page)) === JSON.stringify(expected));
    // Focus stays on the moved item's handle, so it can be moved again at once.
    assert.equal(await a.page.evaluate(() => document.activeElement?.getAttribute('aria-label')), `Reorder: ${first}`);
    // Escape puts a picked-up item back without a request.
    await a.page.keyboard.press('Enter');
    await a.page.keyboard.press('ArrowUp');
    await a.page.keyboard.press('Escape');
    assert.deepEqual(await rowTitles(a.page), expected);
    assert.deepEqual(await titles(), expected);
    await a.context.close();
    await b.context.close();
  });

  test('a due date typed as "tomorrow 9am" is that instant in the browser time zone; past it the chip says Overdue', async () => {
    const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD, { timezoneId: 'America/New_York' });
    await page.clock.install();
    await page.goto(`${h.url}/incidents/${id}`);
    const counter = page.getByTestId('overdue-count');
    assert.equal(await counter.innerText(), '0 overdue');
    await page.getByRole('button', { name: 'More: Scale workers' }).click();
    await page.getByRole('button', { name: 'Due date', exact: true }).click();
    await page.getByLabel('Due date: Scale workers').fill('tomorrow 9am');
    await page.getByRole('button', { name: 'Set due date' }).click();
    const expected = await page.evaluate(() => {
      const d = new Date();
      d.setDate(d.getDate() + 1);
      d.setHours(9, 0, 0, 0);
      return d.getTime();
    });
    await poll('due date saved', async () => (await run()).checklists[0].items.find((i: any) => i.title === 'Scale workers').due_date === expected);
    const local = await page.evaluate((ms) => new Date(ms).toLocaleString('en-US', { timeZone: 'America/New_York', hour: 'numeric' }), expected);
    assert.equal(local, '9 AM');
    await page.locator('.due-chip').getByText(/^Due in/).waitFor();
    await page.clock.fastForward(2 * 24 * 3600 * 1000);
    await page.locator('.due-chip').getByText(/^Overdue/).waitFor();
    assert.equal(await counter.innerText(), '1 overdue');
    await context.close();
  });

  test('bulk select: assign and set a due date on every selected item in one action', async () => {
    const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    await page.goto(`${h.url}/incidents/${id}`);
    await page.getByRole('button', { name: 'Select: Drain the queue' }).click();
    await page.getByRole('button', { name: 'Select: Tell support' }).click();
    const bar = page.getByRole('region', { name: 'Selected items' });
    await bar.getByText('2 selected').waitFor();
    await bar.getByLabel('Assign selected to').selectOption({ label: 'responder' });
    await bar.getByRole('button', { name: 'Assign selected' }).click();
    await bar.waitFor({ state: 'detached' });
    const items = (await run()).checklists[0].items as Array<{ title: string; assignee_id: string }>;
    const assigned = items.filter((i) => i.assignee_id === responder.id).map((i) => i.title).sort();
    assert.deepEqual(assigned, ['Drain the queue', 'Tell support']);
    await page.getByRole('button', { name: 'Select: Drain the queue' }).click();
    await page.getByRole('button', { name: 'Select: Tell support' }).click();
    await bar.getByLabel('Due date for selected').fill('in 3 hours');
    await bar.getByRole('button', { name: 'Set due date' }).click();
    await bar.waitFor({ state: 'detached' });
    const dues = ((await run()).checklists[0].items as Array<{ title: string; due_date: number }>)
      .filter((i) => ['Drain the queue', 'Tell support'].includes(i.title))
      .map((i) => i.due_date);
    assert.equal(dues.length, 2);
    assert.ok(dues.every((d) => d > Date.now() + 2.9 * 3600_000 && d === dues[0]), JSON.stringify(dues));
    await context.close();
  });

  test('Run executes the item command and shows when; a server error shows beside the item and rolls back', async () => {
    assert.equal((await h.put(`${PB}/runs/${id}/checklists/0/item/0`, { title: (await titles())[0], command: '/echo draining now' })).status, 200);
    const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    await page.goto(`${h.url}/incidents/${id}`);
    const title = (await titles())[0] as string;
    const row = page.locator('.item', { has: page.getByRole('checkbox', { name: title, exact: true }) });
    await page.route('**/item/0/run', (route) => route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":"command runner exploded"}' }));
    await row.getByRole('button', { name: `Run /echo draining now: ${title}` }).click();
    await row.getByRole('alert').getByText('command runner exploded').waitFor();
    assert.equal(await row.getByRole('button', { name: /^Run \/echo/ }).innerText(), 'Run');
    assert.equal(await row.getByText(/ran at/).count(), 0);
    assert.equal((await run()).checklists[0].items[0].command_last_run, 0);
    await page.unroute('**/item/0/run');
    await row.getByRole('button', { name: `Run /echo draining now: ${title}` }).click();
    await row.getByText(/ran at/).waitFor();
    await poll('command ran', async () => (await run()).checklists[0].items[0].command_last_run > 0);
    await poll('ran_slash_command on the timeline', async () => (await run()).timeline_events.some((e: any) => e.event_type === 'ran_slash_command'));
    assert.equal(await row.getByRole('alert').count(), 0);
    await context.close();
  });

  test('a role is assigned and unassigned with the keyboard; the timeline and the RPC show it; follow and unfollow', async () => {
    const { context, page } = await newSignedInPage(browser, h.url, 'admin', PASSWORD);
    await page.goto(`${h.url}/incidents/${id}`);
    const select = page.getByLabel('Assign investigator');
    await select.focus();
    await page.keyboard.type('resp');
    await poll('type-ahead picked responder', async () => (await page.getByRole('button', { name: 'Unassign responder from investigator' }).count()) === 1);
    const incident = async () => (await h.post(`${RPC}/IncidentsService.GetIncident`, { incidentID: id })).body.incident;
    await poll('RPC shows the investigator', async () => (await incident()).roles.some((r: any) => r.role === 'investigator' && r.user.name === 'responder'));
    await page.locator('.timeline').getByText('assigned investigator to @responder').waitFor();
    assert.ok((await run()).timeline_events.some((e: any) => e.event_type === 'role_assigned' && e.subject_user_id === responder.id));
    await page.getByRole('button', { name: 'Unassign responder from investigator' }).focus();
    await page.keyboard.press('Enter');
    await poll('RPC shows no investigator', async () => !(await incident()).roles.some((r: any) => r.role === 'investigator'));
    await page.locator('.timeline').getByText('unassigned investigator from @responder').waitFor();

    const follow = page.locator('.details').getByRole('button', { name: /^(Follow|Unfollow)$/ });
    const was = (await run()).follower_ids.includes(h.admin.id) as boolean;
    await follow.click();
    await poll('follow toggled', async () => (await run()).follower_ids.includes(h.admin.id) !== was);
    await page.locator('.details').getByRole('button', { name: was ? 'Follow' : 'Unfollow' }).click();
    await poll('follow toggled back', async () => (await run()).follower_ids.includes(h.admin.id) === was);
    await context.close();
  });
});
