import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createMemoryLock,
  decodeJwt,
  RefreshFailedError,
  SessionExpiredError,
  type AuthUser,
  type SessionClientOptions,
  type TokenStorage,
} from '@tokenlane/react-auth/client';
import { bodyTokenServer } from '@tokenlane/react-auth/profiles';
import { createMemoryChannelHub } from '@tokenlane/react-auth/testing';
import { sleep, withCookieJar } from '@tokenlane/test-servers/cookieJar';
import { useSteadily, watchRenewals, frozenTab } from './timing.js';
import { startBadAnswerProxy, type BadAnswer } from './servers/badAnswers.js';
import { SIMPLEJWT_USER, startSimplejwt, type SimplejwtServer } from './servers/simplejwt.js';
import { onlyOver, transports, type TestClient } from '@tokenlane/test-servers/transports';

// Issue 14: Django REST framework simplejwt (Debian's), with rotation and blacklisting: the
// refresh token travels in the body, and presenting a rotated one is refused and counted.

const TTL_S = 3;
let server: SimplejwtServer;
beforeAll(async () => {
  server = await startSimplejwt({ accessTokenTtlSeconds: TTL_S });
});
afterAll(() => server?.close());
const clients: Array<{ dispose(): void }> = [];
afterEach(() => clients.splice(0).forEach((client) => client.dispose()));

type Credentials = typeof SIMPLEJWT_USER;
const simplejwt = bodyTokenServer<AuthUser, Credentials>({
  login: '/api/token/',
  refresh: '/api/token/refresh/',
  logout: '/api/token/blacklist/',
  expiredStatus: [401],
});

/** Sleeps until the server no longer accepts the client's access token (its `exp` claim). */
const waitPastExpiry = async (c: TestClient<Credentials>) => {
  const { exp } = decodeJwt((await c.getAccessToken()) ?? '');
  await sleep((exp ?? 0) * 1000 + 100 - Date.now());
};

/** A Web Storage stand-in: the storage of one "browser". */
function memoryStorage(): TokenStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

describe.each(transports)('over $name, against Django REST framework simplejwt', (transport) => {
  const client = (options: SessionClientOptions<AuthUser, Credentials> = {}) => {
    const created = transport.create<Credentials>(
      { baseURL: server.url, crossTab: false, server: simplejwt, ...options },
      withCookieJar(),
    );
    clients.push(created);
    return created;
  };

  it("reads the session's end from the refresh token (REFRESH_TOKEN_LIFETIME, a day), and follows it as rotation slides it", async () => {
    const c = client();
    const before = Date.now();
    await c.login(SIMPLEJWT_USER);
    const after = Date.now();
    const DAY_MS = 86_400_000;
    const first = c.getState().sessionEndsAt!;
    // The refresh JWT's exp: whole seconds on the server's clock (the same machine's here).
    expect(first).toBeGreaterThanOrEqual(before - 1000 + DAY_MS);
    expect(first).toBeLessThanOrEqual(after + DAY_MS);
    await sleep(1100);
    await c.refresh({ force: true });
    // Rotation hands a new refresh token, whose lifetime starts again.
    expect(c.getState().sessionEndsAt).toBeGreaterThan(first);
  });

  onlyOver(transport, 'axios', () => {
    it('bursts of 1, 10 and 100 with an expired access token: one refresh per expired token, all succeed, no rotated token presented', async () => {
      const c = client({ runtime: frozenTab });
      await c.login(SIMPLEJWT_USER);
      for (const n of [1, 10, 100]) {
        await waitPastExpiry(c);
        await server.reset();
        const results = await Promise.allSettled(
          Array.from({ length: n }, () => c.get('/api/todos/')),
        );
        const counts = await server.counts();
        // One refresh per token the server refused: the expired one, and on a loaded machine the
        // renewed one too when it expired before the slowest retries of the burst reached Django.
        expect(counts.refusedTokens).toBeGreaterThanOrEqual(1);
        expect({
          n,
          ok: results.filter((r) => r.status === 'fulfilled').length,
          refresh: counts.refresh,
          reused: counts.reused,
        }).toEqual({ n, ok: n, refresh: counts.refusedTokens, reused: 0 });
      }
    });
  });

  onlyOver(transport, 'fetch', () => {
    it('steady use over three token lifetimes: zero 401s, zero reuse', async () => {
      const c = client();
      await c.login(SIMPLEJWT_USER);
      await server.reset();
      await useSteadily(TTL_S, () => c.get('/api/todos/'));
      const counts = await server.counts();
      expect(counts).toMatchObject({ unauthorized: 0, reused: 0 });
      expect(counts.refresh).toBeGreaterThanOrEqual(3);
    });
  });

  onlyOver(transport, 'axios', () => {
    it('two tabs: one refresh per expiry between them, both keep working, zero reuse', async () => {
      const hub = createMemoryChannelHub();
      const lock = createMemoryLock();
      const a = client({ crossTab: { channel: hub.connect(), lock } });
      const b = client({ crossTab: { channel: hub.connect(), lock } });
      await a.login(SIMPLEJWT_USER);
      await sleep(10);
      expect(b.getState().status).toBe('authenticated');
      await server.reset();
      const renewals = watchRenewals(a, b);
      await useSteadily(TTL_S, () => Promise.all([a.get('/api/todos/'), b.get('/api/todos/')]));
      const counts = await server.counts();
      expect(counts).toMatchObject({ unauthorized: 0, reused: 0 });
      expect(counts.refresh).toBeGreaterThanOrEqual(3);
      expect(renewals.early()).toEqual([]);
      // Every refresh the server answered became the tabs' token (one may still be on its way).
      expect(counts.refresh).toBeLessThanOrEqual(renewals.tokens());
    });
  });

  it('a revoked session: every waiting request gets SessionExpiredError, one session-expired event, signed out', async () => {
    const c = client({ runtime: frozenTab });
    await c.login(SIMPLEJWT_USER);
    await server.revoke();
    await waitPastExpiry(c);
    const expired = vi.fn();
    c.on('session-expired', expired);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => c.get('/api/todos/')),
    );
    for (const result of results) {
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(SessionExpiredError);
    }
    expect(expired).toHaveBeenCalledTimes(1);
    expect(c.getState().status).toBe('unauthenticated');
  });

  it('with storage, a new client in the same browser restores the session; in memory only, it does not', async () => {
    await server.reset();
    const storage = memoryStorage();
    const first = client({ storage });
    await first.login(SIMPLEJWT_USER);
    await sleep(10);
    first.dispose();
    const reloaded = client({ storage });
    expect((await reloaded.restore()).status).toBe('authenticated');
    await expect(reloaded.get('/api/todos/')).resolves.toBe(200);

    const inMemory = client();
    await inMemory.login(SIMPLEJWT_USER);
    const reloadedInMemory = client();
    expect((await reloadedInMemory.restore()).status).toBe('unauthenticated');
    expect((await server.counts()).reused).toBe(0);
  });

  onlyOver(transport, 'fetch', () => {
    it('bad answers from a stub in front of it (HTML 502, empty 200, {}): RefreshFailedError, the session kept, recovery when the server answers again', async () => {
      const proxy = await startBadAnswerProxy(server.url, '/api/token/refresh/');
      try {
        const c = client({ baseURL: proxy.url });
        await c.login(SIMPLEJWT_USER);
        await server.reset();
        for (const bad of ['html-502', 'empty-200', 'empty-json'] as BadAnswer[]) {
          proxy.answerWith(bad);
          const before = proxy.refreshCalls();
          const error: unknown = await c.refresh({ force: true }).catch((e: unknown) => e);
          expect(error, bad).toBeInstanceOf(RefreshFailedError);
          // Retried with backoff (four attempts), never a loop.
          expect(proxy.refreshCalls() - before).toBe(4);
          expect(c.getState().status).toBe('authenticated');
        }
        proxy.answerWith(null);
        await expect(c.refresh({ force: true })).resolves.toEqual(expect.any(String));
        await expect(c.get('/api/todos/')).resolves.toBe(200);
        expect((await server.counts()).reused).toBe(0);
      } finally {
        await proxy.close();
      }
    });
  });
});
