import type { FrameLocator, Page } from 'playwright-core';
import type { IssueRecord } from '../../sandbox/jira/store';
import { PEOPLE } from '../../sandbox/seed/people';
import { screenshot } from './browser';
import { appFrame, seriousAxeViolations, type Session, type SessionOptions, useE2eWorld } from './sandbox-session';

jest.setTimeout(180_000);

interface GovernanceProperty {
  readonly gates: Record<string, Record<string, { state: string; by: string }>>;
  readonly decisions: ReadonlyArray<{
    id: string;
    outcome: string;
    conditions: ReadonlyArray<{ id: string; text: string; metAt?: string; metBy?: string }>;
  }>;
  readonly stage: string;
}
interface RaidProperty {
  readonly items: ReadonlyArray<{ id: string; type: string; title: string; owner: string } & Record<string, unknown>>;
}

/** The Tollgate issue panel and context panel in the sandbox's Jira issue view, as each persona uses them. */
describe('the Tollgate issue panel in a real browser', () => {
  const world = useE2eWorld('panel');

  function project(summary = 'Employee mobility app'): IssueRecord {
    const found = world
      .sandbox()
      .jira.store.listIssues()
      .find((i) => i.fields.summary === summary);
    if (!found) throw new Error(`the demo has no "${summary}" project`);
    return found;
  }

  /** A fresh browser session on a project's issue view, as `accountId`, in the given language and theme. */
  async function openIssue(
    accountId: string,
    options: SessionOptions = {},
    summary?: string,
  ): Promise<Session & { panel: FrameLocator }> {
    const session = await world.open(accountId, `/browse/${project(summary).key}`, options);
    const panel = session.page.frameLocator('iframe[data-module="tollgate-issue-panel"]');
    await panel.locator('.panel').waitFor();
    return { ...session, panel };
  }

  /**
   * Expands the Tollgate issue context panel in the right-hand column, as a reader clicks its header (it starts
   * collapsed, as Jira's do), and returns its frame.
   */
  async function expandContext(page: Page): Promise<FrameLocator> {
    const panel = page.locator('details[data-context-panel="tollgate-issue-context"]');
    await expect(panel.getAttribute('open')).resolves.toBeNull();
    await panel.locator('summary').click();
    await expect(panel.getAttribute('open')).resolves.toBe('');
    return page.frameLocator('iframe[data-module="tollgate-issue-context"]');
  }

  /** Picks an option of an Atlaskit select the way a keyboard user does: focus, arrow down, choose. */
  async function pick(panel: FrameLocator, inputId: string, option: string | RegExp): Promise<void> {
    const input = panel.locator(`#${inputId}`);
    await input.focus();
    await input.press('ArrowDown');
    await panel.getByRole('option', { name: option, exact: typeof option === 'string' }).click();
  }

  function governance(summary?: string): GovernanceProperty {
    return world
      .sandbox()
      .jira.store.getProperty(project(summary).id, 'tollgate-governance') as unknown as GovernanceProperty;
  }

  function raid(): RaidProperty {
    return world.sandbox().jira.store.getProperty(project().id, 'tollgate-raid') as unknown as RaidProperty;
  }

  /** The RAID item with this title as stored in the issue property. */
  function stored(title: string): RaidProperty['items'][number] | undefined {
    return raid().items.find((item) => item.title === title);
  }

  /** The id the server gave the item logged with this title, once its row shows it. */
  async function raidIdOf(panel: FrameLocator, title: string): Promise<string> {
    const id = panel
      .locator('.raid-item', { hasText: title })
      .locator('.raid-id')
      .filter({ hasText: /^(R|A|I|D|DEC)-\d+$/ });
    await id.waitFor();
    return (await id.textContent()) ?? '';
  }

  it('lets a team member tick a must-meet item and log a risk, and both are still there after a reload', async () => {
    const { context, page, panel } = await openIssue(PEOPLE.member.accountId);
    await panel.getByRole('heading', { name: 'Checklist for Gate 1: Idea Screen' }).waitFor();
    // The stepper shows the template's stages with Discovery current.
    await expect(panel.locator('.step-current .step-name').textContent()).resolves.toBe('Discovery');

    const item = panel.getByRole('checkbox', { name: 'Technically feasible at first look' });
    if (await item.isChecked()) await item.uncheck();
    await item.check();
    await panel
      .getByText(/Met — Sara Lind/)
      .first()
      .waitFor();

    await panel.getByRole('tab', { name: /RAID log/ }).click();
    await panel.getByRole('button', { name: 'Add risk' }).click();
    await panel.getByLabel('What could happen').fill('Key HR integrator unavailable in Q1');
    await expect(
      panel.locator('#risk-owner').locator('xpath=ancestor::div[contains(@class,"container")][1]').textContent(),
    ).resolves.toContain('Sara Lind');
    await pick(panel, 'risk-likelihood', /^4/);
    await pick(panel, 'risk-impact', /^5/);
    await panel.getByRole('button', { name: 'Log risk' }).click();
    await panel.getByText('Key HR integrator unavailable in Q1').waitFor();
    await panel
      .locator('.raid-item', { hasText: 'Key HR integrator unavailable in Q1' })
      .locator('.raid-id')
      .filter({ hasText: /^R-\d+$/ })
      .waitFor();
    await screenshot(page, 'issue-panel-member-raid');

    await page.reload();
    await panel.getByRole('checkbox', { name: 'Technically feasible at first look' }).waitFor();
    await expect(panel.getByRole('checkbox', { name: 'Technically feasible at first look' }).isChecked()).resolves.toBe(
      true,
    );
    await panel.getByRole('tab', { name: /RAID log/ }).click();
    await panel.getByText('Key HR integrator unavailable in Q1').waitFor();
    await screenshot(page, 'issue-panel-member-after-reload');

    expect(governance().gates['g1-idea-screen']?.feasible).toMatchObject({
      state: 'done',
      by: PEOPLE.member.accountId,
    });
    expect(raid().items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'risk',
          title: 'Key HR integrator unavailable in Q1',
          owner: PEOPLE.member.accountId,
        }),
      ]),
    );
    await context.close();
  });

  it('keeps a change Jira was too slow to store, says so, and stores it with the next change', async () => {
    const issueKey = project().key;
    const title = 'Payroll vendor contract slips a quarter';
    const { context, page, panel } = await openIssue(PEOPLE.member.accountId);
    await panel.getByRole('tab', { name: /RAID log/ }).click();
    const storedRev = () => (governance() as unknown as { rev: number }).rev;
    const revBefore = storedRev();
    // Jira answers every write of this project's governance document with 503, even after the client's retries.
    world.sandbox().jira.emulator.setFaults({
      rate: 1,
      kind: '503',
      retryAfterSeconds: 0,
      pathPrefix: `/rest/api/3/issue/${issueKey}/properties/tollgate-governance`,
    });
    try {
      await panel.getByRole('button', { name: 'Add risk' }).click();
      await panel.getByLabel('What could happen').fill(title);
      await pick(panel, 'risk-likelihood', /^3/);
      await pick(panel, 'risk-impact', /^4/);
      await panel.getByRole('button', { name: 'Log risk' }).click();
      // Recorded, so the panel keeps it (no rollback, no "try again") and says only Jira's copy is behind.
      await page.getByText('Saved. Jira was slow to store it; it will appear everywhere in a moment.').waitFor();
      await raidIdOf(panel, title);
      // Jira's governance document is still the one before: the change lives in Tollgate's ledger for now.
      expect(storedRev()).toBe(revBefore);
      await screenshot(page, 'issue-panel-pending-write');
    } finally {
      world.sandbox().jira.emulator.setFaults(null);
    }

    // Every reader replays it from Tollgate's ledger meanwhile, and the next change stores both, each once.
    await page.reload();
    await panel.getByRole('tab', { name: /RAID log/ }).click();
    await panel.getByText(title).waitFor();
    await panel.getByRole('button', { name: 'Add risk' }).click();
    await panel.getByLabel('What could happen').fill('Second payroll vendor also late');
    await pick(panel, 'risk-likelihood', /^2/);
    await pick(panel, 'risk-impact', /^2/);
    await panel.getByRole('button', { name: 'Log risk' }).click();
    await raidIdOf(panel, 'Second payroll vendor also late');
    expect(storedRev()).toBe(revBefore + 2);
    expect(raid().items.filter((item) => item.title === title)).toHaveLength(1);
    expect(stored('Second payroll vendor also late')).toBeDefined();
    expect(await seriousAxeViolations(await appFrame(page, 'tollgate-issue-panel'))).toEqual([]);
    await context.close();
  });

  it('offers a team member no decision form, only who decides', async () => {
    const { context, panel } = await openIssue(PEOPLE.member.accountId);
    await panel.getByText('This gate is decided by the PMO.').waitFor();
    await expect(panel.locator('form.decision-form').count()).resolves.toBe(0);
    await context.close();
  });

  it('lets a member attach evidence to a checklist item and remove it again, and both last across a reload', async () => {
    const { context, page, panel } = await openIssue(PEOPLE.member.accountId);
    const row = panel.locator('li.criterion', { hasText: 'Fits the portfolio strategy' });
    await row.getByRole('button', { name: 'Add evidence' }).click();
    await row.getByLabel('Link').fill('https://nordlys.atlassian.net/wiki/spaces/PMO/pages/4242');
    await row.getByLabel('Title').fill('Strategy fit memo');
    await row.getByRole('button', { name: 'Save evidence' }).click();
    await row.getByRole('link', { name: 'Strategy fit memo' }).waitFor();
    // Evidence gathered for an open item ticks it.
    await expect(row.getByRole('checkbox', { name: 'Fits the portfolio strategy' }).isChecked()).resolves.toBe(true);
    await panel.locator('.panel[aria-busy="false"]').waitFor();
    await page.reload();
    const again = page
      .frameLocator('iframe[data-module="tollgate-issue-panel"]')
      .locator('li.criterion', { hasText: 'Fits the portfolio strategy' });
    await again.getByRole('link', { name: 'Strategy fit memo' }).waitFor();
    await again.getByRole('button', { name: 'Remove Strategy fit memo' }).click();
    await again.getByRole('link', { name: 'Strategy fit memo' }).waitFor({ state: 'detached' });
    // Still ticked: removing a link is not unticking.
    await expect(again.getByRole('checkbox', { name: 'Fits the portfolio strategy' }).isChecked()).resolves.toBe(true);
    await page
      .frameLocator('iframe[data-module="tollgate-issue-panel"]')
      .locator('.panel[aria-busy="false"]')
      .waitFor();
    await page.reload();
    await page
      .frameLocator('iframe[data-module="tollgate-issue-panel"]')
      .locator('li.criterion', { hasText: 'Fits the portfolio strategy' })
      .getByRole('checkbox', { name: 'Fits the portfolio strategy' })
      .waitFor();
    await expect(
      page
        .frameLocator('iframe[data-module="tollgate-issue-panel"]')
        .getByRole('link', { name: 'Strategy fit memo' })
        .count(),
    ).resolves.toBe(0);
    await context.close();
  });

  it('lets the PMO lead record a Go once the checklist is complete, and the gate transition then goes through', async () => {
    const { context, page, panel } = await openIssue(PEOPLE.pmoLead.accountId);
    await panel.getByRole('heading', { name: 'Checklist for Gate 1: Idea Screen' }).waitFor();
    for (const title of [
      'Fits the portfolio strategy',
      'Technically feasible at first look',
      'No legal, ethical or safety show-stopper',
    ]) {
      const box = panel.getByRole('checkbox', { name: title });
      if (!(await box.isChecked())) {
        await box.check();
        await expect(box.isChecked()).resolves.toBe(true);
      }
    }
    for (const id of ['market-attractiveness', 'synergies']) {
      await pick(panel, `criterion-${id}-score`, '8');
    }
    await panel.getByText('Ready to decide').waitFor();
    await panel.getByRole('heading', { name: 'Decide Gate 1: Idea Screen' }).waitFor();
    await panel
      .getByLabel('Rationale')
      .fill('Strong fit with the HR digitalisation programme; feasible with the current platform.');
    await panel.getByLabel('Next gate date').fill('2027-02-15');
    await screenshot(page, 'issue-panel-pmo-decision');
    await panel.getByRole('button', { name: 'Record Go' }).click();
    // The form says what it recorded and starts afresh.
    await panel.getByTestId('decision-recorded').filter({ hasText: 'Recorded: Go at Gate 1: Idea Screen.' }).waitFor();
    await expect(panel.getByLabel('Rationale').inputValue()).resolves.toBe('');
    await expect(panel.getByLabel('Next gate date').inputValue()).resolves.toBe('');
    await panel.getByRole('tab', { name: 'Decisions (1)' }).waitFor();
    await panel.getByRole('tab', { name: 'Decisions (1)' }).click();
    await panel.getByText('Strong fit with the HR digitalisation programme', { exact: false }).waitFor();
    await screenshot(page, 'issue-panel-pmo-history');

    await page.getByRole('button', { name: 'Pass gate to Scoping' }).click();
    await page.waitForLoadState('load');
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    await expect(page.locator('.fields').textContent()).resolves.toContain('Scoping');
    await page
      .frameLocator('iframe[data-module="tollgate-issue-panel"]')
      .locator('.step-current .step-name')
      .filter({ hasText: 'Scoping' })
      .waitFor();
    await screenshot(page, 'issue-panel-pmo-after-transition');
    await context.close();
  });

  it('renders in Norwegian (bokmål) and shows the context panel, which stays open across a reload', async () => {
    const { context, page, panel } = await openIssue(PEOPLE.pmoLead.accountId, { locale: 'nb-NO' });
    await panel.getByRole('tab', { name: 'Helse' }).click();
    await panel.getByRole('columnheader', { name: 'Dimensjon' }).waitFor();
    // The template speaks Norwegian too: its stages in the stepper, and no English stage name left on the panel.
    await panel.locator('.stepper', { hasText: 'Utforsking' }).waitFor();
    await expect(panel.locator('body').innerText()).resolves.not.toMatch(/Discovery|Build Business Case/);
    const issueContext = await expandContext(page);
    await issueContext.getByText('Fase').waitFor();
    await screenshot(page, 'issue-panel-nb');
    expect(await seriousAxeViolations(await appFrame(page, 'tollgate-issue-panel'))).toEqual([]);
    expect(await seriousAxeViolations(await appFrame(page, 'tollgate-issue-context'))).toEqual([]);
    await page.reload();
    await expect(
      page.locator('details[data-context-panel="tollgate-issue-context"]').getAttribute('open'),
    ).resolves.toBe('');
    await issueContext.getByText('Fase').waitFor();
    await context.close();
  });

  it('renders in the dark theme with the design tokens', async () => {
    const { context, page, panel } = await openIssue(PEOPLE.member.accountId, { theme: 'dark', locale: 'sv-SE' });
    await expect(panel.locator('html').getAttribute('data-color-mode')).resolves.toBe('dark');
    await panel.getByRole('tab', { name: /RAID-logg/ }).click();
    const background = String(await panel.locator('body').evaluate('getComputedStyle(document.body).backgroundColor'));
    expect(background).not.toBe('rgb(255, 255, 255)');
    await screenshot(page, 'issue-panel-dark-sv');
    await context.close();
  });

  it('lets a member edit a risk, close an assumption, log an issue and a dependency, and places the risk on the matrix', async () => {
    const { context, page, panel } = await openIssue(PEOPLE.member.accountId);
    await panel.getByRole('tab', { name: /RAID log/ }).click();

    // A risk, then its residual assessment after the mitigation.
    await panel.getByRole('button', { name: 'Add risk' }).click();
    await panel.locator('#risk-title').fill('Payroll data migration slips');
    await pick(panel, 'risk-likelihood', /^4/);
    await pick(panel, 'risk-impact', /^4/);
    await panel.getByRole('button', { name: 'Log risk' }).click();
    const riskId = await raidIdOf(panel, 'Payroll data migration slips');
    const row = panel.locator(`[data-raid-id="${riskId}"]`);
    await row.getByRole('button', { name: `Edit ${riskId}` }).click();
    await pick(panel, `${riskId}-residualLikelihood`, /^2/);
    await pick(panel, `${riskId}-residualImpact`, /^3/);
    await panel.locator(`#${riskId}-mitigation`).fill('Dry-run the migration twice before cut-over.');
    await panel.getByText('Inherent score 16, residual score 6 (of 25)').waitFor();
    await screenshot(page, 'issue-panel-raid-edit-risk');
    await panel.getByRole('button', { name: `Save ${riskId}` }).click();
    await row.getByText('6 Moderate').waitFor();
    // One colour per band: the score's badge has the very colour of the matrix's moderate squares.
    const document = await appFrame(page, 'tollgate-issue-panel');
    const background = async (selector: string) =>
      String(await document.evaluate(`getComputedStyle(document.querySelector('${selector}')).backgroundColor`));
    const badge = await background(`[data-raid-id="${riskId}"] .band-badge[data-band="moderate"]`);
    expect(badge).toMatch(/^rgb/);
    await expect(background('.band-legend li[data-band="moderate"] .band-swatch')).resolves.toBe(badge);
    await expect(background('.risk-matrix td.band-moderate')).resolves.toBe(badge);
    await row.getByText('Dry-run the migration twice before cut-over.').waitFor();
    expect(stored('Payroll data migration slips')).toMatchObject({
      id: riskId,
      likelihood: 4,
      impact: 4,
      residualLikelihood: 2,
      residualImpact: 3,
      mitigation: 'Dry-run the migration twice before cut-over.',
    });

    // The matrix: inherent 4×4 holds it; clicking the cell narrows the list; residual moves it to 2×3.
    const cell = (l: number, i: number) => panel.locator(`td[data-cell="${l}-${i}"] button`);
    // Its accessible name is the whole sentence (the digits on it are hidden from assistive technology).
    await panel
      .getByRole('button', { name: /^Likelihood Likely, impact Major: score 16, Extreme; risks: [1-9]/ })
      .waitFor();
    await cell(4, 4).click();
    await panel.getByText(/Showing the risks with likelihood Likely and impact Major/).waitFor();
    await expect(panel.locator('.raid-item', { hasText: 'Payroll data migration slips' }).count()).resolves.toBe(1);
    await expect(panel.locator('.raid-list .raid-item').evaluateAll((rows) => rows.length)).resolves.toBe(
      Number((await cell(4, 4).locator('.cell-count').textContent()) ?? 0),
    );
    await screenshot(page, 'issue-panel-risk-matrix');
    await panel.getByRole('button', { name: 'Residual' }).click();
    await cell(2, 3).click();
    await expect(panel.locator('.raid-item', { hasText: 'Payroll data migration slips' }).count()).resolves.toBe(1);
    await panel.getByRole('button', { name: 'Show all risks' }).click();

    // An assumption, logged and then closed with how it was settled.
    await panel.getByRole('tab', { name: /^Assumptions/ }).click();
    await panel.getByRole('button', { name: 'Add assumption' }).click();
    await panel.locator('#assumption-title').fill('Field staff all have company phones');
    await pick(panel, 'assumption-sensitivity', 'High');
    await panel.getByRole('button', { name: 'Log assumption' }).click();
    const assumptionId = await raidIdOf(panel, 'Field staff all have company phones');
    const assumption = panel.locator(`[data-raid-id="${assumptionId}"]`);
    await assumption.getByRole('button', { name: `Close ${assumptionId}` }).click();
    await panel.getByLabel('How the assumption was settled').fill('IT confirmed every field worker has one.');
    await panel
      .getByRole('button', { name: `Close ${assumptionId}`, exact: true })
      .last()
      .click();
    await assumption.getByText(/Closed by Sara Lind, .*: IT confirmed every field worker has one\./).waitFor();
    expect(stored('Field staff all have company phones')).toMatchObject({
      type: 'assumption',
      sensitivity: 'high',
      status: 'closed',
      closedBy: PEOPLE.member.accountId,
      closeNote: 'IT confirmed every field worker has one.',
    });
    // Settled too soon: it can be reopened, saying why, and is open again.
    await assumption.getByRole('button', { name: `Reopen ${assumptionId}` }).click();
    await panel.getByLabel('Why it is open again').fill('Contractors were left out of the count.');
    await panel
      .getByRole('button', { name: `Reopen ${assumptionId}`, exact: true })
      .last()
      .click();
    await assumption.getByRole('button', { name: `Close ${assumptionId}` }).waitFor();
    // The button shows at once (the panel previews the change); the record is checked once the server has answered.
    await panel.locator('.panel[aria-busy="false"]').waitFor();
    expect(stored('Field staff all have company phones')).toMatchObject({
      status: 'open',
      closeNote: 'Reopened: Contractors were left out of the count.',
    });

    // An issue and a dependency on another registry project.
    await panel.getByRole('tab', { name: /^Issues/ }).click();
    await panel.getByRole('button', { name: 'Log issue' }).click();
    await panel.locator('#issue-title').fill('Single sign-on fails for contractors');
    await pick(panel, 'issue-severity', '3 – Critical');
    await panel.locator('#issue-dueDate').fill('2026-12-04');
    await panel.getByRole('button', { name: 'Save issue' }).click();
    await raidIdOf(panel, 'Single sign-on fails for contractors');
    const counterparty = project('Identity platform consolidation').key;
    await panel.getByRole('tab', { name: /^Dependencies/ }).click();
    await panel.getByRole('button', { name: 'Add dependency' }).click();
    await panel.locator('#dependency-title').fill('Contractor identities in the new IdP');
    await panel.locator('#dependency-counterpartyKey').fill(counterparty);
    await panel.locator('#dependency-neededBy').fill('2027-01-15');
    await panel.getByRole('button', { name: 'Log dependency' }).click();
    await raidIdOf(panel, 'Contractor identities in the new IdP');
    await screenshot(page, 'issue-panel-raid-dependency');
    expect(stored('Single sign-on fails for contractors')).toMatchObject({
      type: 'issue',
      severity: 3,
      dueDate: '2026-12-04',
      status: 'open',
    });
    expect(stored('Contractor identities in the new IdP')).toMatchObject({
      type: 'dependency',
      direction: 'inbound',
      counterpartyKey: counterparty,
      neededBy: '2027-01-15',
      owner: PEOPLE.member.accountId,
    });
    expect(await seriousAxeViolations(await appFrame(page, 'tollgate-issue-panel'))).toEqual([]);
    await context.close();
  });

  it('rolls an edit back with the refusal when the server will not take it', async () => {
    const { context, page, panel } = await openIssue(PEOPLE.member.accountId);
    await panel.getByRole('tab', { name: /RAID log/ }).click();
    await panel.getByRole('tab', { name: /^Dependencies/ }).click();
    await panel.getByRole('button', { name: 'Add dependency' }).click();
    await panel.locator('#dependency-title').fill('Badge data from facilities');
    // The field takes any text; the domain wants an issue key, and its refusal is what the person sees.
    await panel.locator('#dependency-counterpartyKey').fill('facilities');
    await panel.getByRole('button', { name: 'Log dependency' }).click();
    await page.locator('#flags .flag.error').filter({ hasText: 'Not saved' }).waitFor();
    await expect(panel.getByText('Badge data from facilities').count()).resolves.toBe(0);
    expect(stored('Badge data from facilities')).toBeUndefined();
    await context.close();
  });

  it('lets the PMO lead mark a Conditional-Go condition met, and shows what lapsing would do', async () => {
    const summary = 'Drone line inspection';
    const { context, page, panel } = await openIssue(PEOPLE.pmoLead.accountId, {}, summary);
    await panel.getByText(/^Conditional-Go at /).waitFor();
    await panel.getByRole('button', { name: 'Mark met: Security architecture signed off' }).click();
    await panel.getByText(/met by Priya Nair/).waitFor();
    await panel.getByRole('button', { name: 'Lapse this Conditional-Go…' }).click();
    await panel.getByText(/The project goes back to .+ to rework what the gate asked for\./).waitFor();
    const lapse = panel.getByRole('form', { name: 'Conditions not met: lapse the Conditional-Go' });
    await lapse.getByRole('radio', { name: 'Kill' }).check();
    await panel.getByText(/This cannot be undone\./).waitFor();
    await screenshot(page, 'issue-panel-conditional-go');
    expect(await seriousAxeViolations(await appFrame(page, 'tollgate-issue-panel'))).toEqual([]);
    await page.reload();
    await panel.getByText(/met by Priya Nair/).waitFor();
    const decision = governance(summary).decisions.find((d) => d.outcome === 'CONDITIONAL_GO');
    expect(decision?.conditions).toEqual([
      expect.objectContaining({ text: 'Security architecture signed off', metBy: PEOPLE.pmoLead.accountId }),
      expect.not.objectContaining({ metAt: expect.anything() }),
    ]);
    await context.close();
  });

  it("offers the server's templates to start governance, and the context panel shows the new stage without a reload", async () => {
    const summary = 'District heating in Bergen';
    const { context, page, panel } = await openIssue(PEOPLE.pmoLead.accountId, {}, summary);
    const issueContext = await expandContext(page);
    await issueContext.getByText('Not under stage-gate governance').waitFor();
    const contextFrame = await appFrame(page, 'tollgate-issue-context');
    await contextFrame.evaluate('window.__sameDocument = true');

    const choices = panel.getByRole('radio');
    await expect(choices.count()).resolves.toBeGreaterThan(1);
    await panel
      .getByText(/^Stages: Discovery → Scoping/)
      .first()
      .waitFor();
    await screenshot(page, 'issue-panel-start-governance');
    expect(await seriousAxeViolations(await appFrame(page, 'tollgate-issue-panel'))).toEqual([]);
    await panel.getByRole('button', { name: 'Start governance' }).click();
    await panel.locator('.step-current .step-name').filter({ hasText: 'Discovery' }).waitFor();

    await issueContext.getByText('Stage').waitFor();
    await issueContext.getByText('Discovery').waitFor();
    await expect(contextFrame.evaluate('window.__sameDocument')).resolves.toBe(true);
    expect(governance(summary).stage).toBe('discovery');
    expect(await seriousAxeViolations(contextFrame)).toEqual([]);
    await screenshot(page, 'issue-panel-context-after-start');
    await context.close();
  });
});
