import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PEOPLE } from '../../sandbox/seed/people';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { launchBrowser, screenshot, useSwitcher } from './browser';
import { freePort } from './free-port';

const APP_ROOT = resolve(__dirname, '../..');

jest.setTimeout(120_000);

/** The sandbox as a newcomer sees it after `npm start`: Tollgate's own manifest over the seeded demo. */
describe('the sandbox with the Tollgate app and the demo portfolio', () => {
  let sandbox: Sandbox;
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tollgate-e2e-jira-'));
    sandbox = await startSandbox({ appRoot: APP_ROOT, dataDir, port: await freePort(), today: '2026-11-21' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function actAs(page: Page, accountId: string): Promise<void> {
    await page.goto(`${sandbox.url}/jira/issues`);
    await useSwitcher(page, 'Acting user', accountId);
  }

  async function search(page: Page, jql: string): Promise<string[]> {
    await page.goto(`${sandbox.url}/jira/issues?jql=${encodeURIComponent(jql)}`);
    return page.locator('table.list tbody td:first-child a').allTextContents();
  }

  it('lists the registry and finds red projects through the indexed tollgate-health alias', async () => {
    const page = await browser.newPage();
    await actAs(page, PEOPLE.pmoLead.accountId);
    const registry = await search(page, 'project in (PMO, CONF) AND issuetype = Project ORDER BY key');
    expect(registry).toHaveLength(40);
    const red = await search(page, 'tollgateHealth = red ORDER BY key');
    expect(red.length).toBeGreaterThan(5);
    expect(red.length).toBeLessThan(40);
    await expect(page.locator('table.list .lozenge.red').count()).resolves.toBe(red.length);
    await screenshot(page, 'sandbox-jira-red-projects');
    await page.close();
  });

  it('hides the confidential project from the outsider everywhere Jira would', async () => {
    const page = await browser.newPage();
    await actAs(page, PEOPLE.outsider.accountId);
    const red = await search(page, 'tollgateHealth = red ORDER BY key');
    expect(red.some((key) => key.startsWith('CONF-'))).toBe(false);
    expect(red.length).toBeGreaterThan(0);
    await search(page, 'project = CONF');
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      "The value 'CONF' does not exist for the field 'project'.",
    );
    const response = await page.goto(`${sandbox.url}/browse/CONF-1`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'Issue does not exist or you do not have permission to see it.',
    );
    await screenshot(page, 'sandbox-jira-outsider');
    await page.close();
  });

  it('shows an issue with its fields, workflow transitions and the Tollgate properties as REST returns them', async () => {
    const page = await browser.newPage();
    await actAs(page, PEOPLE.pmoLead.accountId);
    await page.goto(`${sandbox.url}/browse/PMO-8`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Payroll vendor switch');
    await screenshot(page, 'sandbox-jira-issue');
    await page.getByText(/Issue properties \(\d+\)/).click();
    await expect(page.locator('details h2').allTextContents()).resolves.toEqual(
      expect.arrayContaining(['tollgate-governance', 'tollgate-health', 'tollgate-raid']),
    );
    await expect(page.getByRole('button', { name: /Pass gate to/ }).count()).resolves.toBe(1);
    await page.close();
  });

  it('blocks the project owner at a gate in controlling mode, saying what is missing and who decides', async () => {
    const key = sandbox.jira.store.listIssues().find((i) => i.fields.summary === 'Employee mobility app')?.key ?? '';
    const page = await browser.newPage();
    await actAs(page, PEOPLE.owner.accountId);
    await page.goto(`${sandbox.url}/browse/${key}`);
    await page.getByRole('button', { name: 'Pass gate to Scoping' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain(`${key} cannot pass Gate 1: Idea Screen: missing must-meet`);
    await expect(alert.textContent()).resolves.toContain('Who may decide: the PMO.');
    await expect(page.locator('.fields').textContent()).resolves.toContain('Discovery');
    await screenshot(page, 'sandbox-jira-gate-blocked');
    await page.close();
  });

  it('hosts the steering-committee page in Confluence, in dark mode', async () => {
    const page = await browser.newPage();
    await actAs(page, PEOPLE.sponsor.accountId);
    await useSwitcher(page, 'Theme', 'dark');
    await page.goto(`${sandbox.url}/wiki`);
    await page.getByRole('link', { name: 'Steering committee: portfolio review' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Steering committee: portfolio review');
    await expect(page.locator('html').getAttribute('data-color-mode')).resolves.toBe('dark');
    await screenshot(page, 'sandbox-confluence-dark');
    await page.close();
  });
});
