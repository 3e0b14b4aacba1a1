import { readFileSync } from 'node:fs';
import type { FrameLocator, Page } from 'playwright-core';
import { PEOPLE } from '../../sandbox/seed/people';
import { screenshot } from './browser';
import { appFrame, seriousAxeViolations, type Session, type SessionOptions, useE2eWorld } from './sandbox-session';

const PORTFOLIO = 'tollgate-portfolio';

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
    // The first rows may be the provisional ones (portfolio/firstRows): the journeys below act on the full table.
    await frame.getByTestId('total-projects').waitFor();
    return { context, page, frame };
  }

  /**
   * Opens the portfolio with `portfolio/load` held at the bridge until the test lets it go (then answered by the
   * backend, or with `answer` instead), so what the page shows before the full load is observable without timing.
   */
  async function openWithFullLoadHeld(
    accountId: string,
    answer?: unknown,
  ): Promise<Session & { frame: FrameLocator; release: () => void }> {
    const { context, page } = await world.open(accountId, '/jira/issues', { viewport: { width: 1400, height: 900 } });
    let release = () => undefined as void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    await context.route('**/forge/bridge/**', async (route) => {
      if (!(route.request().postData() ?? '').includes('"functionKey":"portfolio/load"')) return route.continue();
      await released;
      if (answer === undefined) return route.continue();
      return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ result: answer }) });
    });
    await page.getByRole('link', { name: 'Tollgate portfolio' }).click();
    const frame = page.frameLocator('iframe[data-module="tollgate-portfolio"]');
    return { context, page, frame, release };
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

  it('paints the worst projects first while it counts the whole portfolio, then the full table replaces them', async () => {
    const { context, page, frame, release } = await openWithFullLoadHeld(PEOPLE.pmoLead.accountId);
    await frame.getByTestId('provisional-status').waitFor();
    await expect(frame.getByTestId('provisional-status').textContent()).resolves.toContain(
      'Counting the whole portfolio…',
    );
    const provisional = await tableKeys(frame);
    expect(provisional.length).toBeGreaterThan(0);
    expect(provisional.length).toBeLessThanOrEqual(25);
    // Nothing of the whole portfolio is claimed yet: the tiles are placeholders, the pick-lists and pager absent.
    await expect(frame.getByTestId('tiles-pending').isVisible()).resolves.toBe(true);
    await expect(frame.getByTestId('total-projects').count()).resolves.toBe(0);
    await expect(frame.locator('.pager').count()).resolves.toBe(0);
    await capture(page, 'portfolio-provisional');
    expect(await seriousAxeViolations(await appFrame(page, 'tollgate-portfolio'))).toEqual([]);

    release();
    await frame.getByTestId('total-projects').waitFor();
    await expect(frame.getByTestId('provisional-status').count()).resolves.toBe(0);
    await expect(frame.getByTestId('tiles-pending').count()).resolves.toBe(0);
    await frame.getByText('40 of 40 projects match').waitFor();
    // The index is fresh in the seeded sandbox, so the full table starts with the very rows shown before it.
    expect((await tableKeys(frame)).slice(0, provisional.length)).toEqual(provisional);
    // A next gate already behind a project is flagged beside its date (the seeded PMO-8's was on 12 November).
    await frame.locator('tr', { hasText: 'PMO-8' }).locator('.next-gate', { hasText: 'Overdue' }).waitFor();
    await context.close();
  });

  it('keeps the first rows on screen and says so when the whole portfolio cannot be counted', async () => {
    const failure = {
      success: false,
      errors: [{ errorType: 'UNAVAILABLE', message: 'Jira did not answer in time. Try again in a minute.' }],
    };
    const { context, page, frame, release } = await openWithFullLoadHeld(PEOPLE.pmoLead.accountId, failure);
    await frame.getByTestId('provisional-status').waitFor();
    const provisional = await tableKeys(frame);
    release();
    await frame.getByText('The first projects are shown, but the whole portfolio could not be counted.').waitFor();
    await expect(frame.getByTestId('provisional-status').count()).resolves.toBe(0);
    expect(await tableKeys(frame)).toEqual(provisional);
    expect(await seriousAxeViolations(await appFrame(page, 'tollgate-portfolio'))).toEqual([]);
    await context.close();
  });

  it('lets the PMO lead filter by a heat-map cell and download exactly the filtered rows as CSV', async () => {
    const { context, page, frame } = await openPortfolio(PEOPLE.pmoLead.accountId);
    await expect(frame.getByTestId('total-projects').textContent()).resolves.toBe('40');
    await frame.getByText('40 of 40 projects match').waitFor();
    await expect(frame.locator('.tile[data-tile="gateCompliance"]').textContent()).resolves.toMatch(/\d+ of \d+/);
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
    // The sandbox's day, whichever it is when the suite runs.
    expect(download.suggestedFilename()).toMatch(/^tollgate-portfolio-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
    const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
    expect(csvCells(lines[0] ?? '')[0]).toBe('Key');
    const csvKeys = lines.slice(1).map((line) => csvCells(line)[0]);
    expect(csvKeys).toHaveLength(shown);
    expect(new Set(csvKeys)).toEqual(new Set(after));
    await context.close();
  });

  /** Reads a downloaded CSV into its header and rows of cells. */
  async function downloadCsv(page: Page, frame: FrameLocator): Promise<{ header: string[]; rows: string[][] }> {
    const downloading = page.waitForEvent('download');
    await frame.getByRole('button', { name: 'Download CSV' }).click();
    const download = await downloading;
    const text = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
    const [header, ...rows] = text
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '')
      .map(csvCells);
    return { header: header ?? [], rows };
  }

  /** Picks the first option of a pick-list filter that matches what is typed, as a keyboard user does. */
  async function pick(frame: FrameLocator, label: string, typed: string): Promise<void> {
    const input = frame.getByLabel(label, { exact: true });
    await input.click();
    await input.fill(typed);
    await frame.getByRole('option').first().waitFor();
    await input.press('Enter');
    await input.press('Escape');
  }

  it('filters by owner and last decision, and the CSV holds exactly the rows the table shows', async () => {
    const { context, page, frame } = await openPortfolio(PEOPLE.pmoLead.accountId);
    await frame.getByLabel('Owner', { exact: true }).waitFor();
    await pick(frame, 'Owner', PEOPLE.owner.displayName);
    await pick(frame, 'Last decision', 'Go (');
    // The chosen values show as chips in their pick-lists, with the counts of the whole portfolio.
    await frame.getByText(new RegExp(`^${PEOPLE.owner.displayName} \\(\\d+\\)$`)).waitFor();
    await frame.getByText(/^Go \(\d+\)$/).waitFor();

    const csv = await downloadCsv(page, frame);
    const owner = csv.header.indexOf('Owner');
    const decision = csv.header.indexOf('Last decision');
    expect(csv.rows.length).toBeGreaterThan(0);
    // The decision as people read it, not its code.
    expect(csv.rows.every((row) => row[owner] === PEOPLE.owner.displayName && row[decision] === 'Go')).toBe(true);
    // The table has answered for both filters when it counts what the CSV holds.
    await frame.getByText(`${csv.rows.length} of 40 projects match`).waitFor();
    await frame
      .locator('.project-table tbody tr')
      .nth(csv.rows.length - 1)
      .waitFor();
    expect(new Set(await tableKeys(frame))).toEqual(new Set(csv.rows.map((row) => row[0])));
    await capture(page, 'portfolio-owner-decision');
    expect(await seriousAxeViolations(await appFrame(page, PORTFOLIO))).toEqual([]);

    await frame.getByRole('button', { name: 'Clear filters' }).click();
    await frame.getByText('40 of 40 projects match').waitFor();
    await context.close();
  });

  it('filters the table to a stage from the stage funnel, and back', async () => {
    const { context, page, frame } = await openPortfolio(PEOPLE.pmoLead.accountId);
    const stage = frame.getByRole('button', { name: /^Development \d+ projects?: \d+ red/ });
    const live = Number(await stage.locator('.funnel-count').textContent());
    expect(live).toBeGreaterThan(0);
    await stage.click();
    await expect(stage.getAttribute('aria-pressed')).resolves.toBe('true');
    // The funnel counts live projects; the table also lists those closed in that stage.
    await frame.getByText(/^(?:[1-9]|[1-3]\d) of 40 projects match$/).waitFor();
    const shown = Number(/^(\d+) of 40/.exec((await frame.getByTestId('row-count').textContent()) ?? '')?.[1]);
    expect(shown).toBeGreaterThanOrEqual(live);
    await frame
      .locator('.project-table tbody tr')
      .nth(shown - 1)
      .waitFor();
    const stages = await frame.locator('.project-table tbody tr td:nth-child(3)').allTextContents();
    expect(stages).toHaveLength(shown);
    expect(stages.every((name) => name === 'Development')).toBe(true);
    // It is the stage pick-list's filter: the stage shows there as a chip.
    await frame.locator('.filter').filter({ hasText: 'Stage' }).getByText('Development', { exact: true }).waitFor();
    await capture(page, 'portfolio-funnel-stage');
    expect(await seriousAxeViolations(await appFrame(page, PORTFOLIO))).toEqual([]);

    await stage.click();
    await frame.getByText('40 of 40 projects match').waitFor();
    await expect(stage.getAttribute('aria-pressed')).resolves.toBe('false');
    await context.close();
  });

  it('shows the health trend from the weekly snapshots, its numbers, and the status-inflation flags', async () => {
    const { context, page, frame } = await openPortfolio(PEOPLE.pmoLead.accountId);
    const trend = frame.getByTestId('trend');
    const chart = trend.getByRole('img', { name: 'Projects by health, week by week' });
    await chart.waitFor();
    await expect(chart.getAttribute('aria-describedby')).resolves.toBeTruthy();
    await expect(trend.locator('polyline').count()).resolves.toBe(3);
    await trend
      .locator('p', { hasText: /^Weekly snapshots from Sep 28, 2026 to Nov 16, 2026: red \d+ → \d+/ })
      .waitFor();
    await trend.getByText('Show the numbers').click();
    await expect(trend.locator('table tbody tr').count()).resolves.toBe(8);
    const flags = trend.getByTestId('inflation').locator('li');
    expect(await flags.count()).toBeGreaterThan(0);
    await expect(flags.first().locator('a.issue-key').getAttribute('href')).resolves.toMatch(
      /^\/browse\/(PMO|CONF)-\d+$/,
    );
    await flags
      .first()
      .getByText(/^green in the week of .+, red in the week of .+$/)
      .waitFor();
    await trend.scrollIntoViewIfNeeded();
    await capture(page, 'portfolio-trend');
    expect(await seriousAxeViolations(await appFrame(page, PORTFOLIO))).toEqual([]);
    await context.close();
  });

  it('sorts by WSJF, lowest first then highest first, unscored projects last', async () => {
    const { context, page, frame } = await openPortfolio(PEOPLE.pmoLead.accountId);
    const live = await appFrame(page, PORTFOLIO);
    /**
     * Waits until the WSJF column reads in `direction` order (the server's answer has arrived), and returns it. Read
     * through locators, which run outside the page: a predicate evaluated in the page would need `eval`, which the
     * app's Content Security Policy rightly refuses.
     */
    const sortedWsjf = async (direction: 1 | -1): Promise<Array<number | null>> => {
      const column = live.locator('.project-table tbody tr td:nth-child(9)');
      const inOrder = (values: Array<number | null>) => {
        const scored = values.filter((v): v is number => v !== null);
        const blank = values.indexOf(null);
        return (
          scored.length > 1 &&
          scored.every((v, i) => i === 0 || direction * (v - (scored[i - 1] as number)) >= 0) &&
          (blank === -1 || values.slice(blank).every((v) => v === null))
        );
      };
      for (const started = performance.now(); ;) {
        const values = (await column.allTextContents()).map((text) => (text === '—' ? null : Number(text)));
        if (inOrder(values)) return values;
        if (performance.now() - started > 10_000)
          throw new Error(`the WSJF column is not in order: ${values.join(', ')}`);
        await page.waitForTimeout(100);
      }
    };
    const header = frame.getByRole('columnheader', { name: /WSJF/ });
    await header.getByRole('button').click();
    await expect(header.getAttribute('aria-sort')).resolves.toBe('ascending');
    const ascending = await sortedWsjf(1);
    await header.getByRole('button').click();
    await expect(header.getAttribute('aria-sort')).resolves.toBe('descending');
    const descending = await sortedWsjf(-1);
    // Highest first really is the other end of the scale, not the same page twice.
    expect(descending[0]).toBeGreaterThan(ascending[0] as number);
    await capture(page, 'portfolio-wsjf');
    await context.close();
  });

  it('shows a past week as its snapshot recorded it, with a banner, and goes back to live', async () => {
    const { context, page, frame } = await openPortfolio(PEOPLE.pmoLead.accountId);
    await frame.getByLabel('As of').fill('2026-10-14');
    const banner = frame.getByTestId('as-of-banner');
    await banner.getByText('Showing the week of Oct 12, 2026').waitFor();
    await banner.getByText(/you picked Oct 14, 2026/).waitFor();
    await frame.getByRole('heading', { name: 'Projects in the week of Oct 12, 2026' }).waitFor();
    await expect(frame.locator('.snapshot-table tbody tr').count()).resolves.toBe(40);
    // The trend ends with the week shown.
    await frame
      .getByTestId('trend')
      .locator('p', { hasText: /to Oct 12, 2026:/ })
      .waitFor();
    await capture(page, 'portfolio-as-of');
    expect(await seriousAxeViolations(await appFrame(page, PORTFOLIO))).toEqual([]);

    // Before the first snapshot there is nothing to show, and the page says so.
    await frame.getByLabel('As of').fill('2026-08-03');
    await frame.getByText('No snapshot for Aug 3, 2026').waitFor();
    // Later ones exist: the page names the earliest rather than saying there is none yet.
    await frame.getByText(/; the earliest is of the week of \w+ \d+, 2026\. Pick a day from then on/).waitFor();
    await frame
      .getByTestId('trend')
      .getByText(/^No weekly snapshot in the twelve weeks up to this day; the earliest is of the week of/)
      .waitFor();
    await capture(page, 'portfolio-as-of-none');

    await banner.waitFor({ state: 'detached' });
    await frame.getByRole('button', { name: 'Back to live' }).first().click();
    await frame.getByText('40 of 40 projects match').waitFor();
    await expect(frame.getByLabel('As of').inputValue()).resolves.toBe('');
    await context.close();
  });

  it('says what each KPI measures, and a KPI or RAG tile shows the projects it counts', async () => {
    const { context, page, frame } = await openPortfolio(PEOPLE.pmoLead.accountId);
    const onTime = frame.locator('.tile[data-tile="onTime"]');
    // The figure says what it is a share of, not a bare "2 of 2".
    const words = (await onTime.textContent()) ?? '';
    const counted = Number(/(\d+) projects? completed in 90 days/.exec(words)?.[1]);
    expect(counted).toBeGreaterThan(0);
    // Its definition on focus, as a tooltip, and to a screen reader as the button's description.
    const button = onTime.getByRole('button');
    const definition = 'finished on or before their due date';
    await expect(frame.locator(`#${await button.getAttribute('aria-describedby')}`).textContent()).resolves.toContain(
      definition,
    );
    await button.focus();
    await frame.getByRole('tooltip').filter({ hasText: definition }).waitFor();
    await capture(page, 'portfolio-kpi-definition');

    await button.click();
    await expect(button.getAttribute('aria-pressed')).resolves.toBe('true');
    await frame.getByTestId('kpi-chip').filter({ hasText: 'Counted by On time' }).waitFor();
    await frame.getByText(`${counted} of 40 projects match`).waitFor();
    const statuses = await frame.locator('.project-table tbody tr').allInnerTexts();
    expect(statuses.length).toBe(counted);
    expect(statuses.every((row) => row.includes('Completed'))).toBe(true);
    await capture(page, 'portfolio-kpi-filtered');
    await button.click();
    await frame.getByText('40 of 40 projects match').waitFor();

    const red = frame.locator('.tile[data-tile="red"]');
    const reds = Number(await red.locator('.tile-value').textContent());
    await red.getByRole('button').click();
    await frame.getByText(`${reds} of 40 projects match`).waitFor();
    await expect(red.getByRole('button').getAttribute('aria-pressed')).resolves.toBe('true');
    expect(await seriousAxeViolations(await appFrame(page, 'tollgate-portfolio'))).toEqual([]);
    await context.close();
  });

  it('keys the heat map: each band once, named and coloured as on every surface', async () => {
    const { context, page, frame } = await openPortfolio(PEOPLE.pmoLead.accountId);
    const legend = frame.getByRole('list', { name: 'Risk bands' });
    await expect(legend.locator('li').allTextContents()).resolves.toEqual([
      'Low 1–3',
      'Moderate 4–6',
      'High 8–12',
      'Extreme 15–25',
    ]);
    // The swatch of each band has the very colour of that band's squares, and the bands differ from each other.
    const document = await appFrame(page, 'tollgate-portfolio');
    const background = async (selector: string) =>
      String(await document.evaluate(`getComputedStyle(document.querySelector('${selector}')).backgroundColor`));
    const colours = new Set<string>();
    for (const band of ['low', 'moderate', 'high', 'extreme']) {
      const swatch = await background(`.band-legend li[data-band="${band}"] .band-swatch`);
      expect(swatch).toMatch(/^rgb/);
      await expect(background(`button.heat-cell.band-${band}`)).resolves.toBe(swatch);
      colours.add(swatch);
    }
    expect(colours.size).toBe(4);
    await context.close();
  });

  it('renders in Swedish in the light theme and fits its card at 1024 px', async () => {
    const { context, page, frame } = await openPortfolio(PEOPLE.pmoLead.accountId, {
      locale: 'sv-SE',
      navLabel: 'Tollgate-portfölj',
      viewport: { width: 1024, height: 800 },
    });
    await frame.getByRole('button', { name: 'Ladda ned CSV' }).waitFor();
    await frame.getByRole('list', { name: 'Risknivåer' }).locator('li', { hasText: 'Måttlig' }).waitFor();
    await frame.locator('.funnel-name', { hasText: 'Leveransfaser' }).waitFor();
    const text = await frame.locator('body').innerText();
    // No half-translated words: no English KPI lines, no "(s)"-style plurals.
    expect(text).not.toMatch(/\bof \d|projects? completed|\((s|ar|er)\)/);
    // The table stays inside its card: nothing is drawn over the column beside it.
    const table = await frame.locator('.project-table table').boundingBox();
    const card = await frame.locator('section.card', { has: frame.locator('.project-table') }).boundingBox();
    expect(table && card && table.x + table.width).toBeLessThanOrEqual((card?.x ?? 0) + (card?.width ?? 0) + 1);
    await capture(page, 'portfolio-sv-light-1024');
    await context.close();
  });

  it('says what changed since the last steering committee, and stops comparing', async () => {
    const { context, page, frame } = await openPortfolio(PEOPLE.pmoLead.accountId);
    await frame.getByLabel('Changes since').fill('2026-10-14');
    const changes = frame.getByTestId('changes');
    await changes.getByRole('heading', { name: /^What changed from Oct 14, 2026 to today$/ }).waitFor();
    await changes
      .getByText('Compares the weekly snapshot of the week of Oct 12, 2026 with the portfolio today.')
      .waitFor();
    // Each group says how many, and each project where it was and where it is.
    const groups = changes.locator('.change-group');
    await groups.first().waitFor();
    expect(await groups.count()).toBeGreaterThan(0);
    await expect(changes.locator('.change-list li').first().innerText()).resolves.toMatch(/^[A-Z]+-\d+/);
    await capture(page, 'portfolio-changes');
    expect(await seriousAxeViolations(await appFrame(page, PORTFOLIO))).toEqual([]);

    // Up to a later day: the two snapshots are compared.
    await frame.getByLabel('until').fill('2026-11-02');
    await changes.getByRole('heading', { name: /^What changed from Oct 14, 2026 to Nov 2, 2026$/ }).waitFor();
    await changes.getByText(/^Compares the weekly snapshots of the weeks of Oct 12, 2026 and Nov 2, 2026\./).waitFor();
    await frame.getByRole('button', { name: 'Stop comparing' }).click();
    await changes.waitFor({ state: 'detached' });
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
    await frame.getByRole('list', { name: 'Risikonivåer' }).locator('li', { hasText: 'Ekstrem' }).waitFor();
    await frame.locator('.tile[data-tile="onTime"]', { hasText: /fullført på 90 dager/ }).waitFor();
    // The templates' stage names in the table and the funnel, and their gates inside the reasons.
    await frame.locator('.funnel-name', { hasText: 'Leveransefaser' }).waitFor();
    await frame.locator('.project-table', { hasText: 'Leveransefaser' }).waitFor();
    expect(await frame.locator('body').innerText()).not.toMatch(/Delivery stages|Build Business Case|Gate \d:/);
    expect(await frame.locator('body').innerText()).not.toMatch(/\((s|er|e)\)|projects? completed/);
    await capture(page, 'portfolio-nb-dark');
    await context.close();
  });
});
