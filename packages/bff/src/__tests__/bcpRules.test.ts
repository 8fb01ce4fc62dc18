import { request, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { sqliteStore } from '../store/sqlite.js';
import { testBrowser, type TestBrowser } from '@tokenlane/test-servers/bff';
import { startBffStack, type BffStack } from './support/bffStack.js';

let stack: BffStack;
let browser: TestBrowser;
let cookie: string;
beforeAll(async () => {
  // Long-lived access tokens: no refresh here but the ones a test causes.
  stack = await startBffStack({
    store: () => sqliteStore({ path: ':memory:' }),
    accessTokenTtlSeconds: 600,
  });
  browser = testBrowser();
  await browser.signIn(stack.origin);
  cookie = await browser.jar.getCookieString(stack.origin);
});
afterAll(() => stack.close());

/** Every state-changing or proxied route of the BFF, as method and path. */
const GUARDED: Array<[string, string]> = [
  ['POST', '/bff/login'],
  ['GET', '/bff/session'],
  ['POST', '/bff/session'],
  ['POST', '/bff/logout'],
  ['GET', '/api/me'],
  ['GET', '/api/resource/whoami'],
  ['POST', '/api/resource/upload'],
  ['PUT', '/api/resource/whoami'],
  ['PATCH', '/api/resource/whoami'],
  ['DELETE', '/api/resource/whoami'],
];

describe('the BCP rules', () => {
  it('refuses 100 % of state-changing and proxied routes without the custom header, upstream untouched', async () => {
    const before = stack.resource.seen.length;
    const apiBefore = stack.provider.counts.api;
    for (const [method, path] of GUARDED) {
      const answer = await fetch(`${stack.origin}${path}`, {
        method,
        headers: { Cookie: cookie, 'Content-Type': 'application/json' },
        ...(method !== 'GET' && { body: '{}' }),
      });
      expect.soft(answer.status, `${method} ${path}`).toBe(403);
      expect.soft(await answer.json()).toMatchObject({ error: 'csrf' });
    }
    expect(stack.resource.seen.length).toBe(before);
    expect(stack.provider.counts.api).toBe(apiBefore);
    // And with the header but from another site.
    for (const [method, path] of GUARDED) {
      const answer = await fetch(`${stack.origin}${path}`, {
        method,
        headers: {
          Cookie: cookie,
          'X-Requested-With': 'XMLHttpRequest',
          Origin: 'https://evil.example',
        },
      });
      expect.soft(answer.status, `${method} ${path} cross-site`).toBe(403);
    }
    expect(stack.resource.seen.length).toBe(before);
  });

  it('refuses 100 % of off-list targets with a 404 and no upstream request', async () => {
    const before = stack.resource.seen.length;
    const apiBefore = stack.provider.counts.api;
    const offList = [
      '/api',
      '/api/other',
      '/apime',
      '/api/mex',
      '/api/resource%2f..%2fadmin',
      '/api/resource/%2e%2e/%2e%2e/token',
      '/api/resource/..%5c..%5ctoken',
      '/api/me/..%2ftoken',
    ];
    for (const path of offList) {
      const answer = await browser.call(`${stack.origin}${path}`);
      expect.soft(answer.status, path).toBe(404);
      await answer.body?.cancel();
    }
    expect(stack.resource.seen.length).toBe(before);
    expect(stack.provider.counts.api).toBe(apiBefore);
  });

  it('strips hop-by-hop and cookie headers both ways and adds the token upstream', async () => {
    // fetch refuses to send `Connection`: a raw request does.
    const answer = await new Promise<IncomingMessage>((resolve, reject) =>
      request(
        `${stack.origin}/api/resource/whoami`,
        {
          headers: {
            Cookie: cookie,
            'X-Requested-With': 'XMLHttpRequest',
            Connection: 'keep-alive, x-hop',
            'X-Hop': 'secret',
            Authorization: 'Bearer forged',
          },
        },
        resolve,
      )
        .on('error', reject)
        .end(),
    );
    answer.resume();
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['set-cookie']).toBeUndefined();
    const seen = stack.resource.seen.at(-1)!;
    expect(seen.cookie).toBeUndefined();
    expect(seen.connection).toBeUndefined();
    expect(seen.authorization).toMatch(/^Bearer /);
    expect(seen.authorization).not.toBe('Bearer forged');
  });

  it('streams Server-Sent Events through without buffering', async () => {
    const answer = await browser.call(`${stack.origin}/api/resource/events`);
    expect(answer.headers.get('content-type')).toBe('text/event-stream');
    const reader = answer.body!.pipeThrough(new TextDecoderStream()).getReader();
    for (let id = 1; id <= 3; id++) {
      // The upstream sends event `id` only now: had the BFF buffered, this read would never end.
      stack.resource.nextEvent();
      let text = '';
      while (!text.includes('\n\n')) text += (await reader.read()).value ?? '';
      expect(text).toBe(`id: ${id}\ndata: event ${id}\n\n`);
    }
    reader.releaseLock();
  });

  it('streams uploads and downloads', async () => {
    const size = 8 * 1024 * 1024;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 128; i++) controller.enqueue(new Uint8Array(size / 128));
        controller.close();
      },
    });
    const upload = await browser.call(`${stack.origin}/api/resource/upload`, {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit);
    expect(await upload.json()).toEqual({ bytes: size });
    const download = await browser.call(`${stack.origin}/api/resource/download?bytes=${size}`);
    expect((await download.arrayBuffer()).byteLength).toBe(size);
  });

  it("passes WebSocket upgrades through with the token added, only from the app's origin with a session", async () => {
    const url = `${stack.origin.replace('http', 'ws')}/api/resource/socket`;
    const open = (headers: Record<string, string>) =>
      new Promise<{ first?: string; status?: number }>((resolve) => {
        const socket = new WebSocket(url, { headers });
        socket.once('message', (data) => {
          resolve({ first: (data as Buffer).toString() });
          socket.close();
        });
        socket.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
        socket.once('error', () => resolve({}));
      });
    expect(await open({ Origin: stack.origin, Cookie: cookie })).toEqual({
      first: JSON.stringify({ authorization: 'Bearer' }),
    });
    expect(await open({ Origin: 'https://evil.example', Cookie: cookie })).toEqual({ status: 403 });
    expect(await open({ Origin: stack.origin })).toEqual({ status: 401 });
  });

  it('passes a step-up challenge on to the page, without a refresh', async () => {
    const rotated = stack.refreshes.rotated;
    const answer = await browser.call(`${stack.origin}/api/resource/step-up`);
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toContain('insufficient_user_authentication');
    expect(stack.refreshes.rotated).toBe(rotated);
  });

  it('answers a refused token with one refresh and one more try', async () => {
    const rotated = stack.refreshes.rotated;
    const tries = stack.resource.seen.length;
    const answer = await browser.call(`${stack.origin}/api/resource/refuse`);
    expect(answer.status).toBe(401);
    expect(stack.refreshes.rotated).toBe(rotated + 1);
    expect(stack.resource.seen.length).toBe(tries + 2);
  });
});
