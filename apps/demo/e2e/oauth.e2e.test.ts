import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OIDC_CLIENT_ID, startOidcProvider, type OidcServer } from '@tokenlane/test-servers/oidc';
import { ARTIFACTS, fireBurst, launchChromium, sleep, type Stack, startStack } from './harness.js';

// Issue 14: the demo's OAuth mode in Chromium, against panva's oidc-provider: login through the
// redirect with PKCE, a burst after expiry, and two tabs through rotations with zero reuse.

const TTL_S = 3;
let stack: Stack;
let provider: OidcServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  stack = await startStack({ accessTokenTtl: TTL_S });
  provider = await startOidcProvider({
    accessTokenTtl: TTL_S,
    redirectUris: [`${stack.url}/oauth/callback`],
  });
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});
afterAll(async () => {
  await browser?.close();
  await provider?.close();
  await stack?.close();
});

async function newContext() {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  return context;
}

/** Opens the OAuth mode and signs in at the provider's login and consent pages. */
async function signIn(page: Page) {
  const query = new URLSearchParams({
    server: 'oauth',
    issuer: provider.issuer,
    client_id: OIDC_CLIENT_ID,
  });
  await page.goto(`${stack.url}/?${query}`);
  await page.getByTestId('oauth-login').click();
  await page.locator('input[name="login"]').fill('ada@provider.example');
  await page.locator('input[name="password"]').fill('any');
  await page.locator('button[type="submit"]').click();
  // The consent page: one button.
  await page.locator('button[type="submit"]').click();
  await page.getByTestId('oauth-user').waitFor();
}

describe('the demo in Chromium, OAuth mode against oidc-provider', () => {
  it('signs in through the redirect with PKCE and comes back signed in', async () => {
    const page = await (await newContext()).newPage();
    await signIn(page);
    expect(await page.getByTestId('oauth-user').textContent()).toBe('ada@provider.example');
    expect(new URL(page.url()).pathname).toBe('/');
  });

  it('burst after expiry: 50 of 50 succeed with exactly one refresh', async () => {
    const page = await (await newContext()).newPage();
    // The page's clock and timers are paused, as on a sleeping laptop: its token expires unnoticed.
    await page.clock.install();
    await signIn(page);
    await page.clock.pauseAt(Date.now() + 100);
    await sleep((TTL_S + 1.5) * 1000);
    provider.reset();
    expect(await fireBurst(page)).toMatch(/^50\/50 succeeded · 1 refresh call ·/);
    expect(provider.counts).toMatchObject({ refresh: 1, refused: 0 });
    expect(provider.counts.unauthorized).toBeGreaterThanOrEqual(1);
    await page.clock.resume();
    await page.screenshot({ path: join(ARTIFACTS, 'oauth-burst.png') });
  });

  it('two tabs through two rotations: both keep working, zero reuse', async () => {
    const context = await newContext();
    const a = await context.newPage();
    await signIn(a);
    // The second tab restores from the stored refresh token, then follows every rotation.
    const b = await context.newPage();
    await b.goto(`${stack.url}/?server=oauth`);
    await b.getByTestId('oauth-user').waitFor();
    provider.reset();
    const started = Date.now();
    let calls = 0;
    while (Date.now() - started < 2.5 * TTL_S * 1000) {
      await a.getByTestId('oauth-ping').click();
      await b.getByTestId('oauth-ping').click();
      calls++;
      await sleep(300);
    }
    await expect
      .poll(() => a.getByTestId('oauth-pings').textContent())
      .toBe(`${calls} ok, 0 failed`);
    await expect
      .poll(() => b.getByTestId('oauth-pings').textContent())
      .toBe(`${calls} ok, 0 failed`);
    expect(provider.counts.refused).toBe(0);
    expect(provider.counts.refresh).toBeGreaterThanOrEqual(2);
    expect(provider.counts.unauthorized).toBe(0);
  });
});
