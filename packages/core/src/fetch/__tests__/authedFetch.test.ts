import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFetchPost } from '../transport.js';
import { createAuthCalls } from '../../session/authCalls.js';
import { tokenlaneServer } from '../../session/serverProfile.js';
import { DEFAULT_ENDPOINTS } from '../../session/endpoints.js';
import { parseTokenResponse } from '../../session/tokenResponse.js';
import { BASE, gate, mockApi, USER } from '@tokenlane/test-kit';
import { createMemoryLock } from '../../session/lock.js';
import { defaultRuntime } from '../../session/runtime.js';
import { createSession } from '../../session/session.js';
import type { Session } from '../../session/types.js';
import { FreshTokenRefusedError } from '../../session/errors.js';
import { createAuthedFetch } from '../authedFetch.js';

const api = mockApi();
beforeAll(() => api.server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => api.server.close());

let session: Session;
let authedFetch: typeof fetch;
beforeEach(async () => {
  api.reset();
  const parts = createSession({
    transport: createAuthCalls(
      tokenlaneServer,
      DEFAULT_ENDPOINTS,
      parseTokenResponse,
      createFetchPost(BASE),
    ),
    runtime: defaultRuntime(),
    refreshLeewaySeconds: 30,
    lock: createMemoryLock(),
  });
  session = parts.session;
  authedFetch = createAuthedFetch(parts.port, {
    baseURL: BASE,
    allowBearer: (url) => new URL(url).origin === BASE,
    isAuthEndpoint: (url) =>
      Object.values(DEFAULT_ENDPOINTS).some((p) => new URL(url).pathname === p),
  });
  await session.login({ email: USER.email, password: 'right' });
});
afterEach(() => session.dispose());

const authsSeen = (path: string) =>
  api.state.seen.filter((s) => s.path === path).map((s) => s.auth);

describe('client.fetch', () => {
  it('sends the Bearer token to the API, and nothing to other origins', async () => {
    expect(await (await authedFetch('/api/data')).json()).toMatchObject({ ok: true });
    expect(authsSeen('/api/data')).toEqual(['Bearer A0']);
    await authedFetch('http://other.test/data');
    expect(authsSeen('/data')).toEqual([null]);
  });

  it('turns a burst after expiry into one refresh, and every request succeeds', async () => {
    api.expire();
    const answers = await Promise.all(Array.from({ length: 50 }, () => authedFetch('/api/data')));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    expect(api.state.refreshCalls).toBe(1);
  });

  it('retries once; a fresh token refused again rejects with FreshTokenRefusedError, and the next requests do not each refresh', async () => {
    const first = await Promise.allSettled(
      Array.from({ length: 5 }, () => authedFetch('/api/always-401')),
    );
    const later = await Promise.allSettled(
      Array.from({ length: 5 }, () => authedFetch('/api/always-401')),
    );
    for (const result of [...first, ...later]) {
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(FreshTokenRefusedError);
    }
    expect(authsSeen('/api/always-401').slice(0, 10).sort()).toEqual([
      ...Array<string>(5).fill('Bearer A0'),
      ...Array<string>(5).fill('Bearer A1'),
    ]);
    expect(api.state.refreshCalls).toBe(1);
  });

  it('after a fresh token was refused by one instance, the next request refused with it tries once more as it is, and succeeds', async () => {
    api.state.refusing = 2;
    await expect(authedFetch('/api/balanced')).rejects.toBeInstanceOf(FreshTokenRefusedError);
    expect(authsSeen('/api/balanced')).toEqual(['Bearer A0', 'Bearer A1']);
    api.state.refusing = 1;
    expect((await authedFetch('/api/balanced')).status).toBe(200);
    expect(authsSeen('/api/balanced')).toEqual([
      'Bearer A0',
      'Bearer A1',
      'Bearer A1',
      'Bearer A1',
    ]);
    expect(api.state.refreshCalls).toBe(1);
  });

  it('leaves a caller-provided Authorization header alone, and never retries its 401', async () => {
    const res = await authedFetch('/api/always-401', { headers: { Authorization: 'Basic abc' } });
    expect(res.status).toBe(401);
    expect(authsSeen('/api/always-401')).toEqual(['Basic abc']);
    expect(api.state.refreshCalls).toBe(0);
  });

  const file = new File(['file bytes'], 'a.txt', { type: 'text/plain' });
  const form = () => {
    const data = new FormData();
    data.set('title', 'x');
    data.set('file', file);
    return data;
  };
  it.each<[string, () => Parameters<typeof fetch>]>([
    ['a string', () => ['/api/raw', { method: 'POST', body: 'plain text' }]],
    [
      'URLSearchParams',
      () => ['/api/raw', { method: 'POST', body: new URLSearchParams({ a: '1' }) }],
    ],
    ['FormData with a file', () => ['/api/raw', { method: 'POST', body: form() }]],
    ['a Blob', () => ['/api/raw', { method: 'POST', body: new Blob(['blob'], { type: 'x/y' }) }]],
    [
      'an ArrayBuffer',
      () => ['/api/raw', { method: 'POST', body: new TextEncoder().encode('ab').buffer }],
    ],
    ['a typed array', () => ['/api/raw', { method: 'POST', body: new TextEncoder().encode('u8') }]],
    [
      'a Request',
      () => [new Request(`${BASE}/api/raw`, { method: 'POST', body: 'from a Request' })],
    ],
  ])('resends %s byte for byte, Content-Type included', async (_kind, args) => {
    api.expire();
    const res = await authedFetch(...args());
    expect(res.status).toBe(200);
    expect(api.state.raw).toHaveLength(2);
    expect(api.state.raw[1]).toEqual(api.state.raw[0]);
    expect(api.state.raw[0]!.body.length).toBeGreaterThan(0);
  });

  it('sends a ReadableStream body once: its 401 reaches the caller, no silent empty resend', async () => {
    api.expire();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed'));
        controller.close();
      },
    });
    const res = await authedFetch('/api/raw', {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(401);
    expect(api.state.raw).toHaveLength(1);
    expect(api.state.raw[0]!.body).toBe('streamed');
  });

  it('rejects a request whose signal is already aborted at once, without waiting for the refresh', async () => {
    const held = gate();
    api.state.refreshGate = held.opened;
    const refreshing = session.refresh();
    const controller = new AbortController();
    controller.abort();
    await expect(authedFetch('/api/data', { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(authsSeen('/api/data')).toEqual([]);
    held.open();
    await refreshing;
  });

  it('rejects a request aborted while it waits for the refresh with an AbortError, leaving the others', async () => {
    const held = gate();
    api.state.refreshGate = held.opened;
    void session.refresh();
    const controller = new AbortController();
    const aborted = authedFetch('/api/data', { signal: controller.signal });
    const other = authedFetch('/api/data');
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    held.open();
    expect((await other).status).toBe(200);
    expect(api.state.refreshCalls).toBe(1);
  });
});
