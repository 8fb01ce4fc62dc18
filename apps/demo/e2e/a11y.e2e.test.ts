import { AxeBuilder } from '@axe-core/playwright';
import { ADMIN, DEMO } from '@tokenlane/test-harness';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signInAt, sleep, startStack, type Stack } from './harness.js';

// Issue 25: the demo's pages pass axe-core (WCAG 2.0/2.1 A and AA, and best practice) with zero
// violations in Chromium: signed out, signed in (user and admin, on both transports), the
// step-up dialog open, the session-end warning, the devtools panel open, and the OAuth page;
// issue 32: the Events log once it overflows.

const MAX_AGE_S = 2;
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
let stack: Stack;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  // Sessions end 10 min and 3 s after the sign-in: the 10-minute warning shows 3 s in.
  stack = await startStack({
    accessTokenTtlSeconds: 60,
    env: { STEP_UP_MAX_AGE: String(MAX_AGE_S), REFRESH_TOKEN_TTL: '603' },
  });
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  return context.newPage();
}

/** axe's violations on the page as it is, one line each (rule, impact, the elements). */
async function violations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact ?? '?'}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
}

describe('the demo passes axe-core in Chromium', () => {
  it('signed out: the login form, and its validation messages', async () => {
    const page = await newPage();
    await page.goto(stack.url);
    await page.getByTestId('login-form').waitFor();
    expect(await violations(page)).toEqual([]);
    await page.getByTestId('login-submit').click();
    await page.getByText('Enter a valid email address.').waitFor();
    expect(await violations(page)).toEqual([]);
  });

  it.each(['', '?transport=fetch'])('signed in as the demo user (%s)', async (query) => {
    const page = await newPage();
    await signInAt(page, `${stack.url}/${query}`, DEMO);
    await page.getByTestId('admin-forbidden').waitFor();
    expect(await violations(page)).toEqual([]);
  });

  it('signed in as the admin, then with the step-up dialog open', async () => {
    const page = await newPage();
    await signInAt(page, `${stack.url}/?dpop=on`, ADMIN);
    await page.getByTestId('admin-stats').waitFor();
    expect(await violations(page)).toEqual([]);
    await sleep((MAX_AGE_S + 1) * 1000 + 300);
    await page.getByTestId('admin-recount').click();
    await page.getByRole('dialog', { name: 'Confirm it’s you' }).waitFor();
    expect(await violations(page)).toEqual([]);
  });

  it("with the session's end foretold: the warning, and the end in the session panel", async () => {
    const page = await newPage();
    const before = Date.now();
    await signInAt(page, stack.url, DEMO);
    const banner = page.getByTestId('session-ending');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/^Save your work: your session ends at /);
    expect(Date.now() - before).toBeGreaterThanOrEqual(2000);
    expect(await page.getByTestId('session-ends-at').textContent()).not.toBe('not said');
    expect(await violations(page)).toEqual([]);
  });

  it('with the devtools panel open', async () => {
    const page = await newPage();
    await signInAt(page, `${stack.url}/?devtools`, DEMO);
    await page.getByTestId('tokenlane-devtools-toggle').click();
    await page.getByTestId('tokenlane-devtools-panel').waitFor();
    expect(await violations(page)).toEqual([]);
  });

  it('with the Events log overflowing (refreshes asked for in the devtools)', async () => {
    const page = await newPage();
    await signInAt(page, `${stack.url}/?devtools`, DEMO);
    await page.getByTestId('tokenlane-devtools-toggle').click();
    const log = page.getByTestId('refresh-log');
    const overflows = () => log.evaluate((el) => el.scrollHeight > el.clientHeight);
    for (let i = 0; i < 30 && !(await overflows()); i++) {
      const refreshed = page.waitForResponse((r) => r.url().endsWith('/auth/refresh'));
      await page.getByTestId('tokenlane-devtools-refresh').click();
      await refreshed;
    }
    expect(await overflows()).toBe(true);
    await page.getByTestId('tokenlane-devtools-toggle').click();
    expect(await violations(page)).toEqual([]);
  });

  it("the OAuth mode's sign-in page", async () => {
    const page = await newPage();
    await page.goto(`${stack.url}/?server=oauth&issuer=http://127.0.0.1:9/&client_id=demo`);
    await page.getByTestId('oauth-login').waitFor();
    expect(await violations(page)).toEqual([]);
  });
});
