import type { Frame, FrameLocator, Page } from 'playwright-core';
import { PEOPLE } from '../../sandbox/seed/people';
import { screenshot } from './browser';
import { seriousAxeViolations, type Session, type SessionOptions, useE2eWorld } from './sandbox-session';

jest.setTimeout(240_000);

const PAGE_ID = '98001';
const PAGE = `/wiki/spaces/PMO/pages/${PAGE_ID}`;
const MACRO = 'iframe[data-module="tollgate-steering-macro"]';
/** The seeded macros, in page order (sandbox/seed/seed.ts steeringPage). */
const TABLE = 0;
const STATUS = 1;
const HEAT = 2;
const DECISIONS = 3;

/** The Tollgate steering macro on a Confluence page in the sandbox: live, configured, exported, and for an outsider. */
describe('the Tollgate steering macro in a real browser', () => {
  const world = useE2eWorld('macro');

  const macro = (page: Page, index: number): FrameLocator => page.locator(MACRO).nth(index).contentFrame();

  async function macroFrame(page: Page, index: number): Promise<Frame> {
    const frame = await (await page.locator(MACRO).nth(index).elementHandle())?.contentFrame();
    if (!frame) throw new Error(`macro ${index} has no document`);
    return frame;
  }

  /** A session on the steering page with every macro loaded (its table, grid or message on screen). */
  async function openPage(accountId: string, options: SessionOptions = {}): Promise<Session> {
    const session = await world.open(accountId, PAGE, { viewport: { width: 1200, height: 900 }, ...options });
    await expect(session.page.locator(MACRO).count()).resolves.toBe(4);
    for (let i = 0; i < 4; i += 1)
      await macro(session.page, i).locator('section.macro, .macro-message').first().waitFor();
    return session;
  }

  /** Screenshots once the host has sized every frame to its content (it measures every 300 ms). */
  async function capture(page: Page, name: string): Promise<void> {
    await page.waitForFunction(
      `[...document.querySelectorAll('iframe.forge')].every((f) => { const d = f.contentDocument; return !!d && f.clientHeight >= d.documentElement.scrollHeight; })`,
      undefined,
      { timeout: 10_000 },
    );
    await screenshot(page, name);
  }

  async function liveKeys(page: Page, index: number): Promise<string[]> {
    const rows = await macro(page, index).locator('tbody tr[data-issue-key]').all();
    return Promise.all(rows.map(async (row) => (await row.getAttribute('data-issue-key')) ?? ''));
  }

  const storedConfig = (localId: string): unknown => {
    const block = world
      .sandbox()
      .confluence.get(PAGE_ID)
      ?.blocks.find((b) => b.type === 'macro' && b.localId === localId);
    return block?.type === 'macro' ? block.config : undefined;
  };

  it('shows the PMO lead the live macros: the registry table, a status card, the heat map and the decision log', async () => {
    const { context, page } = await openPage(PEOPLE.pmoLead.accountId);
    const table = macro(page, TABLE);
    await table.getByRole('heading', { name: 'Portfolio' }).waitFor();
    const keys = await liveKeys(page, TABLE);
    // The seeded table narrows the registry to `project = PMO` and shows at most 12 rows, worst first.
    expect(keys).toHaveLength(12);
    for (const key of keys) expect(key).toMatch(/^PMO-\d+$/);
    await table.getByTestId('cut').waitFor();
    await expect(table.locator('a.issue-key').first().getAttribute('href')).resolves.toBe(`/browse/${keys[0]}`);
    await expect(table.getByRole('columnheader').allTextContents()).resolves.toEqual([
      'Key',
      'Project',
      'Owner',
      'Stage',
      'Health',
      'Last decision',
      'Next gate',
    ]);
    // Owners are named, never shown as account ids.
    await expect(table.locator('td[data-column="owner"]').first().textContent()).resolves.toMatch(/^[A-Z][a-z]+ [A-Z]/);

    const status = macro(page, STATUS);
    await status.getByRole('heading', { name: /Customer portal relaunch/ }).waitFor();
    await expect(status.locator('dt').allTextContents()).resolves.toContain('Health');

    const heat = macro(page, HEAT);
    await expect(heat.locator('td.heat-square').count()).resolves.toBe(25);
    await expect(heat.locator('td.heat-square[data-band="extreme"]').count()).resolves.toBeGreaterThan(0);

    const decisions = macro(page, DECISIONS);
    await decisions.getByRole('heading', { name: 'Gate decision log' }).waitFor();
    await expect(decisions.locator('tbody tr').count()).resolves.toBeGreaterThan(0);

    await capture(page, 'macro-steering-page');
    for (let i = 0; i < 4; i += 1) expect(await seriousAxeViolations(await macroFrame(page, i))).toEqual([]);
    expect(
      world
        .sandbox()
        .forge.invocations()
        .filter((r) => r.resolverKey === 'macro/load' && r.outcome !== 'ok'),
    ).toEqual([]);
    await context.close();
  });

  it('lets the PMO lead reconfigure a macro: the page then shows the new columns and limit, and the page stores them', async () => {
    const { context, page } = await openPage(PEOPLE.pmoLead.accountId);
    await page.locator('section.macro').nth(TABLE).getByRole('link', { name: 'Edit macro' }).click();
    await page.waitForURL(/\/config\/steering-macro-1$/);
    const config = page.locator(MACRO).contentFrame();
    await config.getByRole('heading', { name: 'Steering report settings' }).waitFor();
    await expect(config.getByRole('radio', { name: 'Portfolio table' }).isChecked()).resolves.toBe(true);
    await expect(config.getByLabel('JQL that narrows the registry').inputValue()).resolves.toBe('project = PMO');
    expect(await seriousAxeViolations(await macroFrame(page, 0))).toEqual([]);

    // Owner out, Department in (at the end: columns keep the order they were picked in), five rows.
    await config.getByRole('button', { name: /Remove Owner/ }).click();
    await config.getByLabel('Columns').fill('Department');
    await config.getByLabel('Columns').press('Enter');
    await config.getByLabel('Most rows').fill('5');
    await capture(page, 'macro-config');
    const reloaded = page.waitForEvent('load');
    await config.getByRole('button', { name: 'Save' }).click();
    await reloaded;

    expect(storedConfig('steering-macro-1')).toEqual({
      view: 'portfolio-table',
      jql: 'project = PMO',
      columns: ['key', 'summary', 'stageName', 'rag', 'lastDecision', 'nextGateDate', 'department'],
      limit: 5,
    });
    await page.goto(`${world.sandbox().url}${PAGE}`);
    const table = macro(page, TABLE);
    await table.locator('tbody tr[data-issue-key]').first().waitFor();
    await expect(table.getByRole('columnheader').allTextContents()).resolves.toEqual([
      'Key',
      'Project',
      'Stage',
      'Health',
      'Last decision',
      'Next gate',
      'Department',
    ]);
    await expect(liveKeys(page, TABLE)).resolves.toHaveLength(5);
    await context.close();
  });

  it('checks the JQL clause with Jira as the author types it, and saves none Jira refuses', async () => {
    const before = storedConfig('steering-macro-1');
    const { context, page } = await world.open(PEOPLE.pmoLead.accountId, `${PAGE}/config/steering-macro-1`);
    const config = page.locator(MACRO).contentFrame();
    await config.getByRole('heading', { name: 'Steering report settings' }).waitFor();
    await config
      .getByTestId('jql-count')
      .filter({ hasText: /^Leaves \d+ registry projects that you can see\.$/ })
      .waitFor();
    await config.getByLabel('JQL that narrows the registry').fill('project = NOPE');
    await config
      .getByTestId('jql-error')
      .filter({ hasText: "Jira does not accept this clause: The value 'NOPE' does not exist for the field 'project'." })
      .waitFor();
    await config.getByRole('button', { name: 'Save' }).click();
    await config.getByText('These settings cannot be saved yet').waitFor();
    await capture(page, 'macro-config-jql-refused');
    expect(storedConfig('steering-macro-1')).toEqual(before);
    await context.close();
  });

  it('explains an invalid configuration inline and saves nothing; a saved invalid one tells the author to edit it', async () => {
    const before = storedConfig('steering-macro-2');
    const { context, page } = await world.open(PEOPLE.pmoLead.accountId, `${PAGE}/config/steering-macro-2`);
    const config = page.locator(MACRO).contentFrame();
    await config.getByRole('heading', { name: 'Steering report settings' }).waitFor();
    await expect(config.getByRole('radio', { name: 'Project status (one project)' }).isChecked()).resolves.toBe(true);

    // Both a JQL clause and a project key: refused, with the reason at the JQL field.
    await config.getByLabel('JQL that narrows the registry').fill('department = "IT"');
    await config.getByRole('button', { name: 'Save' }).click();
    await config.getByTestId('error-jql').getByText('Give a JQL clause or a project key, not both').waitFor();
    await config.getByText('These settings cannot be saved yet').waitFor();

    // Project status without its project: refused at the project field.
    await config.getByLabel('One registry project (issue key)').fill('');
    await config
      .getByTestId('error-projectKey')
      .getByText(/The project status view needs a project/)
      .waitFor();
    await expect(config.getByTestId('error-jql').count()).resolves.toBe(0);
    await config.getByRole('button', { name: 'Save' }).click();
    await capture(page, 'macro-config-invalid');
    expect(await seriousAxeViolations(await macroFrame(page, 0))).toEqual([]);
    expect(storedConfig('steering-macro-2')).toEqual(before);
    await context.close();

    // A configuration saved some other way that the schema refuses: the macro asks the author to fix it.
    world.sandbox().confluence.saveMacroConfig(PAGE_ID, 'steering-macro-3', { view: 'heat-map', asOf: '2026-11-02' });
    try {
      const reader = await openPage(PEOPLE.member.accountId);
      const heat = macro(reader.page, HEAT);
      await heat.getByTestId('invalid-config').getByText('This macro’s settings are not valid').waitFor();
      await heat.getByText(/the heat map is live only/).waitFor();
      await capture(reader.page, 'macro-invalid-saved');
      expect(await seriousAxeViolations(await macroFrame(reader.page, HEAT))).toEqual([]);
      await reader.context.close();
    } finally {
      world.sandbox().confluence.saveMacroConfig(PAGE_ID, 'steering-macro-3', { view: 'heat-map' });
    }
  });

  it('exports the same rows the live table shows, as Word/PDF export would print them', async () => {
    const { context, page } = await openPage(PEOPLE.pmoLead.accountId);
    const live = await liveKeys(page, TABLE);
    expect(live.length).toBeGreaterThan(0);
    await page.getByRole('link', { name: 'Export to Word / PDF' }).click();
    await page.waitForURL(/\/export$/);
    const exported = page.locator('section.macro-export[data-local-id="steering-macro-1"]');
    await exported.locator('table').waitFor();
    const exportedKeys = (await exported.locator('tr > td:first-child').allTextContents()).map((text) => text.trim());
    expect(exportedKeys).toEqual(live);
    // Every macro exported (none fell back to a sentence), with RAG lozenges and people by name.
    await expect(page.locator('section.macro-export').count()).resolves.toBe(4);
    await expect(page.locator('[data-export-failed]').count()).resolves.toBe(0);
    await expect(exported.locator('.lozenge').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('.mention').first().textContent()).resolves.toMatch(/^@[A-Z][a-z]+ [A-Z]/);
    expect(
      world
        .sandbox()
        .forge.invocations()
        .filter((r) => r.kind === 'adfExport')
        .slice(-4)
        .map((r) => [r.accountId, r.outcome]),
    ).toEqual(Array.from({ length: 4 }, () => [PEOPLE.pmoLead.accountId, 'ok']));
    await capture(page, 'macro-export');
    expect(await seriousAxeViolations(page.mainFrame())).toEqual([]);
    await context.close();
  });

  it('shows an outsider no project of the hidden CONF space, live or exported', async () => {
    // The PMO lead's decision log and export do include CONF projects: the outsider's absence of them is news.
    const lead = await openPage(PEOPLE.pmoLead.accountId);
    const leadText = (await Promise.all([0, 1, 2, 3].map((i) => macro(lead.page, i).locator('body').innerText()))).join(
      '\n',
    );
    expect(leadText).toMatch(/\bCONF-\d+/);
    await lead.context.close();

    const { context, page } = await openPage(PEOPLE.outsider.accountId);
    await expect(liveKeys(page, TABLE)).resolves.not.toHaveLength(0);
    for (let i = 0; i < 4; i += 1) {
      await expect(macro(page, i).locator('body').innerText()).resolves.not.toMatch(/\bCONF-\d+/);
    }
    await capture(page, 'macro-outsider');
    await page.goto(`${world.sandbox().url}${PAGE}/export`);
    await page.locator('section.macro-export').first().waitFor();
    await expect(page.locator('article').innerText()).resolves.not.toMatch(/\bCONF-\d+/);
    await context.close();
  });

  it('renders in Swedish in the dark theme, and its config dialog in Norwegian (bokmål)', async () => {
    const { context, page } = await openPage(PEOPLE.pmoLead.accountId, { locale: 'sv-SE', theme: 'dark' });
    const table = macro(page, TABLE);
    await table.getByRole('columnheader', { name: 'Nyckel' }).waitFor();
    // The report's own words too, not only the screen's: its title, facts and notes come from the server in Swedish.
    await table.getByRole('heading', { name: 'Portföljhälsa' }).waitFor();
    await table.getByText(/^Visar \d+ av \d+ projekt, de sämsta först\.$/).waitFor();
    await table.getByRole('columnheader', { name: 'Nästa grind' }).waitFor();
    await expect(table.getByTestId('cut').textContent()).resolves.toMatch(/^Visar \d+ av \d+/);
    await expect(table.locator('html').getAttribute('data-color-mode')).resolves.toBe('dark');
    await expect(macro(page, HEAT).getByText('Sannolikhet').first().isVisible()).resolves.toBe(true);
    // The templates' names too: the stages read in Swedish, and no English stage name is left.
    await table.getByText('Leveransfaser').first().waitFor();
    await expect(table.locator('body').innerText()).resolves.not.toMatch(/Delivery stages|Build Business Case/);
    await capture(page, 'macro-sv-dark');
    for (let i = 0; i < 4; i += 1) expect(await seriousAxeViolations(await macroFrame(page, i))).toEqual([]);
    await context.close();

    const nb = await world.open(PEOPLE.pmoLead.accountId, `${PAGE}/config/steering-macro-1`, { locale: 'nb-NO' });
    const config = nb.page.locator(MACRO).contentFrame();
    await config.getByRole('heading', { name: 'Innstillinger for styringsrapporten' }).waitFor();
    await config.getByRole('radio', { name: 'Porteføljetabell' }).waitFor();
    // The changes view asks for the day of the last steering committee, and will not save without it.
    await config.getByRole('radio', { name: 'Hva som er endret siden' }).check();
    await config.getByLabel('Sammenlign fra').waitFor();
    await config.getByRole('button', { name: 'Lagre' }).click();
    await config.getByTestId('error-since').filter({ hasText: 'Velg dagen det skal sammenlignes fra.' }).waitFor();
    await config.getByRole('radio', { name: 'Porteføljetabell' }).check();
    await config.getByRole('button', { name: 'Lagre' }).waitFor();
    await capture(nb.page, 'macro-config-nb');
    await nb.context.close();
  });
});
