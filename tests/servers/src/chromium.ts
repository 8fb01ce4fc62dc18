import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { OIDC_ACCOUNT } from './oidcProvider.js';

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Debian's Chromium through playwright-core; a clear error naming the apt line if it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The end-to-end tests need Chromium at ${CHROMIUM}. Install it with: apt-get update && apt-get install -y chromium (or set CHROMIUM_PATH).`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

/** At oidc-provider's sign-in page (its development interactions): signs in, then consents. */
export async function signInAtProvider(page: Page): Promise<void> {
  await page.locator('input[name="login"]').fill(OIDC_ACCOUNT);
  await page.locator('input[name="password"]').fill('any');
  await page.locator('button[type="submit"]').click();
  // The consent page: one button.
  await page.locator('button[type="submit"]').click();
}
