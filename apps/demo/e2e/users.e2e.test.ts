import { ADMIN, DEMO, postAuth } from '@tokenlane/test-harness';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fireBurst, launchChromium, signInAt, sleep, startStack, type Stack } from './harness.js';
import { startHoldingProxy } from './holdingProxy.js';

// Issue 31 in Chromium: a session belongs to one user, a sign-out sticks, the session's end is
// told once. A proxy of the test's own stands between the demo's server and the API.

let browser: Browser;
let stack: Stack;
let proxy: Awaited<ReturnType<typeof startHoldingProxy>>;
const contexts: BrowserContext[] = [];
/** The session's absolute lifetime (REFRESH_TOKEN_TTL), seconds: within the banner's notice. */
const SESSION_S = 45;

beforeAll(async () => {
  browser = await launchChromium();
  stack = await startStack({
    accessTokenTtlSeconds: 3,
    env: { REFRESH_TOKEN_TTL: String(SESSION_S) },
    via: async (api) => {
      proxy = await startHoldingProxy(api);
      return proxy.url;
    },
  });
});
afterEach(async () => {
  proxy.release();
  proxy.answerLogout(null);
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await proxy?.close();
});

async function newContext() {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  context.setDefaultTimeout(20_000);
  contexts.push(context);
  return context;
}
const shown = (pages: Page[]) =>
  Promise.all(pages.map((page) => page.getByTestId('user-email').textContent()));
/**
 * Whether the newest refresh cookie the API set for `email` is refused now (an older one would be
 * refused anyway, and presenting it would revoke the family itself: reuse detection).
 */
const newestRefused = async (email: string) => {
  const newest = proxy.cookies.filter((cookie) => cookie.email === email).at(-1);
  if (!newest) return false;
  return (await postAuth(`${stack.api.url}/auth/refresh`, newest.token)).status === 401;
};

describe.each(['axios', 'fetch'] as const)('one user per session, over %s', (transport) => {
  it("the admin signs in while alice's refresh answer is held: every tab shows the admin, every request after it carries the admin's token, alice's family is revoked", async () => {
    const context = await newContext();
    const url = `${stack.url}/${transport === 'fetch' ? '?transport=fetch' : ''}`;
    const a = await context.newPage();
    await signInAt(a, url, DEMO);
    const b = await context.newPage();
    await b.goto(url);
    await b.getByTestId('todo-input').waitFor();

    // Alice's next renewal (tokens live 3 s) is answered by the API and held on its way back.
    await proxy.hold();
    await b.getByTestId('switch-user').click();
    await b.getByTestId('login-email').fill(ADMIN.email);
    await b.getByTestId('login-password').fill(ADMIN.password);
    const answered = b.waitForResponse((r) => r.url().endsWith('/auth/login'));
    await b.getByTestId('login-submit').click();
    proxy.release();
    const admin = ((await (await answered).json()) as { user: { id: string } }).user.id;
    const after = proxy.passed.length;

    await expect.poll(() => shown([a, b])).toEqual([ADMIN.email, ADMIN.email]);
    // Renewals of the admin's session, and requests from both tabs.
    await sleep(7_000);
    expect(await fireBurst(a)).toMatch(/^50\/50 succeeded/);
    expect(await fireBurst(b)).toMatch(/^50\/50 succeeded/);
    expect(await shown([a, b])).toEqual([ADMIN.email, ADMIN.email]);
    const since = proxy.passed.slice(after);
    expect(since.length).toBeGreaterThanOrEqual(100);
    expect(since.filter((request) => request.sub !== admin)).toEqual([]);
    expect(await newestRefused(DEMO.email)).toBe(true);
  });
});

describe('a sign-out sticks (in Chromium)', () => {
  it('the idle end meets a 503 at logout, then the network down: a reload 5 s later stays signed out, and the cookie no longer renews', async () => {
    const context = await newContext();
    const url = `${stack.url}/?idle=6`;
    const a = await context.newPage();
    await signInAt(a, url, ADMIN);
    proxy.answerLogout(503);
    const { logouts } = proxy.counts();
    // Nobody touches the page: the idle end signs it out and tells the server, which answers 503.
    await a.getByTestId('login-form').waitFor({ timeout: 30_000 });
    await expect.poll(() => proxy.counts().logouts).toBeGreaterThan(logouts);
    // Then the network is down for a while (its retries fail), and back with the store still down.
    await context.setOffline(true);
    await sleep(3_000);
    await context.setOffline(false);
    await sleep(2_000);
    const refreshes = proxy.counts().refreshes;
    await a.reload();
    await a.getByTestId('login-form').waitFor();
    // The reloaded page restored nothing while the sign-out waits for the server.
    await sleep(1_000);
    expect(proxy.counts().refreshes).toBe(refreshes);
    expect(await a.getByTestId('user-email').count()).toBe(0);
    // The store is back: the kept sign-out reaches the API, and the cookie no longer renews.
    proxy.answerLogout(null);
    await expect.poll(() => newestRefused(ADMIN.email), { timeout: 40_000 }).toBe(true);
    await a.reload();
    await a.getByTestId('login-form').waitFor();
    expect(proxy.counts().refreshes).toBeGreaterThan(refreshes);
    expect(await a.getByTestId('user-email').count()).toBe(0);
  });
});

describe("the session's end (in Chromium)", () => {
  it('two tabs and a tab opened during the notice are told once each, and all sign out at the end', async () => {
    const context = await newContext();
    const a = await context.newPage();
    await signInAt(a, stack.url, DEMO);
    const b = await context.newPage();
    await b.goto(stack.url);
    await b.getByTestId('todo-input').waitFor();
    // The end is nearer than the banner's notice: told at once, then renewed every ~2 s.
    await sleep(10_000);
    const c = await context.newPage();
    await c.goto(stack.url);
    await c.getByTestId('todo-input').waitFor();
    await sleep(10_000);
    const told = (page: Page) => page.getByTestId('session-ending').getAttribute('data-told');
    expect(await Promise.all([a, b, c].map(told))).toEqual(['1', '1', '1']);
    await Promise.all(
      [a, b, c].map((page) =>
        page.getByTestId('login-form').waitFor({ timeout: SESSION_S * 1000 }),
      ),
    );
  });
});
