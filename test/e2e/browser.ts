/**
 * Chromium for end-to-end tests: Debian's build driven by playwright-core (never a downloaded browser; .ci/run
 * installs the `chromium` package). Screenshots land in test-results/screenshots for people to look at.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const SCREENSHOTS = resolve(__dirname, '../../test-results/screenshots');

const EXECUTABLE = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launches headless Chromium with the flags this machine's closed network needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: EXECUTABLE,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Saves a full-page screenshot under test-results/screenshots. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // A full-page capture keeps the host's sticky top bar where the scroll left it, in the middle of the picture.
  await page.evaluate('window.scrollTo(0, 0)');
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Changes one of the sandbox's switchers (acting user, theme, language) and waits for the page the switch reloads,
 * so the next step already runs as the new user.
 */
export async function useSwitcher(
  page: Page,
  label: 'Acting user' | 'Theme' | 'Language',
  value: string,
): Promise<void> {
  const select = page.getByLabel(label);
  if ((await select.inputValue()) === value) return; // no change event, no reload
  const reloaded = page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame());
  await select.selectOption(value);
  await reloaded;
  await page.waitForLoadState('load');
}
