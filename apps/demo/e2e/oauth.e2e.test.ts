import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, fireBurst, signInOAuth, sleep, startOAuthWorld } from './harness.js';

// Issue 14: the demo's OAuth mode in Chromium, against panva's oidc-provider: login through the
// redirect with PKCE, a burst after expiry, and two tabs through rotations with zero reuse.

const TTL_S = 3;
let world: Awaited<ReturnType<typeof startOAuthWorld>>;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  world = await startOAuthWorld(TTL_S);
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});
afterAll(() => world?.close());

async function newContext() {
  const context = await world.browser.newContext({ viewport: { width: 1100, height: 800 } });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  return context;
}

const signIn = (page: Page) => signInOAuth(page, world.stack.url, world.provider.issuer);

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
    world.provider.reset();
    expect(await fireBurst(page)).toMatch(/^50\/50 succeeded · 1 refresh call ·/);
    expect(world.provider.counts).toMatchObject({ refresh: 1, refused: 0 });
    expect(world.provider.counts.unauthorized).toBeGreaterThanOrEqual(1);
    await page.clock.resume();
    await page.screenshot({ path: join(ARTIFACTS, 'oauth-burst.png') });
  });

  it('two tabs through two rotations: both keep working, zero reuse', async () => {
    const context = await newContext();
    const a = await context.newPage();
    await signIn(a);
    // The second tab restores from the stored refresh token, then follows every rotation.
    const b = await context.newPage();
    await b.goto(`${world.stack.url}/?server=oauth`);
    await b.getByTestId('oauth-user').waitFor();
    world.provider.reset();
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
    expect(world.provider.counts.refused).toBe(0);
    expect(world.provider.counts.refresh).toBeGreaterThanOrEqual(2);
    expect(world.provider.counts.unauthorized).toBe(0);
  });
});
