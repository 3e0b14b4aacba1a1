/**
 * One browser journey's world: a freshly seeded sandbox on a free port with the Custom UI resources built, Debian
 * Chromium, and sessions that reach a page through the sandbox's switchers as a given persona. Every test ends with
 * no CSP report and no console error, since either means a page is broken for a real user.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { buildResources } from '../../sandbox/build-resources';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { holdSiteClock, releaseSiteClock } from '../support/site-clock';
import { launchBrowser, useSwitcher } from './browser';
import { freePort } from './free-port';

const APP_ROOT = resolve(__dirname, '../..');
/** The day every journey's sandbox is seeded for, so the demo's dates read the same in every run. */
export const E2E_TODAY = '2026-11-21';

export interface SessionOptions {
  readonly locale?: 'en-US' | 'nb-NO' | 'sv-SE';
  readonly theme?: 'light' | 'dark';
  readonly viewport?: { readonly width: number; readonly height: number };
}

export interface Session {
  readonly context: BrowserContext;
  readonly page: Page;
}

export interface E2eWorld {
  readonly sandbox: () => Sandbox;
  /** A new browser context on `path`, switched to `accountId`, language and theme (each switch reloads `path`). */
  readonly open: (accountId: string, path: string, options?: SessionOptions) => Promise<Session>;
}

/**
 * Registers beforeAll/afterAll/afterEach for a describe block and returns its world. `name` tells the data
 * directories of concurrent suites apart.
 */
export function useE2eWorld(name: string): E2eWorld {
  let sandbox: Sandbox | undefined;
  let browser: Browser | undefined;
  let dataDir = '';
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    buildResources(APP_ROOT);
    holdSiteClock(E2E_TODAY);
    dataDir = mkdtempSync(join(tmpdir(), `tollgate-e2e-${name}-`));
    sandbox = await startSandbox({ appRoot: APP_ROOT, dataDir, port: await freePort(), today: E2E_TODAY });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
    rmSync(dataDir, { recursive: true, force: true });
    releaseSiteClock();
  });

  afterEach(() => {
    expect(sandbox?.cspReports).toEqual([]);
    expect(consoleErrors.splice(0)).toEqual([]);
  });

  const running = (): Sandbox => {
    if (!sandbox) throw new Error('the sandbox is not started (call open() inside a test)');
    return sandbox;
  };

  return {
    sandbox: running,
    async open(accountId, path, options = {}) {
      if (!browser) throw new Error('the browser is not started (call open() inside a test)');
      const context = await browser.newContext({
        viewport: options.viewport ?? { width: 1280, height: 900 },
        acceptDownloads: true,
      });
      // The browser lives on the site's day too (the panel's forms default their dates from it); its clock runs.
      await context.clock.install({ time: Date.now() });
      const page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => consoleErrors.push(error.message));
      await page.goto(`${running().url}${path}`);
      await useSwitcher(page, 'Acting user', accountId);
      await useSwitcher(page, 'Language', options.locale ?? 'en-US');
      await useSwitcher(page, 'Theme', options.theme ?? 'light');
      return { context, page };
    },
  };
}

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: ReadonlyArray<{ readonly target: readonly string[] }>;
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The serious and critical accessibility violations axe-core finds in a frame (an app's iframe, or the page).
 * axe is evaluated through the DevTools protocol, which Forge's CSP on the frame does not govern, so the app's own
 * policy stays exactly as it is in production.
 */
export async function seriousAxeViolations(frame: Frame): Promise<string[]> {
  await frame.evaluate(AXE_SOURCE);
  // A string, so the browser-side code needs no DOM types in this Node project.
  const violations = await frame.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations)`,
  );
  return (violations as AxeViolation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The live Frame of the app module `moduleKey` on `page` (for axe and evaluate; locators use frameLocator). */
export async function appFrame(page: Page, moduleKey: string): Promise<Frame> {
  const handle = await page.waitForSelector(`iframe[data-module="${moduleKey}"]`);
  const frame = await handle.contentFrame();
  if (!frame) throw new Error(`the ${moduleKey} iframe has no document`);
  return frame;
}
