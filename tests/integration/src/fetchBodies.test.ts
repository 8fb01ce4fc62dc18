import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestApi } from '@tokenlane/test-harness';
import { createFetchClient, type FetchClient } from '@tokenlane/react-auth/fetch';
import fetchCookie from 'fetch-cookie';
import { CookieJar } from 'tough-cookie';
import { frozenTab } from './timing.js';

// client.fetch against the real API: what the server receives when a request is retried.

let api: Awaited<ReturnType<typeof startTestApi>>;
let skew = 0;
beforeAll(async () => {
  api = await startTestApi({ accessTokenTtlSeconds: 60, now: () => Date.now() + skew });
});
afterAll(() => api.close());

let client: FetchClient;
beforeAll(async () => {
  client = createFetchClient({
    baseURL: api.url,
    crossTab: false,
    runtime: frozenTab,
    fetch: fetchCookie(fetch, new CookieJar()),
  });
  await client.login({ email: DEMO.email, password: DEMO.password });
});
afterAll(() => client.dispose());
afterEach(() => api.reset());

/** The token the client holds expires on the server now. */
const expireOnServer = () => {
  skew += 61_000;
};
const echo = (api: { url: string }) => `${api.url}/api/echo`;

const bytes = new Uint8Array([0, 1, 2, 250, 255, 10, 13]);
const kinds: Array<[string, () => string | Request, RequestInit?]> = [
  [
    'a string',
    () => '/api/echo',
    { method: 'POST', body: '{"title":"milk"}', headers: { 'Content-Type': 'application/json' } },
  ],
  [
    'URLSearchParams',
    () => '/api/echo',
    { method: 'POST', body: new URLSearchParams({ q: 'a b', n: '1' }) },
  ],
  [
    'FormData with a file',
    () => '/api/echo',
    {
      method: 'POST',
      body: (() => {
        const form = new FormData();
        form.append('title', 'report');
        form.append('file', new Blob([bytes], { type: 'application/octet-stream' }), 'report.bin');
        return form;
      })(),
    },
  ],
  [
    'a Blob',
    () => '/api/echo',
    { method: 'POST', body: new Blob(['blob body'], { type: 'text/plain' }) },
  ],
  ['an ArrayBuffer', () => '/api/echo', { method: 'POST', body: bytes.slice().buffer }],
  ['a typed array', () => '/api/echo', { method: 'POST', body: new Uint16Array([1, 2, 65535]) }],
  [
    'a Request object',
    () =>
      new Request(echo(api), {
        method: 'POST',
        body: 'from a Request',
        headers: { 'Content-Type': 'text/x-custom' },
      }),
  ],
];

describe('client.fetch body replay, recorded by the real API', () => {
  it.each(kinds)(
    'resends %s byte for byte, with the same Content-Type',
    async (_kind, input, init) => {
      expireOnServer();
      const answer = await client.fetch(input(), init);
      expect(answer.status).toBe(200);
      expect(api.echoed).toHaveLength(2);
      const [first, retry] = api.echoed;
      expect(first!.authorization).not.toBe(retry!.authorization);
      expect(first!.body.length).toBeGreaterThan(0);
      expect(retry!.contentType).toBe(first!.contentType);
      expect(Buffer.compare(retry!.body, first!.body)).toBe(0);
      expect(await answer.json()).toEqual({ bytes: first!.body.length });
    },
  );

  it('sends a ReadableStream body once, and its 401 reaches the caller', async () => {
    expireOnServer();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed'));
        controller.close();
      },
    });
    const answer = await client.fetch('/api/echo', {
      method: 'POST',
      body,
      duplex: 'half',
    });
    expect(answer.status).toBe(401);
    expect(api.echoed).toHaveLength(1);
    expect(api.echoed[0]!.body.toString()).toBe('streamed');
    expect(api.counts.refresh).toBe(0);
  });
});

describe('client.fetch abort while waiting for a refresh', () => {
  it('rejects the aborted request with an AbortError at once and leaves the other waiting requests untouched', async () => {
    // The network holds the refresh answer until the test releases it.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const withCookies = fetchCookie(fetch, new CookieJar());
    const gated = createFetchClient({
      baseURL: api.url,
      crossTab: false,
      runtime: frozenTab,
      fetch: async (input, init) => {
        const answer = await withCookies(input, init);
        if (new Request(input, init).url.endsWith('/auth/refresh')) await held;
        return answer;
      },
    });
    try {
      await gated.login({ email: DEMO.email, password: DEMO.password });
      const refreshing = gated.refresh({ force: true });
      const controller = new AbortController();
      const aborted = gated.fetch('/api/todos', { signal: controller.signal });
      const others = [gated.fetch('/api/todos'), gated.fetch('/api/todos')];
      controller.abort();
      // Rejected while the refresh is still held: the request did not wait for it.
      await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
      release();
      await refreshing;
      expect((await Promise.all(others)).map((answer) => answer.status)).toEqual([200, 200]);
      // The aborted request never reached the server.
      expect(api.counts.api).toBe(2);
    } finally {
      release();
      gated.dispose();
    }
  });
});
