import { DEMO } from '@tokenlane/test-harness';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signInAt, type Stack, startStack } from './harness.js';

// Issue 35: live todo updates between two tabs of the demo (SPA mode), over the API's WebSocket
// endpoint through the demo's proxy: a change in one tab shows in the other with no reload.
let stack: Stack;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  browser = await launchChromium();
  stack = await startStack({ accessTokenTtlSeconds: 600 });
});
afterAll(async () => {
  await context?.close();
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
    await expect.poll(() => closed).toBe(2);
  });
});
