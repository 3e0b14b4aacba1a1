import type { FrameLocator } from 'playwright-core';
import type { IssueRecord } from '../../sandbox/jira/store';
import { PEOPLE } from '../../sandbox/seed/people';
import { screenshot } from './browser';
import { appFrame, seriousAxeViolations, type Session, type SessionOptions, useE2eWorld } from './sandbox-session';

jest.setTimeout(180_000);

interface GovernanceProperty {
  readonly gates: Record<string, Record<string, { state: string; by: string }>>;
}
interface RaidProperty {
  readonly items: ReadonlyArray<{ id: string; type: string; title: string; owner: string }>;
}

/** The Tollgate issue panel and glance in the sandbox's Jira issue view, as each persona uses them. */
describe('the Tollgate issue panel in a real browser', () => {
  const world = useE2eWorld('panel');

  function project(): IssueRecord {
    const found = world
      .sandbox()
      .jira.store.listIssues()
      .find((i) => i.fields.summary === 'Employee mobility app');
    if (!found) throw new Error('the demo has no "Employee mobility app" project');
    return found;
  }

  /** A fresh browser session on the project's issue view, as `accountId`, in the given language and theme. */
  async function openIssue(
    accountId: string,
    options: SessionOptions = {},
  ): Promise<Session & { panel: FrameLocator }> {
    const session = await world.open(accountId, `/browse/${project().key}`, options);
    const panel = session.page.frameLocator('iframe[data-module="tollgate-issue-panel"]');
    await panel.locator('.panel').waitFor();
    return { ...session, panel };
  }

  /** Picks an option of an Atlaskit select the way a keyboard user does: focus, arrow down, choose. */
  async function pick(panel: FrameLocator, inputId: string, option: string | RegExp): Promise<void> {
    const input = panel.locator(`#${inputId}`);
    await input.focus();
    await input.press('ArrowDown');
    await panel.getByRole('option', { name: option, exact: typeof option === 'string' }).click();
  }

  function governance(): GovernanceProperty {
    return world.sandbox().jira.store.getProperty(project().id, 'tollgate-governance') as unknown as GovernanceProperty;
  }

  function raid(): RaidProperty {
    return world.sandbox().jira.store.getProperty(project().id, 'tollgate-raid') as unknown as RaidProperty;
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

  it('offers a team member no decision form, only who decides', async () => {
    const { context, panel } = await openIssue(PEOPLE.member.accountId);
    await panel.getByText('This gate is decided by the PMO.').waitFor();
    await expect(panel.locator('form.decision-form').count()).resolves.toBe(0);
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

  it('renders in Norwegian (bokmål) and shows the glance', async () => {
    const { context, page, panel } = await openIssue(PEOPLE.pmoLead.accountId, { locale: 'nb-NO' });
    await panel.getByRole('tab', { name: 'Helse' }).click();
    await panel.getByRole('columnheader', { name: 'Dimensjon' }).waitFor();
    const glance = page.frameLocator('iframe[data-module="tollgate-issue-glance"]');
    await glance.getByText('Fase').waitFor();
    await screenshot(page, 'issue-panel-nb');
    expect(await seriousAxeViolations(await appFrame(page, 'tollgate-issue-panel'))).toEqual([]);
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
});
