import { DEMO } from '@tokenlane/test-harness';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { heldTokens, JWT, readableByScript, recordExposure } from './bffProbe.js';
import { fireBurst, launchChromium, sleep, type Stack, startStack } from './harness.js';

// Issue 33: the demo in BFF mode (`?mode=bff`): the BFF (apps/bff) holds the tokens, the page
// holds a __Host- cookie it cannot read. The API's access tokens live 3 s.

const TTL_S = 3;
let stack: Stack;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  stack = await startStack({ accessTokenTtlSeconds: TTL_S, bff: true });
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function newPage(context?: BrowserContext) {
  const owner = context ?? (await browser.newContext({ viewport: { width: 1280, height: 900 } }));
  owner.setDefaultTimeout(10_000);
  if (!context) contexts.push(owner);
  return owner.newPage();
}

async function signIn(page: Page, query = '?mode=bff') {
  await page.goto(`${stack.url}/${query}`);
  await page.getByTestId('login-email').fill(DEMO.email);
  await page.getByTestId('login-password').fill(DEMO.password);
  const response = page.waitForResponse((r) => r.url().endsWith('/bff/login'));
  await page.getByTestId('login-submit').click();
  expect((await response).status()).toBe(200);
  await page.getByTestId('todo-input').waitFor();
}

async function addTodo(page: Page, title: string) {
  await page.getByTestId('todo-input').fill(title);
  await page.getByTestId('todo-add').click();
  await page.getByTestId('todo-item').filter({ hasText: title }).waitFor();
}

describe('the demo in BFF mode, in Chromium', () => {
  it('stays silent through three token lifetimes, and a burst after expiry makes one upstream refresh', async () => {
    const page = await newPage();
    const httpErrors: string[] = [];
    const alerts: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) httpErrors.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    page.on('pageerror', (error) => alerts.push(error.message));
    const apiCalls: string[] = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/api/') || path.startsWith('/auth/')) apiCalls.push(path);
    });
    // No live socket here: the BFF keeps a socket's session fresh, and the burst below must meet an
    // expired token.
    await signIn(page, '?mode=bff&live=off');
    httpErrors.length = 0; // the signed-out check at load (401 no_session) and the admin panel's 403
    stack.api.reset();
    const started = Date.now();
    let added = 0;
    while (Date.now() - started < 3 * TTL_S * 1000 + 500) {
      await addTodo(page, `bff task ${++added}`);
      await sleep(400);
    }
    expect(httpErrors.filter((e) => !e.endsWith('/admin/stats'))).toEqual([]);
    expect(alerts).toEqual([]);
    expect(await page.locator('[role="alert"]').count()).toBe(0);
    expect(stack.api.counts.unauthorized).toBe(0);
    expect(stack.api.counts.refresh).toBeGreaterThanOrEqual(3);
    // The page never called the API or its auth endpoints itself: only the BFF did.
    expect(apiCalls).toEqual([]);

    await page.getByTestId('burst-expire-first').uncheck();
    await sleep((TTL_S + 0.5) * 1000);
    stack.api.reset();
    expect(await fireBurst(page)).toMatch(/^50\/50 succeeded/);
    expect(stack.api.counts.refresh).toBe(1);
    expect(stack.api.counts.unauthorized).toBe(0);
  });

  it('no token reaches storage, script-readable cookies, response bodies, postMessage or the DOM; the cookie passes the audit', async () => {
    const page = await newPage();
    const bodies = await recordExposure(page);
    await signIn(page);
    await addTodo(page, 'probe');
    await sleep((TTL_S + 0.5) * 1000);
    await addTodo(page, 'probe after a refresh');
    await page.reload();
    await page.getByTestId('todo-input').waitFor();
    const context = page.context();
    const held = await heldTokens(stack.bff!, context);
    expect(held.length).toBe(2);
    const readable = await readableByScript(page);
    expect(readable.cookie).toBe('');
    const surfaces = { ...readable, bodies: bodies.join('\n') };
    for (const [surface, text] of Object.entries(surfaces)) {
      expect.soft(text, surface).not.toMatch(JWT);
      for (const token of held) expect.soft(text.includes(token), surface).toBe(false);
    }
    expect(bodies.length).toBeGreaterThan(3);
    const cookies = await context.cookies();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({
      name: '__Host-tokenlane',
      path: '/',
      secure: true,
      httpOnly: true,
      sameSite: 'Strict',
      domain: 'localhost',
    });
  });

  it('a second tab adopts the session; logout in one tab signs every tab out', async () => {
    const first = await newPage();
    await signIn(first);
    const second = await newPage(first.context());
    await second.goto(`${stack.url}/?mode=bff`);
    await second.getByTestId('todo-input').waitFor();
    await first.getByTestId('logout-button').click();
    await first.getByTestId('login-form').waitFor();
    await second.getByTestId('login-form').waitFor();
    // The tabs sign out first and tell the server after (a sign-out never waits on the network),
    // so the cookie's removal arrives with the logout's answer, a moment after the login form.
    await expect.poll(() => first.context().cookies(), { timeout: 15_000 }).toEqual([]);
  });
});
