import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInOAuth, sleep, startOAuthWorld } from './harness.js';

// Issue 22: a tab frozen by the browser (Page Lifecycle) while its refresh holds the Web Lock, in
// body-token mode (the demo's OAuth mode) against a provider that rotates refresh tokens with no
// grace window (oidc-provider: a rotated token presented again is refused and revokes the grant).

const TTL_S = 3;
/** How long a request waits for a refresh at most (REFRESH_WAIT_MS). */
const REQUEST_WAIT_MS = 30_000;
let world: Awaited<ReturnType<typeof startOAuthWorld>>;
let context: BrowserContext;

beforeAll(async () => {
  world = await startOAuthWorld(TTL_S);
  context = await world.browser.newContext({ viewport: { width: 1100, height: 800 } });
  context.setDefaultTimeout(15_000);
});
afterAll(() => world?.close());

/** Counts the refresh-token grants each tab sends to the provider's token endpoint. */
function countGrants(pages: Page[]) {
  const grants = new Map<Page, number>(pages.map((page) => [page, 0]));
  for (const page of pages) {
    page.on('request', (request) => {
      if (request.url().endsWith('/token') && request.postData()?.includes('refresh_token=')) {
        grants.set(page, (grants.get(page) ?? 0) + 1);
      }
    });
  }
  return grants;
}

const pings = (page: Page) => page.getByTestId('oauth-pings').textContent();

describe('the demo in Chromium: a tab frozen while it holds the refresh lock', () => {
  it('the other tab never presents the refresh token, nobody is signed out, both go on after the resume', async () => {
    const a = await context.newPage();
    await signInOAuth(a, world.stack.url, world.provider.issuer);
    // The second tab restores from the stored refresh token, then follows every rotation.
    const b = await context.newPage();
    await b.goto(`${world.stack.url}/?server=oauth`);
    await b.getByTestId('oauth-user').waitFor();
    const grants = countGrants([a, b]);

    // The next proactive refresh rotates at the provider; its answer is held back on the way,
    // until the end of the freeze.
    world.provider.reset();
    const hold = world.provider.holdTokenAnswers();
    await hold.held;
    // The browser reports the request a moment after the provider has it.
    await expect.poll(() => grants.get(a)! + grants.get(b)!).toBe(1);
    const [frozen, other] = grants.get(a) === 1 ? [a, b] : [b, a];
    expect([grants.get(frozen), grants.get(other)]).toEqual([1, 0]);
    // The browser freezes the tab whose refresh holds the lock.
    const lifecycle = await context.newCDPSession(frozen);
    await lifecycle.send('Page.setWebLifecycleState', { state: 'frozen' });

    // The other tab's token expires; its requests need a refresh, and the lock stays taken.
    await sleep((TTL_S + 1) * 1000);
    await other.getByTestId('oauth-ping').click();
    await expect
      .poll(() => pings(other), { timeout: REQUEST_WAIT_MS + 10_000 })
      .toBe('0 ok, 1 failed');
    expect(grants.get(other)).toBe(0);
    expect(world.provider.counts).toMatchObject({ refresh: 1, refused: 0 });

    // The tab resumes: its answer lands, the other tab takes its token, and both go on.
    hold.release();
    await lifecycle.send('Page.setWebLifecycleState', { state: 'active' });
    await expect
      .poll(
        async () => {
          await other.getByTestId('oauth-ping').click();
          await frozen.getByTestId('oauth-ping').click();
          return (await pings(other))?.startsWith('0 ok') === false;
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(true);
    await sleep(2 * TTL_S * 1000);
    for (const page of [frozen, other]) {
      await page.getByTestId('oauth-ping').click();
      expect(await page.getByTestId('oauth-user').textContent()).toBe('ada@provider.example');
    }
    expect(world.provider.counts.refused).toBe(0);
    const newest = world.provider.issuedRefreshTokens.at(-1) ?? '';
    expect(await world.provider.isLive(newest)).toBe(true);
  });
});
