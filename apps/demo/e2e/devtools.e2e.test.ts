import { join } from 'node:path';
import { DEMO } from '@tokenlane/test-harness';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ARTIFACTS,
  fireBurst,
  launchChromium,
  signInAt,
  type Stack,
  startStack,
} from './harness.js';

// Issue 15: the devtools panel, on the demo built for production and opened with `?devtools`.
// Its own stack, with access tokens that outlive the test: no proactive refresh can slip in
// between "Expire now" and the burst, so the panel's list holds exactly what the burst caused.
let stack: Stack;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  stack = await startStack({ accessTokenTtlSeconds: 120 });
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** Presses `key` (at most 40 times) until the element with `testId` has the focus. */
async function pressUntilFocused(page: Page, key: string, testId: string) {
  const focused = () =>
    page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
  for (let presses = 0; presses < 40; presses++) {
    if ((await focused()) === testId) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${key} never reached ${testId} (focus is on ${await focused()})`);
}

describe('the devtools panel in Chromium', () => {
  it('opened with the keyboard, "Expire now", then the burst: one refresh and 50/50 in the panel and in the burst panel', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    const page = await context.newPage();
    await signInAt(page, `${stack.url}/?devtools`, DEMO);
    // The todo list's own requests are done before the panel's lists are cleared.
    await page.getByText('Loading your todos…').waitFor({ state: 'detached' });
    // Keyboard only: Shift+Tab from the top of the page reaches the panel's button, the last stop.
    await page.locator('body').focus();
    await pressUntilFocused(page, 'Shift+Tab', 'tokenlane-devtools-toggle');
    await page.keyboard.press('Enter');
    const panel = page.getByRole('dialog', { name: 'Tokenlane' });
    await panel.waitFor();
    await pressUntilFocused(page, 'Tab', 'tokenlane-devtools-clear');
    await page.keyboard.press('Enter');
    await pressUntilFocused(page, 'Shift+Tab', 'tokenlane-devtools-expire');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => panel.getByTestId('tokenlane-devtools-lifetime').textContent())
      .toBe('expired');
    stack.api.reset();
    // The token is expired already: the burst panel must not expire it again.
    await page.getByTestId('burst-expire-first').uncheck();
    const refreshCall = page.waitForRequest((r) => r.url().endsWith('/auth/refresh'));
    expect(await fireBurst(page)).toMatch(/^50\/50 succeeded · 1 refresh call ·/);
    const refreshes = panel.getByTestId('tokenlane-devtools-refreshes').getByRole('listitem');
    await expect
      .poll(() => refreshes.allTextContents())
      .toEqual([expect.stringMatching(/ expired · ok in \d+ ms · trace [0-9a-f]{32}$/)]);
    // The trace id shown is the one the refresh call carried to the server (W3C traceparent).
    const traceId = await panel.getByTestId('tokenlane-devtools-trace-id').textContent();
    expect((await refreshCall).headers().traceparent).toMatch(
      new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`),
    );
    const todos = panel
      .getByTestId('tokenlane-devtools-network')
      .locator('[data-path="/api/todos"]');
    await expect.poll(() => todos.textContent()).toBe('/api/todos 200 × 50');
    expect(stack.api.counts.refresh).toBe(1);
    expect(stack.api.counts.unauthorized).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'devtools.png') });
    await panel.getByTestId('tokenlane-devtools-clear').focus();
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'tokenlane-devtools-toggle',
    );
  });
});
