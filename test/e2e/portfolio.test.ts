import { readFileSync } from 'node:fs';
import type { FrameLocator, Page } from 'playwright-core';
import { PEOPLE } from '../../sandbox/seed/people';
import { screenshot } from './browser';
import { appFrame, seriousAxeViolations, type Session, type SessionOptions, useE2eWorld } from './sandbox-session';

jest.setTimeout(180_000);

/** Splits one CSV line on commas outside quotes. */
function csvCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      cells.push(cell);
      cell = '';
    } else cell += char;
  }
  cells.push(cell);
  return cells;
}

/** The Tollgate portfolio page (jira:globalPage) in the sandbox, as the PMO lead and an outsider use it. */
describe('the Tollgate portfolio page in a real browser', () => {
  const world = useE2eWorld('portfolio');

  /** A fresh session that reaches the portfolio through the sandbox's navigation, as `accountId`. */
  async function openPortfolio(
    accountId: string,
    options: SessionOptions & { navLabel?: string } = {},
  ): Promise<Session & { frame: FrameLocator }> {
    const { context, page } = await world.open(accountId, '/jira/issues', {
      viewport: { width: 1400, height: 900 },
      ...options,
    });
    await page.getByRole('link', { name: options.navLabel ?? 'Tollgate portfolio' }).click();
    await page.waitForLoadState('load');
    const frame = page.frameLocator('iframe[data-module="tollgate-portfolio"]');
    await frame.locator('.project-table tbody tr').first().waitFor();
    return { context, page, frame };
  }

  /** Screenshots once the host has sized the frame to its content (it measures every 300 ms). */
  async function capture(page: Page, name: string): Promise<void> {
    await page.waitForFunction(
      `(() => { const f = document.querySelector('iframe[data-module="tollgate-portfolio"]'); const d = f && f.contentDocument; return !!d && f.clientHeight >= d.documentElement.scrollHeight; })()`,
      undefined,
      { timeout: 10_000 },
    );
    await screenshot(page, name);
  }

  async function tableKeys(frame: FrameLocator): Promise<string[]> {
    return frame.locator('.project-table .issue-key').allTextContents();
  }

  it('lets the PMO lead filter by a heat-map cell and download exactly the filtered rows as CSV', async () => {
    const { context, page, frame } = await openPortfolio(PEOPLE.pmoLead.accountId);
    await expect(frame.getByTestId('total-projects').textContent()).resolves.toBe('40');
    await frame.getByText('40 of 40 projects match').waitFor();
    await expect(frame.locator('.tile[data-kpi="gateCompliance"]').textContent()).resolves.toMatch(/\d+ of \d+/);
    await capture(page, 'portfolio-pmo');
    expect(await seriousAxeViolations(await appFrame(page, 'tollgate-portfolio'))).toEqual([]);

    const cell = frame.locator('button.heat-cell:not([disabled])').first();
    await cell.waitFor();
    const before = await tableKeys(frame);
    await cell.click();
    await expect(cell.getAttribute('aria-pressed')).resolves.toBe('true');
    await frame.getByText(/^Risks at likelihood \d, impact \d$/).waitFor();
    const status = frame.getByTestId('row-count');
    // Fewer than 40: the narrowed table has answered.
    await frame.getByText(/^(?:[1-9]|[1-3]\d) of 40 projects match$/).waitFor();
    const shown = Number(/^(\d+) of 40/.exec((await status.textContent()) ?? '')?.[1]);
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(40);
    await frame
      .locator('.project-table tbody tr')
      .nth(shown - 1)
      .waitFor();
    await expect(frame.locator('.project-table tbody tr').count()).resolves.toBe(Math.min(shown, 25));
    const after = await tableKeys(frame);
    expect(after).not.toEqual(before);
    await capture(page, 'portfolio-pmo-filtered');

    const downloading = page.waitForEvent('download');
    await frame.getByRole('button', { name: 'Download CSV' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('tollgate-portfolio-2026-11-21.csv');
    const text = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
    const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
    expect(csvCells(lines[0] ?? '')[0]).toBe('Key');
    const csvKeys = lines.slice(1).map((line) => csvCells(line)[0]);
    expect(csvKeys).toHaveLength(shown);
    expect(new Set(csvKeys)).toEqual(new Set(after));
    await context.close();
  });

  it('shows an outsider no project of the hidden CONF space anywhere on the page', async () => {
    const { context, page, frame } = await openPortfolio(PEOPLE.outsider.accountId);
    const total = Number(await frame.getByTestId('total-projects').textContent());
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(40);
    const text = await frame.locator('body').innerText();
    expect(text).not.toMatch(/\bCONF-\d+/);
    await capture(page, 'portfolio-outsider');
    await context.close();
  });

  it('renders in Norwegian (bokmål) in the dark theme', async () => {
    const { context, page, frame } = await openPortfolio(PEOPLE.pmoLead.accountId, {
      locale: 'nb-NO',
      theme: 'dark',
      navLabel: 'Tollgate-portefølje',
    });
    await frame.getByRole('heading', { name: 'Prosjekter' }).waitFor();
    await frame.getByRole('button', { name: 'Last ned CSV' }).waitFor();
    await frame.getByRole('columnheader', { name: /Neste port/ }).waitFor();
    await expect(frame.locator('html').getAttribute('data-color-mode')).resolves.toBe('dark');
    await capture(page, 'portfolio-nb-dark');
    await context.close();
  });
});
