/**
 * Time to the first painted table row of the portfolio page in Debian's Chromium: from the page's navigation start to
 * the frame's first `tbody tr` having been through a paint (two animation frames after it exists), both read off the
 * browser's clock. A fresh browser context per
 * run, so nothing is cached between runs but what a returning user's HTTP cache would hold anyway (none here). Each
 * run waits, untimed, for the page's full load before the next begins.
 */
import { type Browser } from 'playwright-core';
import { launchBrowser } from '../test/e2e/browser';
import { median } from './stats';

const FRAME = 'iframe[data-module="tollgate-portfolio"]';
/** Generous: a page that never paints a row is reported as a failure, not waited on for ever. */
const ROW_TIMEOUT_MS = 120_000;

export interface PaintFigures {
  readonly medianMs: number;
  readonly runs: readonly number[];
}

/**
 * Runs in every frame from its first byte: in the app's frame, notes (in the browser's own clock, as milliseconds since
 * the epoch) the moment the first table row has been through a paint. The browser keeps the time, not this process:
 * the sandbox answers the page's own requests on this process's thread, and a long synchronous stretch of the full
 * load would otherwise delay when this process hears about a row that the person already sees.
 */
const FIRST_ROW_PROBE = `(() => {
  let seen = false;
  const look = () => {
    if (seen || !document.querySelector('.project-table tbody tr')) return;
    seen = true;
    requestAnimationFrame(() => requestAnimationFrame(() => {
      window.__tollgateFirstRowAt = performance.timeOrigin + performance.now();
    }));
  };
  new MutationObserver(look).observe(document, { childList: true, subtree: true });
})();`;

/** One load of the portfolio page as the sandbox's default user (the PMO lead); milliseconds to the painted row. */
async function firstRowOnce(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    await context.addInitScript(FIRST_ROW_PROBE);
    const page = await context.newPage();
    await page.goto(`${url}/jira/apps/tollgate-portfolio`);
    const handle = await page.waitForSelector(FRAME, { timeout: ROW_TIMEOUT_MS });
    const frame = await handle.contentFrame();
    if (!frame) throw new Error('the portfolio frame has no document');
    // Polled with plain evaluations: `waitForFunction` compiles its predicate inside the page, which the Custom UI
    // frame's CSP (no 'unsafe-eval', as on Forge) refuses. The probe records the paint time itself, so polling every
    // 20 ms does not blur it. Strings, so the browser-side code needs no DOM types in this Node project.
    const deadline = Date.now() + ROW_TIMEOUT_MS;
    let paintedAt: number | undefined;
    while ((paintedAt = await frame.evaluate<number | undefined>('window.__tollgateFirstRowAt')) === undefined) {
      if (Date.now() > deadline) throw new Error(`no portfolio row was painted in ${ROW_TIMEOUT_MS} ms`);
      await new Promise((done) => setTimeout(done, 20));
    }
    // From the top page's navigation start, in the same (epoch) clock.
    const navigatedAt = await page.evaluate<number>('performance.timeOrigin');
    // The first rows may be the provisional ones, with the full load still running. Untimed, let it finish: the
    // sandbox runs every invocation on one thread (Forge gives each its own), so a load left running would slow the
    // next run's page down by work that is not its own.
    await frame
      .waitForSelector('[data-testid="total-projects"], [role="alert"], .empty', { timeout: ROW_TIMEOUT_MS })
      .catch(() => undefined);
    return paintedAt - navigatedAt;
  } finally {
    await context.close();
  }
}

/** A warm-up load, then `runs` timed ones; `beforeEach` runs before every load (a fresh quota allowance). */
export async function measureFirstRow(url: string, runs: number, beforeEach: () => void): Promise<PaintFigures> {
  const browser = await launchBrowser();
  try {
    beforeEach();
    await firstRowOnce(browser, url);
    const times: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      beforeEach();
      times.push(await firstRowOnce(browser, url));
    }
    return { medianMs: median(times), runs: times };
  } finally {
    await browser.close();
  }
}
