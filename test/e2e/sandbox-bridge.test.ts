import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { buildResources } from '../../sandbox/build-resources';
import { PEOPLE } from '../../sandbox/seed/people';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { launchBrowser, screenshot, useSwitcher } from './browser';
import { freePort } from './free-port';

const FIXTURE_APP = resolve(__dirname, '../fixtures/forge-app');

jest.setTimeout(120_000);

describe('the bridge host in a real browser (fixture app)', () => {
  let sandbox: Sandbox;
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    buildResources(FIXTURE_APP);
    dataDir = mkdtempSync(join(tmpdir(), 'tollgate-e2e-'));
    sandbox = await startSandbox({ appRoot: FIXTURE_APP, dataDir, port: await freePort(), today: '2026-11-21' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loads the Custom UI page with the bridge: getContext, invoke, requestJira and showFlag all work', async () => {
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.goto(`${sandbox.url}/jira/apps/fixture-page`);
    const frame = page.frameLocator('iframe[data-module="fixture-page"]');
    await frame.locator('#resolver').getByText(`hello ${PEOPLE.pmoLead.displayName}`).waitFor();
    await expect(frame.locator('#context').textContent()).resolves.toBe('fixture-page jira:globalPage en-US');
    await expect(frame.locator('#product').textContent()).resolves.toBe(`200 ${PEOPLE.pmoLead.displayName}`);
    await frame.locator('#flag').click();
    await page.getByRole('status').getByText('Bridge works').waitFor();
    await screenshot(page, 'sandbox-bridge-fixture-page');
    expect(sandbox.cspReports).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('runs as the user chosen in the switcher, and themes the frame', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${sandbox.url}/jira/apps/fixture-page`);
    await useSwitcher(page, 'Acting user', PEOPLE.member.accountId);
    await useSwitcher(page, 'Theme', 'dark');
    const frame = page.frameLocator('iframe[data-module="fixture-page"]');
    await frame.locator('#resolver').getByText(`hello ${PEOPLE.member.displayName}`).waitFor();
    await expect(frame.locator('html').getAttribute('data-color-mode')).resolves.toBe('dark');
    await screenshot(page, 'sandbox-bridge-fixture-dark');
    await context.close();
  });

  it("serves the frame with Forge's CSP, so an inline script the build did not contain is blocked", async () => {
    const response = await fetch(`${sandbox.url}/forge/resources/page/index.html?context=x`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    // Assets are served from the resource's own sub-path, so a build with absolute /assets URLs would 404 here too.
    expect((await fetch(`${sandbox.url}/assets/index.js`)).status).toBe(404);
  });
});
