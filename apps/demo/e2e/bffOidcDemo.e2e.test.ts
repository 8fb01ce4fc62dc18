import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAtProvider } from '@tokenlane/test-servers/chromium';
import { BFF_OIDC_CLIENT } from './bffServer.js';
import { launchChromium, sleep, type Stack, startStack } from './harness.js';

// Issue 33: the demo's OAuth screen in BFF mode (`?mode=bff&server=oauth`), apps/bff on
// oidc-provider (rotating refresh tokens, no reuse grace; access tokens live 3 s): sign-in by
// navigation, steady use through three lifetimes, two tabs, and the provider's back-channel
// logout signing both out.

const TTL_S = 3;
let stack: Stack;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  browser = await launchChromium();
  stack = await startStack({ accessTokenTtlSeconds: TTL_S, bff: 'oidc' });
  context = await browser.newContext();
  context.setDefaultTimeout(15_000);
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
});

const screen = () => `${stack.url}/?mode=bff&server=oauth`;
const provider = () => stack.bff!.provider!;

/** Signs in at the provider by navigation from the demo's button, as a user would. */
async function signIn(page: Page) {
  await page.goto(screen());
  await page.getByTestId('oauth-login').click();
  await signInAtProvider(page);
  await page.getByTestId('oauth-user').waitFor();
}

describe('the demo in BFF mode on oidc-provider, in Chromium', () => {
  it('signs in by navigation and calls the provider through three lifetimes with no failure and one refresh per rotation', async () => {
    const page = await context.newPage();
    await signIn(page);
    expect(await page.getByTestId('oauth-user').textContent()).toBe('ada@provider.example');
    expect(await page.getByTestId('oauth-binding').textContent()).toMatch(/held by the BFF/);
    provider().reset();
    const answered = async () => {
      const [ok, failed] = ((await page.getByTestId('oauth-pings').textContent()) ?? '')
        .match(/\d+/g)!
        .map(Number);
      return ok! + failed!;
    };
    const started = Date.now();
    let clicks = 0;
    while (Date.now() - started < 3 * TTL_S * 1000 + 1_000) {
      await page.getByTestId('oauth-ping').click();
      clicks++;
      await expect.poll(answered).toBe(clicks);
      await sleep(250);
    }
    const elapsed = Date.now() - started;
    expect(await page.getByTestId('oauth-pings').textContent()).toBe(`${clicks} ok, 0 failed`);
    // The BFF refreshes when a token has less than 1 s left: at most one refresh per 2 s of use.
    expect(provider().counts.refresh).toBeGreaterThanOrEqual(3);
    expect(provider().counts.refresh).toBeLessThanOrEqual(Math.ceil(elapsed / 2_000) + 1);
    expect(provider().counts.refused).toBe(0);
    await page.close();
  });

  it("signs every tab out when the provider's back-channel logout ends the session", async () => {
    const [one, two] = [await context.newPage(), await context.newPage()];
    await one.goto(screen());
    await two.goto(screen());
    await one.getByTestId('oauth-user').waitFor();
    await two.getByTestId('oauth-user').waitFor();
    const { user } = (await one.evaluate(() =>
      fetch('/bff/session', { headers: { 'X-Requested-With': 'XMLHttpRequest' } }).then((a) =>
        a.json(),
      ),
    )) as { user: { sub: string; sid: string } };
    await provider().backchannelLogout(BFF_OIDC_CLIENT.id, user.sub, user.sid);
    // This tab's next call finds the session ended; the other tab is told at once.
    await one.getByTestId('oauth-ping').click();
    await one.getByTestId('oauth-login').waitFor();
    await two.getByTestId('oauth-login').waitFor();
    expect(await one.getByTestId('oauth-pings').count()).toBe(0);
  });
});
