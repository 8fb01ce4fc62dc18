import { isAxiosError } from 'axios';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createAuthClient,
  createMemoryLock,
  decodeJwt,
  RefreshFailedError,
  SessionExpiredError,
  type SessionClientOptions,
} from '@tokenlane/react-auth/client';
import { authedFetch } from '@tokenlane/react-auth/fetch';
import { createMemoryChannelHub } from '@tokenlane/react-auth/testing';
import { DEMO, startTestApi, startTestRedis } from '@tokenlane/test-harness';
import { sleep, withCookieJar } from '@tokenlane/test-servers/cookieJar';
import { useSteadily, watchRenewals, frozenTab } from './timing.js';
import {
  axiosTransport,
  fetchTransport,
  onlyOver,
  transports,
  type Jar,
  type Probe,
  type TestClient,
  type Transport,
} from '@tokenlane/test-servers/transports';

const TTL_S = 2;
let api: Awaited<ReturnType<typeof startTestApi>>;
const clients: Array<{ dispose(): void }> = [];

beforeAll(async () => {
  api = await startTestApi({ accessTokenTtlSeconds: TTL_S });
});
afterAll(() => api.close());
afterEach(() => clients.splice(0).forEach((client) => client.dispose()));

/** A client on `transport` against the shared test API, disposed after the test. */
function clientOf(
  transport: Transport,
  options: SessionClientOptions = {},
  jar: Jar = withCookieJar(),
  probe?: Probe,
): TestClient {
  const created = transport.create({ baseURL: api.url, crossTab: false, ...options }, jar, probe);
  clients.push(created);
  return created;
}

/**
 * A tab whose timers and clock are frozen (a suspended laptop, a throttled tab): it never
 * refreshes on its own, so its requests go out with an expired token.
 */

/** What a failed request says about itself: its status, or its error code, or its message. */
const why = (error: unknown) =>
  isAxiosError(error)
    ? `${error.response?.status ?? error.code ?? 'no answer'}: ${error.message}`
    : String(error);

const login = (c: { login: TestClient['login'] }) =>
  c.login({ email: DEMO.email, password: DEMO.password });
/** Sleeps until the server no longer accepts the client's current access token (its `exp` claim). */
const waitPastExpiry = async (c: TestClient) => {
  const { exp } = decodeJwt((await c.getAccessToken()) ?? '');
  await sleep((exp ?? 0) * 1000 + 50 - Date.now());
};

// Its own server, with a clock the test moves: the token expires on the server at once, and the
// renewed one outlives the burst however slowly a loaded machine works through it.
let burstApi: Awaited<ReturnType<typeof startTestApi>>;
let skew = 0;
beforeAll(async () => {
  burstApi = await startTestApi({ accessTokenTtlSeconds: 60, now: () => Date.now() + skew });
});
afterAll(() => burstApi.close());
const expireOnServer = () => {
  skew += 61_000;
};

describe.each(transports)('over $name, against the real API', (transport) => {
  const client = (options: SessionClientOptions = {}, jar?: Jar, probe?: Probe) =>
    clientOf(transport, options, jar, probe);
  // As a browser does, a few connections to the host and the other requests queued behind them:
  // a thousand connections at once would measure the machine's accept queue, not the session.
  const burstClient = (probe?: Probe) =>
    client(
      { baseURL: burstApi.url, runtime: frozenTab },
      withCookieJar(undefined, { maxSockets: 32 }),
      probe,
    );

  it.each([1, 10, 100, 1000])(
    'a burst of %i requests with an expired token causes exactly one refresh and all succeed',
    async (n) => {
      const c = burstClient();
      await login(c);
      expireOnServer();
      burstApi.reset();
      const results = await Promise.allSettled(
        Array.from({ length: n }, () => c.get('/api/todos')),
      );
      const failures = results.flatMap((r) => (r.status === 'rejected' ? [why(r.reason)] : []));
      expect({ n, failures, refresh: burstApi.counts.refresh }).toEqual({
        n,
        failures: [],
        refresh: 1,
      });
      expect(burstApi.counts.unauthorized).toBeGreaterThanOrEqual(1);
    },
  );

  it('retries a request whose 401 arrives after the refresh finished with the new token, without a second refresh', async () => {
    // The network holds this request's 401 back until another request has completed a refresh.
    let deliver = () => {};
    const probe: Probe = {
      sentWith: [],
      hold: new Promise<void>((resolve) => (deliver = resolve)),
    };
    const c = burstClient(probe);
    await login(c);
    expireOnServer();
    burstApi.reset();
    const late = c.get('/api/todos', { held: true });
    await vi.waitFor(() => expect(burstApi.counts.unauthorized).toBe(1));
    await c.get('/api/todos');
    expect(burstApi.counts.refresh).toBe(1);
    deliver();
    await expect(late).resolves.toBe(200);
    expect(burstApi.counts.refresh).toBe(1);
    expect(probe.sentWith).toHaveLength(2);
    expect(probe.sentWith[0]).not.toBe(probe.sentWith[1]);
    expect(probe.sentWith[1]).toBe(`Bearer ${await c.getAccessToken()}`);
  });

  onlyOver(transport, 'axios', () => {
    it('refreshes before expiry: zero 401s over three token lifetimes of steady requests', async () => {
      const c = client();
      await login(c);
      api.reset();
      const renewals = watchRenewals(c);
      const ok = await useSteadily(TTL_S, () => c.get('/api/todos'));
      expect(api.counts.unauthorized).toBe(0);
      expect(ok).toBe(api.counts.api);
      expect(api.counts.refresh).toBeGreaterThanOrEqual(3);
      expect(renewals.early()).toEqual([]);
    });
  });

  it('a revoked family turns the next refresh into signed-out; every waiting request gets SessionExpiredError; expiry is reported once', async () => {
    const jar = withCookieJar();
    const onSessionExpired = vi.fn();
    const c = client({ runtime: frozenTab, onSessionExpired }, jar);
    await login(c);
    // A second client holding the same cookie logs out: the family is revoked on the server.
    await client({}, jar).logout();
    await waitPastExpiry(c);
    const expired = vi.fn();
    c.on('session-expired', expired);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => c.get('/api/todos')));
    for (const result of results) {
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(SessionExpiredError);
    }
    expect(expired).toHaveBeenCalledTimes(1);
    expect(onSessionExpired).toHaveBeenCalledTimes(1);
    expect(c.getState()).toEqual({
      status: 'unauthenticated',
      user: null,
      expiresAt: null,
      sessionEndsAt: null,
    });
  });

  it('reuse detection on the server signs the client out at its next refresh', async () => {
    const jar = withCookieJar();
    const onSessionExpired = vi.fn();
    const c = client({ onSessionExpired }, jar);
    await login(c);
    const stolen = (await jar.jar.getCookies(`${api.url}/auth/refresh`))[0]!.value;
    await c.refresh();
    await sleep(50);
    // An attacker replays the old cookie after the grace window: the family dies.
    const thief = withCookieJar();
    await thief.jar.setCookie(
      `tokenlane_rt=${stolen}; Path=/auth; Secure; HttpOnly`,
      `${api.url}/auth/refresh`,
    );
    await c.refresh(); // one more rotation so the stolen token is no longer the grace parent
    await expect(client({}, thief).refresh()).rejects.toBeInstanceOf(SessionExpiredError);
    await expect(c.refresh({ force: true })).rejects.toBeInstanceOf(SessionExpiredError);
    expect(onSessionExpired).toHaveBeenCalledTimes(1);
    expect(c.getState().status).toBe('unauthenticated');
  });

  it('with the API stopped, refresh fails with a typed error and the session stays; when it is back, requests succeed without a new login', async () => {
    const c = client();
    await login(c);
    const { exp } = decodeJwt((await c.getAccessToken()) ?? '');
    await api.stop();
    try {
      const error: unknown = await c.refresh().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RefreshFailedError);
      expect((error as RefreshFailedError).code).toBe('refresh_failed');
      expect(c.getState().status).toBe('authenticated');
      await sleep((exp ?? 0) * 1000 + 50 - Date.now());
    } finally {
      await api.start();
    }
    await expect(c.get('/api/todos')).resolves.toBe(200);
    expect(c.getState().status).toBe('authenticated');
  });
});

describe('both transports on one session', () => {
  it('a burst of 50 client.axios and 50 client.fetch requests after expiry causes one refresh in total', async () => {
    const c = createAuthClient({
      baseURL: burstApi.url,
      crossTab: false,
      runtime: frozenTab,
      http: withCookieJar().http,
    });
    clients.push(c);
    await login(c);
    expireOnServer();
    burstApi.reset();
    const statuses = await Promise.all([
      ...Array.from({ length: 50 }, () => c.axios.get('/api/todos').then((r) => r.status)),
      ...Array.from({ length: 50 }, () => authedFetch(c)('/api/todos').then((r) => r.status)),
    ]);
    expect(statuses).toEqual(Array(100).fill(200));
    expect(burstApi.counts.refresh).toBe(1);
    expect(burstApi.counts.unauthorized).toBeGreaterThanOrEqual(2);
  });
});

// One pair, the two transports: waiting out three lifetimes once covers both.
describe.each([[fetchTransport, axiosTransport]])(
  'two tabs, on $name and $1.name',
  (first: Transport, second: Transport) => {
    it('share one refresh per lifetime, adopt each other tokens, and log out together', async () => {
      const jar = withCookieJar();
      const hub = createMemoryChannelHub();
      const lock = createMemoryLock();
      const a = clientOf(first, { crossTab: { channel: hub.connect(), lock } }, jar);
      const b = clientOf(second, { crossTab: { channel: hub.connect(), lock } }, jar);
      await login(a);
      await sleep(10);
      expect(b.getState().status).toBe('authenticated');
      api.reset();
      const renewals = watchRenewals(a, b);
      await useSteadily(TTL_S, () => Promise.all([a.get('/api/todos'), b.get('/api/todos')]));
      expect(api.counts.unauthorized).toBe(0);
      expect(api.counts.refresh).toBeGreaterThanOrEqual(3);
      expect(renewals.early()).toEqual([]);
      expect(api.counts.refresh).toBeLessThanOrEqual(renewals.tokens());
      await a.logout();
      await sleep(10);
      expect(b.getState().status).toBe('unauthenticated');
    });
  },
);

describe('against the real API on Redis: the store going away', () => {
  it('treats 503 store_unavailable as a network-class failure: the session stays, and refresh works once Redis is back', async () => {
    const redis = await startTestRedis({ persistent: true });
    const redisApi = await startTestApi({
      accessTokenTtlSeconds: 60,
      env: { REDIS_URL: redis.url },
    });
    const c = createAuthClient({
      baseURL: redisApi.url,
      crossTab: false,
      http: withCookieJar().http,
    });
    try {
      await login(c);
      await redis.stop();
      const error: unknown = await c.refresh({ force: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RefreshFailedError);
      expect(c.getState().status).toBe('authenticated');
      await expect(c.axios.get('/api/todos')).resolves.toMatchObject({ status: 200 });
      await redis.start();
      await expect(c.refresh({ force: true })).resolves.toEqual(expect.any(String));
      expect(c.getState().status).toBe('authenticated');
    } finally {
      c.dispose();
      await redisApi.close();
      await redis.close();
    }
  });
});
