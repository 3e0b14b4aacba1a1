import type { FrameLocator, Page } from 'playwright-core';
import { PEOPLE } from '../../sandbox/seed/people';
import { type Settings } from '../../src/domain/settings';
import { screenshot } from './browser';
import { appFrame, seriousAxeViolations, type Session, type SessionOptions, useE2eWorld } from './sandbox-session';

jest.setTimeout(240_000);

const MODULE = 'tollgate-admin';
const PMO_ONLY_JQL = 'project = PMO AND issuetype = Project ORDER BY key';

/** Tollgate's settings page (jira:adminPage) in the sandbox, as the Jira admin, the PMO lead and outsiders use it. */
describe('the Tollgate admin page in a real browser', () => {
  const world = useE2eWorld('admin');

  /** The newest settings version in the app's Forge storage (`settings:v<n>`), as every use case reads it. */
  function storedSettings(): Settings {
    const snapshot = world.sandbox().forge.storageSnapshot();
    const newest = Math.max(
      ...Object.keys(snapshot)
        .map((key) => /^settings:v(\d+)$/.exec(key)?.[1])
        .filter((version): version is string => version !== undefined)
        .map(Number),
    );
    return snapshot[`settings:v${newest}`] as Settings;
  }

  /**
   * What a save would change in the app's Forge storage. The `points:` keys are the hourly accounting of reads and of
   * background work (points-allowance.ts, recompute-pacing.ts), which goes on while the page is open.
   */
  function storedState(): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(world.sandbox().forge.storageSnapshot()).filter(([key]) => !key.startsWith('points:')),
    );
  }

  /** A fresh session that reaches the admin page through the sandbox's navigation, as `accountId`. */
  async function openAdmin(
    accountId: string,
    options: SessionOptions & { navLabel?: string } = {},
  ): Promise<Session & { frame: FrameLocator }> {
    const { context, page } = await world.open(accountId, '/jira/issues', options);
    await page.getByRole('link', { name: options.navLabel ?? 'Settings: Tollgate settings' }).click();
    await page.waitForLoadState('load');
    const frame = page.frameLocator(`iframe[data-module="${MODULE}"]`);
    await frame.locator('main.admin').waitFor();
    return { context, page, frame };
  }

  /** Screenshots once the host has sized the frame to its content (it measures every 300 ms). */
  async function capture(page: Page, name: string): Promise<void> {
    await page.waitForFunction(
      `(() => { const f = document.querySelector('iframe[data-module="${MODULE}"]'); const d = f && f.contentDocument; return !!d && f.clientHeight >= d.documentElement.scrollHeight; })()`,
      undefined,
      { timeout: 10_000 },
    );
    // The host's header is sticky: from the top, a full-page screenshot shows it once, where it belongs.
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, name);
  }

  async function expectNoSeriousAxeViolations(page: Page): Promise<void> {
    expect(await seriousAxeViolations(await appFrame(page, MODULE))).toEqual([]);
  }

  it("refuses a registry JQL Jira rejects with Jira's own words and stores nothing; a valid one shows a live count", async () => {
    const { context, page, frame } = await openAdmin(PEOPLE.admin.accountId);
    // The stored registry (PMO and CONF) is counted as the app governs it: all 40 projects.
    await frame.getByTestId('jql-count').filter({ hasText: 'Matches 40 issues in Jira.' }).waitFor();
    const before = storedState();

    const jql = frame.getByLabel('Registry JQL');
    await jql.fill('project = NOPE');
    await frame
      .getByTestId('jql-error')
      .filter({ hasText: "Jira does not accept this query: The value 'NOPE' does not exist for the field 'project'." })
      .waitFor();
    const save = frame.getByRole('button', { name: 'Save settings' });
    await expect(save.isDisabled()).resolves.toBe(true);
    await expect(frame.getByTestId('save-why').textContent()).resolves.toBe(
      'Jira does not accept the registry JQL; fix it to save.',
    );
    await capture(page, 'admin-jql-invalid');
    await expectNoSeriousAxeViolations(page);

    // Emptying it is caught by the contract's schema in the browser, before Jira is asked.
    await jql.fill('   ');
    await frame.locator('.field-error', { hasText: 'Required.' }).first().waitFor();
    await frame.getByTestId('problem-list').getByText('Required.').waitFor();
    await expect(save.isDisabled()).resolves.toBe(true);

    await jql.fill(PMO_ONLY_JQL);
    const count = frame.getByTestId('jql-count');
    await count.filter({ hasText: /^Matches \d+ issues in Jira\.$/ }).waitFor();
    const matches = Number(/Matches (\d+)/.exec((await count.textContent()) ?? '')?.[1]);
    expect(matches).toBeGreaterThan(0);
    expect(matches).toBeLessThan(40); // CONF's projects are no longer in it
    await expect(save.isDisabled()).resolves.toBe(false);
    await frame.getByRole('button', { name: 'Discard changes' }).click();
    await expect(jql.inputValue()).resolves.toContain('project in (PMO, CONF)');

    expect(storedState()).toEqual(before);
    await context.close();
  });

  it('lets Alex Admin change the enforcement mode and health thresholds, explains an invalid one inline, and saves', async () => {
    const { context, page, frame } = await openAdmin(PEOPLE.admin.accountId);
    const versionBefore = storedSettings().version;
    await frame.getByTestId('jql-count').filter({ hasText: 'Matches 40 issues in Jira.' }).waitFor();
    const save = frame.getByRole('button', { name: 'Save settings' });
    await expect(save.isDisabled()).resolves.toBe(true); // nothing changed yet

    await frame.getByRole('radio', { name: /^Directive — / }).check();
    await frame.getByRole('tab', { name: 'Health thresholds' }).click();
    await frame.getByLabel('Warn this many days before a gate').fill('21');
    await frame.getByLabel('Amber after days without a review').fill('10');
    const red = frame.getByLabel('Red after days without a review');
    await red.fill('5');
    // Red before amber: the schema's own rule, explained next to the field and in the list, and Save is off.
    await frame
      .locator('#f-health-staleness-redAfterDays-problems')
      .getByText('The red limit must be more days than the amber one.')
      .waitFor();
    await frame.getByRole('tab', { name: 'Health thresholds (1 to fix)' }).waitFor();
    await expect(save.isDisabled()).resolves.toBe(true);
    await capture(page, 'admin-health-invalid');
    await expectNoSeriousAxeViolations(page);
    expect(storedSettings().version).toBe(versionBefore);

    await red.fill('20');
    await frame.getByRole('tab', { name: 'Health thresholds', exact: true }).waitFor();
    await save.click();
    await frame
      .getByTestId('save-result')
      .filter({ hasText: `Saved as version ${versionBefore + 1}. The registry JQL matches 40 issues.` })
      .waitFor();
    await capture(page, 'admin-saved');

    const stored = storedSettings();
    expect(stored.version).toBe(versionBefore + 1);
    expect(stored.mode).toBe('directive');
    expect(stored.health.gate.warningDays).toBe(21);
    expect(stored.health.staleness).toMatchObject({ amberAfterDays: 10, redAfterDays: 20 });

    // A reload reads them back from storage.
    await page.reload();
    await page.waitForLoadState('load');
    await expect(frame.getByRole('radio', { name: /^Directive — / }).isChecked()).resolves.toBe(true);
    await frame.getByRole('tab', { name: 'Health thresholds' }).click();
    await expect(frame.getByLabel('Warn this many days before a gate').inputValue()).resolves.toBe('21');
    await context.close();
  });

  it('says so when another admin saved meanwhile, saves nothing, and reloads their settings on request', async () => {
    const mine = await openAdmin(PEOPLE.admin.accountId);
    const theirs = await openAdmin(PEOPLE.admin.accountId);
    for (const session of [mine, theirs]) await session.frame.getByRole('radio', { name: /^Directive — / }).waitFor();

    await theirs.frame.getByRole('radio', { name: /^Supportive — / }).check();
    await theirs.frame.getByRole('button', { name: 'Save settings' }).click();
    await theirs.frame.getByTestId('save-result').waitFor();
    const stored = storedSettings();
    expect(stored.mode).toBe('supportive');

    await mine.frame.getByRole('radio', { name: /^Controlling — / }).check();
    await mine.frame.getByRole('button', { name: 'Save settings' }).click();
    await mine.frame.getByText('Someone else saved the settings').waitFor();
    await mine.frame.getByText(/^Another admin saved Tollgate's settings after you opened this page/).waitFor();
    expect(storedSettings()).toEqual(stored);
    await capture(mine.page, 'admin-conflict');
    await expectNoSeriousAxeViolations(mine.page);

    await mine.frame.getByRole('button', { name: 'Reload settings' }).click();
    await mine.frame.getByTestId('jql-count').waitFor();
    await expect(mine.frame.getByRole('radio', { name: /^Supportive — / }).isChecked()).resolves.toBe(true);
    await mine.context.close();
    await theirs.context.close();
  });

  it('clones the default template, edits a weight and a mandatory flag, saves, then saves an edit as version 2', async () => {
    const { context, page, frame } = await openAdmin(PEOPLE.admin.accountId);
    await frame.getByRole('tab', { name: 'Stage-gate templates' }).click();
    await frame.getByText('No custom templates yet. Clone a shipped one to make your own.').waitFor();

    // A shipped template can be viewed (stages, gates, must/should, weights, deciders) but only cloned.
    await frame.getByRole('button', { name: 'View or hide Stage-Gate (Cooper)' }).click();
    const detail = frame.getByTestId('template-detail');
    await detail.getByRole('heading', { name: 'Stage-Gate (Cooper), version 1' }).waitFor();
    await detail.getByText('Decided by: PMO, Sponsor').waitFor();
    // Which Jira statuses belong to a stage decides which gate a transition passes (the validator).
    await detail.getByText('Jira statuses: Scoping').waitFor();
    await expect(detail.getByRole('textbox').count()).resolves.toBe(0);
    await expectNoSeriousAxeViolations(page);

    await frame.getByRole('button', { name: 'Clone Stage-Gate (Cooper)' }).click();
    await detail.getByRole('heading', { name: 'Stage-Gate (Cooper) (copy), version 1' }).waitFor();
    const gate1 = detail.getByRole('group', { name: 'Gate 1: Idea Screen' });
    await gate1.getByLabel('Weight of Market attractiveness').fill('5');
    await gate1.getByLabel('Mandatory (must meet): Technically feasible at first look').uncheck();
    // Now a should-meet item, so it has a weight of its own.
    await gate1.getByLabel('Weight of Technically feasible at first look').waitFor();
    // Typed as a list, with the comma kept while the second name is on its way.
    const statuses = detail.getByLabel('Jira statuses of stage 2');
    await statuses.fill('Scoping,');
    await expect(statuses.inputValue()).resolves.toBe('Scoping,');
    await statuses.fill('Scoping, Scoping review');
    // The pass mark reads, and is typed, as a percentage; it is kept as a share.
    const passMark = detail.getByLabel('Pass mark for Go');
    await expect(passMark.inputValue()).resolves.toBe('60');
    await passMark.fill('65');
    await capture(page, 'admin-template-clone');
    await expectNoSeriousAxeViolations(page);

    await frame.getByRole('button', { name: 'Save settings' }).click();
    await frame.getByTestId('save-result').waitFor();
    await frame.getByTestId('versions-cooper-stage-gate-copy').filter({ hasText: 'v1 (all: 1)' }).waitFor();
    const clone = storedSettings().templates.find((t) => t.id === 'cooper-stage-gate-copy' && t.version === 1);
    const criteria = clone?.stages[0]?.exitGate?.criteria ?? [];
    expect(criteria.find((c) => c.id === 'market-attractiveness')).toMatchObject({ kind: 'should', weight: 5 });
    expect(criteria.find((c) => c.id === 'feasible')).toMatchObject({ kind: 'should' });
    expect(clone?.stages[1]?.jiraStatuses).toEqual(['Scoping', 'Scoping review']);
    expect(clone?.passThreshold).toBe(0.65);

    // Editing a saved custom template makes its next version; version 1 stays for projects started on it.
    await frame.getByRole('button', { name: 'Edit Stage-Gate (Cooper) (copy) as a new version' }).click();
    await detail.getByRole('heading', { name: 'Stage-Gate (Cooper) (copy), version 2' }).waitFor();
    await detail
      .getByRole('group', { name: 'Gate 1: Idea Screen' })
      .getByLabel('Weight of Leverages our core competencies')
      .fill('3');
    await frame.getByRole('button', { name: 'Save settings' }).click();
    await frame.getByTestId('versions-cooper-stage-gate-copy').filter({ hasText: 'v2 (all: 1, 2)' }).waitFor();
    const versions = storedSettings().templates.filter((t) => t.id === 'cooper-stage-gate-copy');
    expect(versions.map((t) => t.version)).toEqual([1, 2]);
    const synergies = (version: number) =>
      versions.find((t) => t.version === version)?.stages[0]?.exitGate?.criteria.find((c) => c.id === 'synergies');
    expect(synergies(1)?.weight).toBe(1);
    expect(synergies(2)?.weight).toBe(3);
    // The shipped template itself is untouched.
    expect(storedSettings().templates.some((t) => t.id === 'cooper-stage-gate')).toBe(false);
    await capture(page, 'admin-templates');
    await context.close();
  });

  it('shows the PMO lead every setting read-only, with the reason', async () => {
    const { context, page, frame } = await openAdmin(PEOPLE.pmoLead.accountId);
    await frame
      .getByTestId('read-only-note')
      .filter({ hasText: 'because you are in the PMO group (tollgate-pmo). Only Jira administrators can change them' })
      .waitFor();
    await frame.getByTestId('jql-count').waitFor();
    await expect(frame.getByRole('button', { name: 'Save settings' }).count()).resolves.toBe(0);
    await expect(frame.getByLabel('Registry JQL').getAttribute('readonly')).resolves.not.toBeNull();
    await expect(frame.getByRole('radio', { name: /^Directive — / }).isDisabled()).resolves.toBe(true);
    await capture(page, 'admin-pmo-read-only');
    await expectNoSeriousAxeViolations(page);
    await frame.getByRole('tab', { name: 'Stage-gate templates' }).click();
    await frame.getByTestId('templates-table').waitFor();
    await expect(frame.getByRole('button', { name: /^Clone / }).count()).resolves.toBe(0);
    await context.close();
  });

  it.each([
    ['a team member', PEOPLE.member.accountId],
    ['an outsider', PEOPLE.outsider.accountId],
  ])('tells %s plainly that the settings are not for them', async (_who, accountId) => {
    const { context, page, frame } = await openAdmin(accountId);
    await frame.getByText("You can't see Tollgate's settings").waitFor();
    await frame.getByText('Only Jira administrators and members of the PMO group can see these settings.').waitFor();
    await expect(frame.getByLabel('Registry JQL').count()).resolves.toBe(0);
    await expectNoSeriousAxeViolations(page);
    if (accountId === PEOPLE.outsider.accountId) await capture(page, 'admin-forbidden');
    await context.close();
  });

  it('shows what the portfolio reads and since when every project was checked; a new full check waits minutes', async () => {
    const { context, page, frame } = await openAdmin(PEOPLE.admin.accountId);
    const card = frame.getByTestId('read-model');
    await card.getByText(/read 40 projects, all checked against Jira since/).waitFor();
    const button = card.getByRole('button', { name: 'Check every project against Jira now' });
    // The sandbox checked every project when it started: a new full check waits a few minutes.
    await card.getByText(/a new check can be asked for from/).waitFor();
    await expect(button.isDisabled()).resolves.toBe(true);
    await capture(page, 'admin-read-model');
    await expectNoSeriousAxeViolations(page);
    await context.close();
  });

  it('renders in Norwegian (bokmål) in the dark theme', async () => {
    const { context, page, frame } = await openAdmin(PEOPLE.admin.accountId, {
      locale: 'nb-NO',
      theme: 'dark',
      navLabel: 'Settings: Tollgate-innstillinger',
    });
    await frame.getByRole('heading', { name: 'Prosjektregister' }).waitFor();
    await frame.getByTestId('jql-count').filter({ hasText: 'Treffer 40 saker i Jira.' }).waitFor();
    await frame.getByRole('radio', { name: /^Styrende — / }).waitFor();
    await frame.getByRole('tab', { name: 'Helsegrenser' }).waitFor();
    await frame
      .getByTestId('read-model')
      .getByText(/leser 40 prosjekter, alle kontrollert mot Jira siden/)
      .waitFor();
    await expect(frame.locator('html').getAttribute('data-color-mode')).resolves.toBe('dark');
    await capture(page, 'admin-nb-dark');
    await expectNoSeriousAxeViolations(page);
    // zod's generic messages speak Norwegian too.
    await frame.getByRole('tab', { name: 'Helsegrenser' }).click();
    await frame.getByLabel('Varsle så mange dager før en port').fill('');
    await frame.locator('#f-health-gate-warningDays-problems').getByText('Skriv inn et tall.').waitFor();
    await capture(page, 'admin-nb-dark-health');
    await expectNoSeriousAxeViolations(page);
    await context.close();
  });

  it("lowers one person's hourly Jira quota; a sponsor who spends it is told, in Swedish, when it comes back", async () => {
    const admin = await openAdmin(PEOPLE.admin.accountId);
    const quota = admin.frame.getByLabel("Points one person's portfolio views may spend in an hour");
    await expect(quota.inputValue()).resolves.toBe('6500');
    await quota.fill('500');
    await admin.frame.getByRole('button', { name: 'Save settings' }).click();
    await admin.frame.getByTestId('save-result').waitFor();
    expect(storedSettings().quota).toEqual({ personHourlyPoints: 500 });
    await admin.context.close();

    // Each visit costs the sponsor what Jira charges for its permission checks (about 30 points for the first rows
    // and the full load): the allowance runs out after a dozen or so visits, when less than one page (101) is left.
    const { context, page } = await world.open(PEOPLE.sponsor.accountId, '/jira/issues', { locale: 'sv-SE' });
    const frame = page.frameLocator('iframe[data-module="tollgate-portfolio"]');
    const spent = frame.getByText(
      /^Dina portföljvisningar den här timmen har använt .+ Den är tillbaka om \d+ minuter\.$/,
    );
    for (let visit = 0; visit < 40 && !(await spent.isVisible()); visit += 1) {
      await page.getByRole('link', { name: 'Tollgate-portfölj' }).click();
      await page.waitForLoadState('load');
      await Promise.race([frame.getByTestId('total-projects').waitFor(), spent.waitFor()]);
    }
    await spent.waitFor();
    await page.waitForTimeout(400);
    await screenshot(page, 'portfolio-allowance-spent-sv');
    expect(await seriousAxeViolations(await appFrame(page, 'tollgate-portfolio'))).toEqual([]);
    await context.close();
  });
});
