import { DEMO } from '@tokenlane/test-harness';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signInAt, sleep, type Stack, startStack } from './harness.js';

// Issue 35: live todo updates between two tabs of the demo, over the API's WebSocket endpoint
// (through the demo's proxy in SPA mode, through the BFF in BFF mode): a change in one tab shows
// in the other with no reload; a tab back from sleep sends a fresh token before anything else.
let stack: Stack;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  browser = await launchChromium();
  stack = await startStack({ accessTokenTtlSeconds: 600 });
});
afterEach(async () => {
  await context?.close();
  context = undefined;
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('live updates in the demo, in Chromium', () => {
  it("a todo added in one tab shows in the other, over the session's WebSocket", async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    const sockets: string[] = [];
    let closed = 0;
    context.on('page', (page) =>
      page.on('websocket', (socket) => {
        sockets.push(new URL(socket.url()).pathname);
        socket.on('close', () => closed++);
      }),
    );
    const a = await context.newPage();
    await signInAt(a, stack.url, DEMO);
    const b = await context.newPage();
    await b.goto(stack.url);
    for (const page of [a, b]) {
      await page.locator('[data-testid="live-status"][data-status="live"]').waitFor();
    }
    const title = `live ${Date.now()}`;
    await a.getByTestId('todo-input').fill(title);
    await a.getByTestId('todo-add').click();
    await b.getByTestId('todo-list').getByText(title).waitFor();
    expect(sockets).toEqual(['/api/live', '/api/live']);

    // Signing out in one tab closes both tabs' connections.
    await a.getByTestId('logout-button').click();
    await b.getByTestId('login-form').waitFor();
    await expect.poll(() => closed, { timeout: 15_000 }).toBe(2);
  });

  it('a hidden tab whose token expired re-authenticates before its first send, in every run', async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const sent: string[] = [];
    page.on('websocket', (socket) =>
      socket.on('framesent', ({ payload }) => sent.push(String(payload))),
    );
    await page.clock.install();
    await signInAt(page, stack.url, DEMO);
    await page.locator('[data-testid="live-status"][data-status="live"]').waitFor();
    // Headless Chromium keeps every tab visible: the page is told it is hidden, then shown, as
    // the browser tells it (the document's visibilityState and its visibilitychange event).
    const show = (state: 'hidden' | 'visible') =>
      page.evaluate((visibility) => {
        Object.defineProperty(document, 'visibilityState', {
          configurable: true,
          get: () => visibility,
        });
        document.dispatchEvent(new Event('visibilitychange'));
      }, state);
    const tokenOf = (frame: string) => (JSON.parse(frame) as { token?: string }).token;
    for (let run = 1; run <= 3; run++) {
      // The tab sleeps: its timers stop, and wakes after its token's lifetime (the API's 600 s).
      await show('hidden');
      const asleep = await page.evaluate(() => Date.now());
      await page.clock.pauseAt(asleep + 100);
      await page.clock.setSystemTime(asleep + 660_000);
      const before = sent.length;
      const lastToken = sent.map(tokenOf).filter(Boolean).at(-1);
      stack.api.reset();
      await show('visible');
      await expect.poll(() => sent.length - before, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
      const [first, second] = sent
        .slice(before)
        .map((frame) => JSON.parse(frame) as { type: string; token?: string });
      expect([first!.type, second!.type], `run ${run}`).toEqual(['auth', 'ping']);
      expect(first!.token).not.toBe(lastToken);
      expect(stack.api.counts.refresh).toBe(1);
    }
  });
});

describe('live updates in the demo in BFF mode, in Chromium', () => {
  let bffStack: Stack;
  beforeAll(async () => {
    bffStack = await startStack({ accessTokenTtlSeconds: 3, bff: true });
  });
  afterAll(() => bffStack?.close());

  it('the same code goes through the BFF, which keeps the socket authenticated across rotations; the page never sees a token', async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    const sockets: string[] = [];
    const received: string[] = [];
    let closed = 0;
    context.on('page', (page) =>
      page.on('websocket', (socket) => {
        sockets.push(new URL(socket.url()).pathname);
        socket.on('framereceived', ({ payload }) => received.push(String(payload)));
        socket.on('close', () => closed++);
      }),
    );
    const a = await context.newPage();
    await signInAt(a, `${bffStack.url}/?mode=bff`, DEMO);
    const b = await context.newPage();
    await b.goto(`${bffStack.url}/?mode=bff`);
    for (const page of [a, b]) {
      await page.locator('[data-testid="live-status"][data-status="live"]').waitFor();
    }
    bffStack.api.reset();
    // Two token lifetimes: the BFF refreshes and gives each socket the new token in band.
    await sleep(7_000);
    expect(bffStack.api.counts.refresh).toBeGreaterThanOrEqual(2);
    expect(bffStack.api.counts.unauthorized).toBe(0);
    const title = `live through the BFF ${Date.now()}`;
    await a.getByTestId('todo-input').fill(title);
    await a.getByTestId('todo-add').click();
    await b.getByTestId('todo-list').getByText(title).waitFor();
    expect(sockets).toEqual(['/bff-api/live', '/bff-api/live']);
    expect(received.filter((frame) => frame.includes('"authed"')).length).toBeGreaterThanOrEqual(6);
    expect(received.join('\n')).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);

    await a.getByTestId('logout-button').click();
    await b.getByTestId('login-form').waitFor();
    await expect.poll(() => closed, { timeout: 15_000 }).toBe(2);
  });
});
