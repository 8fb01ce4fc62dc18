import { AxeBuilder } from '@axe-core/playwright';
import { DEMO } from '@tokenlane/test-harness';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signInAt, startStack, type Stack } from './harness.js';

// Issue 25: idle sign-out in Chromium, two tabs of one browser. The browser context's clock is
// paused and moved by the test (every page of a context shares it), so nothing depends on how
// fast this machine is: activity in tab B keeps tab A's timer from ending the session, the
// warning opens in both tabs, "Stay signed in" in one closes both, and the end signs both out.

const IDLE_S = 60;
const WARN_MS = 20_000;
let stack: Stack;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  // Ten-minute access tokens: no refresh in the virtual minutes this test moves through.
  stack = await startStack({ accessTokenTtlSeconds: 600, bff: true });
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** When this tab's idle sign-out ends the session (epoch ms on the paused clock), as its panel says. */
const endsAt = async (page: Page) =>
  Number(await page.getByTestId('idle-ends-at').getAttribute('data-at'));

// The same in BFF mode (`?mode=bff`): the sign-out goes to the BFF, which revokes at the API.
describe.each([
  { mode: 'the API', query: '', logoutPath: '/auth/logout', logoutStatus: 204 },
  { mode: 'BFF mode', query: '&mode=bff', logoutPath: '/bff/logout', logoutStatus: 200 },
])('idle sign-out, $mode', ({ query, logoutPath, logoutStatus }) => {
  it('keeps a session in use in another tab, warns in both, stays from either, and signs both out at the end', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    await context.clock.install();
    const url = `${stack.url}/?idle=${IDLE_S}${query}`;
    const a = await context.newPage();
    await signInAt(a, url, DEMO);
    const b = await context.newPage();
    await b.goto(url);
    await b.getByTestId('todo-input').waitFor();
    const dialogs = [a, b].map((page) => page.getByTestId('idle-dialog'));

    const start = Date.now() + 1_000;
    await context.clock.pauseAt(start);
    await context.clock.runFor(30_000);
    // Activity in tab B only (tab A, open first, keeps the timer): both tabs move their end.
    await b.mouse.move(200, 300);
    await b.mouse.move(260, 340);
    await expect.poll(() => endsAt(b)).toBeGreaterThanOrEqual(start + 30_000 + IDLE_S * 1000);
    const moved = await endsAt(b);
    await expect.poll(() => endsAt(a)).toBe(moved);

    // Past the end the session had without that activity: still signed in, no warning.
    await context.clock.runFor(moved - IDLE_S * 1000 + 35_000 - (start + 30_000));
    for (const page of [a, b]) await page.getByTestId('todo-input').waitFor();
    for (const dialog of dialogs) expect(await dialog.isVisible()).toBe(false);

    // The warning's time: the dialog opens in both tabs, with the seconds left.
    await context.clock.runFor(moved - WARN_MS - (await a.evaluate(() => Date.now())));
    for (const dialog of dialogs) await dialog.waitFor({ state: 'visible' });
    // About 20 s (the paused clock's milliseconds have fractions: 20 or 21 once rounded up).
    const seconds = Number(await b.getByTestId('idle-seconds').textContent());
    expect(Math.abs(seconds - WARN_MS / 1000)).toBeLessThanOrEqual(1);
    // axe-core runs on timers: the paused clock moves in small steps (virtual time only, well
    // inside the warning) until its scan is done. Legacy mode scans in the tab itself: the default
    // opens a blank page of this context to merge its results, and a page closing while the
    // context's clock moves fails the move ("Target page ... has been closed").
    let scanned = false;
    const scan = new AxeBuilder({ page: b })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
      .setLegacyMode()
      .analyze()
      .finally(() => (scanned = true));
    for (let step = 0; !scanned && step < 100; step++) await context.clock.runFor(50);
    expect((await scan).violations.map((violation) => violation.id)).toEqual([]);
    // Moving the mouse does not end the warning: only the button does.
    await a.mouse.move(100, 100);
    await a.getByTestId('idle-stay').click();
    for (const dialog of dialogs) await dialog.waitFor({ state: 'hidden' });
    const stayed = await endsAt(a);
    expect(stayed).toBeGreaterThan(moved);
    await expect.poll(() => endsAt(b)).toBe(stayed);

    // Nobody does anything: the warning again, then the end, in both tabs.
    await context.clock.runFor(stayed - WARN_MS - (await a.evaluate(() => Date.now())));
    for (const dialog of dialogs) await dialog.waitFor({ state: 'visible' });
    // Whichever tab's timer ends first sends the sign-out (the other is told over the channel).
    const logout = context.waitForEvent('response', (r) => r.url().endsWith(logoutPath));
    // A second past the end: the end shown is rounded to the millisecond, the timer's is not.
    await context.clock.runFor(WARN_MS + 1_000);
    expect((await logout).status()).toBe(logoutStatus);
    for (const page of [a, b]) {
      await page.getByTestId('idle-signed-out').waitFor();
      await page.getByTestId('login-form').waitFor();
    }
    // The server revoked the session: a new tab finds no session to restore.
    const c = await context.newPage();
    await c.goto(`${stack.url}/?${query.slice(1)}`);
    await c.getByTestId('login-form').waitFor();
  });
});
