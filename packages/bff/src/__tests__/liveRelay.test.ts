import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient } from 'graphql-ws';
import { WebSocket } from 'ws';
import { DEMO } from '@tokenlane/test-harness';
import { testBrowser } from '@tokenlane/test-servers/bff';
import { startTokenlaneStack, type TokenlaneStack } from './support/tokenlaneStack.js';

// Issue 35, BFF mode: the page's live connections go through the BFF, which adds the token
// server-side: in place of the session mark in the page's messages, and in band after each
// refresh. The page's code is the SPA's; it never holds a token.

const JWT = /eyJ[\w-]+\.[\w-]+\./;
/** A relayed check runs every min(5 s, leeway / 2): 1 s here. */
const CHECKED = { timeout: 10_000 };
let stack: TokenlaneStack;
beforeAll(async () => {
  stack = await startTokenlaneStack(60, { refreshLeewaySeconds: 2 });
});
afterAll(() => stack.close());

/** A browser signed in through the BFF, and the headers its WebSockets carry. */
async function signedIn() {
  const browser = testBrowser();
  const answer = await browser.call(`${stack.origin}/bff/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(DEMO),
  });
  expect(answer.status).toBe(200);
  const headers = { cookie: await browser.jar.getCookieString(stack.origin), origin: stack.origin };
  return { browser, headers };
}

/** A page's socket on the BFF and what it received, as text. */
async function pageSocket(path: string, headers: Record<string, string>) {
  const ws = new WebSocket(`${stack.origin.replace('http', 'ws')}${path}`, { headers });
  const received: string[] = [];
  ws.on('message', (data) => received.push((data as Buffer).toString('utf8')));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise((resolve) => ws.once('open', resolve));
  return {
    ws,
    received,
    closed,
    typed: (type: string) => received.filter((m) => m.includes(`"type":"${type}"`)),
  };
}

const addTodo = (browser: ReturnType<typeof testBrowser>, title: string) =>
  browser.call(`${stack.origin}/api/todos`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest' },
    body: JSON.stringify({ title }),
  });

describe('live connections through the BFF, against the API', () => {
  it('outlive their tokens: the mark becomes the token, each refresh goes in band, one refresh per rotation, no token reaches the page', async () => {
    const { browser, headers } = await signedIn();
    const page = await pageSocket('/api/live', headers);
    page.ws.send(JSON.stringify({ type: 'auth', token: 'bff-session' }));
    await vi.waitFor(() => expect(page.typed('authed')).toHaveLength(1), CHECKED);
    stack.api.reset();
    for (let rotation = 1; rotation <= 3; rotation++) {
      stack.advance(59_000);
      await vi.waitFor(() => expect(page.typed('authed')).toHaveLength(rotation + 1), CHECKED);
      expect(stack.api.counts.refresh).toBe(rotation);
      expect((await addTodo(browser, `rotation ${rotation}`)).status).toBe(201);
      await vi.waitFor(() => expect(page.typed('todo')).toHaveLength(rotation), CHECKED);
    }
    expect(stack.api.counts).toMatchObject({ refresh: 3, unauthorized: 0 });
    expect(page.received.join('\n')).not.toMatch(JWT);
    expect(page.ws.readyState).toBe(WebSocket.OPEN);

    // The session ends at the BFF (this browser's logout, or any other end): the socket closes.
    await browser.call(`${stack.origin}/bff/logout`, {
      method: 'POST',
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    expect(await page.closed).toEqual({ code: 4401, reason: 'session ended' });
  });

  it("carries graphql-ws's subprotocol, and its connection_init payload's mark becomes the token", async () => {
    const { browser, headers } = await signedIn();
    class PageWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers });
      }
    }
    const changes: unknown[] = [];
    const client = createClient({
      url: `${stack.origin.replace('http', 'ws')}/api/graphql`,
      webSocketImpl: PageWebSocket,
      retryAttempts: 0,
      connectionParams: { token: 'bff-session' },
    });
    let connected = false;
    client.on('connected', () => (connected = true));
    client.subscribe(
      { query: 'subscription { todoChanged { title } }' },
      { next: ({ data }) => changes.push(data), error: () => {}, complete: () => {} },
    );
    await vi.waitFor(() => expect(connected).toBe(true), CHECKED);
    expect((await addTodo(browser, 'over graphql')).status).toBe(201);
    await vi.waitFor(
      () => expect(changes).toEqual([{ todoChanged: { title: 'over graphql' } }]),
      CHECKED,
    );
    await client.dispose();
  });

  it('streams Server-Sent Events through the proxy as they come, with the token added', async () => {
    const { browser } = await signedIn();
    const answer = await browser.call(`${stack.origin}/api/events`, {
      headers: { Accept: 'text/event-stream', 'X-Requested-With': 'XMLHttpRequest' },
    });
    expect(answer.status).toBe(200);
    const reader = answer.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const until = async (part: string) => {
      while (!text.includes(part)) text += (await reader.read()).value ?? '';
    };
    await until('event: ready');
    expect((await addTodo(browser, 'streamed')).status).toBe(201);
    await until('"title":"streamed"');
    expect(text).toMatch(/id: \d+\nevent: todo\n/);
    expect(text).not.toMatch(JWT);
    await reader.cancel();
  });

  it('refuses a page without a session, or from another origin, before any upstream connection', async () => {
    const { headers } = await signedIn();
    const refused = (extra: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${stack.origin.replace('http', 'ws')}/api/live`, {
          headers: { ...headers, ...extra },
        });
        ws.on('unexpected-response', (_req, answer) => resolve(answer.statusCode ?? 0));
        ws.on('error', () => {});
      });
    stack.api.reset();
    expect(await refused({ cookie: '' })).toBe(401);
    expect(await refused({ origin: 'https://elsewhere.example' })).toBe(403);
    expect(stack.api.counts.api).toBe(0);
  });
});
