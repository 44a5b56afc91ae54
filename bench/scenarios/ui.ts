import type { Browser, Page } from 'playwright-core';
import { ensureWebBuilt } from '../../test/helpers/web-build.ts';
import { launch } from '../../test/browser/browser.ts';
import { Api, createMember } from '../lib/api.ts';
import { freshTarget, rounds, startOn, type BenchContext, type Scenario } from '../lib/context.ts';
import { incidentWithHistory } from '../lib/fixtures.ts';
import { ADMIN_TOKEN } from '../lib/muster.ts';
import { budgetFigure, type ScenarioReport } from '../lib/report.ts';

const BUDGET_MS = 1000;

/** From navigation start: first contentful paint, and the war room drawn (every item and the timeline rows in the DOM). */
async function loadOnce(page: Page, url: string, items: number): Promise<{ fcp: number; ready: number; rows: number }> {
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction((n) => document.querySelectorAll('.checklist .item').length === n && document.querySelectorAll('.timeline .event').length > 0, items, {
    polling: 'raf',
    timeout: 30_000,
  });
  return page.evaluate(() => ({
    ready: performance.now(),
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
    rows: document.querySelectorAll('.timeline .event').length,
  }));
}

async function signedInPage(browser: Browser, url: string, username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel('Username or email').fill(username);
  await page.getByLabel('Password').fill('bench-password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

export const ui: Scenario = {
  name: 'ui',
  title: 'War-room UI: an incident with 200 timeline events and 100 items drawn in Chromium',
  async run(ctx: BenchContext, report: ScenarioReport) {
    ensureWebBuilt();
    const [items, events] = ctx.smoke ? [10, 20] : [100, 200];
    const browser = await launch();
    try {
      for (const kind of ctx.kinds) {
        const server = await startOn(await freshTarget(ctx, kind));
        try {
          const member = await createMember(new Api(server.url, ADMIN_TOKEN), 'uibench');
          const runId = await incidentWithHistory(member, 'UI bench', items, events);
          const page = await signedInPage(browser, server.url, 'uibench');
          const url = `${server.url}/incidents/${runId}`;
          await loadOnce(page, url, items); // warm: the browser's cache holds the assets, as for a returning user
          const measured = await rounds(ctx, async (i) => {
            const m = await loadOnce(page, url, items);
            ctx.log(`  ${kind} round ${i + 1}: first paint ${Math.round(m.fcp)} ms, war room drawn ${Math.round(m.ready)} ms, ${m.rows} timeline rows`);
            return m;
          });
          await page.context().close();
          report.figures.push(
            budgetFigure(`${kind}: first contentful paint (${events} events, ${items} items)`, measured.map((m) => m.fcp), BUDGET_MS),
            budgetFigure(`${kind}: war room drawn (every item and the timeline rows)`, measured.map((m) => m.ready), BUDGET_MS),
          );
        } finally {
          await server.stop();
        }
      }
    } finally {
      await browser.close();
    }
    report.notes.push(
      `Debian's Chromium (headless, playwright-core) loads /incidents/<id> of a run with ${events} timeline events and ${items} checklist items, signed in, assets cached by one earlier load. Times run from navigation start: the first contentful paint, and the moment (polled every animation frame) when all ${items} items and the timeline rows are in the DOM. Budget ${BUDGET_MS} ms for both.`,
    );
  },
};
