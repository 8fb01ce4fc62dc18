import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, type SessionClientOptions } from '@tokenlane/react-auth/client';
import type { AuthClient } from '@tokenlane/react-auth/client';
import type { FetchClient } from '@tokenlane/react-auth/fetch';
import { dpop } from '@tokenlane/react-auth/dpop';
import { DEMO, startTestApi } from '@tokenlane/test-harness';
import { withCookieJar } from '@tokenlane/test-servers/cookieJar';
import {
  onlyOver,
  transports,
  type TestClient,
  type Transport,
} from '@tokenlane/test-servers/transports';
import { useSteadily, watchRenewals, frozenTab } from './timing.js';

// Issue 24: the fetch client with DPoP against the reference API with DPOP=required: every token
// bound to the client's key, one refresh per expiry for a burst, no 401 in steady use, and a
// stale server nonce costs the burst one extra round trip (the refresh's), not one per request.

const TTL_S = 3;
let api: Awaited<ReturnType<typeof startTestApi>>;
// Its own server whose clock the test moves past the nonce's periods (a tab back after a sleep):
// the clock allowance covers the move, so only the nonce is stale.
let skew = 0;
let nonceApi: Awaited<ReturnType<typeof startTestApi>>;
/** How far the API's clock is ahead of this machine's: moved past a token's expiry, not waited. */
let apiSkew = 0;
beforeAll(async () => {
  api = await startTestApi({
    accessTokenTtlSeconds: TTL_S,
    env: { DPOP: 'required' },
    now: () => Date.now() + apiSkew,
  });
  nonceApi = await startTestApi({
    accessTokenTtlSeconds: TTL_S,
    env: { DPOP: 'required', DPOP_NONCE: 'on', CLOCK_TOLERANCE: '900' },
    now: () => Date.now() + skew,
  });
});
afterAll(() => Promise.all([api?.close(), nonceApi?.close()]));
const clients: TestClient[] = [];
afterEach(() => clients.splice(0).forEach((client) => client.dispose()));

const clientOn = (transport: Transport, options: SessionClientOptions) => {
  const c = transport.create(
    { crossTab: false, dpop: dpop(), ...options },
    withCookieJar(undefined, { maxSockets: 32 }),
  );
  clients.push(c);
  return c;
};
const login = (c: TestClient) => c.login({ email: DEMO.email, password: DEMO.password });
const boundKey = async (c: TestClient) =>
  (decodeJwt((await c.getAccessToken()) ?? '') as { cnf?: { jkt?: string } }).cnf?.jkt;
/** Moves the API's clock until it no longer takes the client's access token (no real wait). */
const movePastExpiry = async (c: TestClient) => {
  const { exp } = decodeJwt((await c.getAccessToken()) ?? '');
  apiSkew = Math.max(apiSkew, (exp ?? 0) * 1000 + 50 - Date.now());
};

describe.each(transports)('DPoP over $name, against the API with DPOP=required', (transport) => {
  const client = (options: SessionClientOptions) => clientOn(transport, options);
  it.each([1, 10, 100])(
    'a burst of %i requests after expiry: one refresh, all succeed, tokens bound to the key',
    async (n) => {
      const c = client({ baseURL: api.url, runtime: frozenTab });
      await login(c);
      const jkt = await boundKey(c);
      expect(jkt).toMatch(/^[\w-]{43}$/);
      await movePastExpiry(c);
      api.reset();
      const results = await Promise.allSettled(
        Array.from({ length: n }, () => c.get('/api/todos')),
      );
      const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
      expect({ failures, refresh: api.counts.refresh }).toEqual({ failures: [], refresh: 1 });
      expect(api.counts.unauthorized).toBeGreaterThanOrEqual(1);
      // The renewed token is bound to the same key.
      expect(await boundKey(c)).toBe(jkt);
    },
  );

  onlyOver(transport, 'fetch', () => {
    it('steady use over three token lifetimes: zero 401s', async () => {
      const c = client({ baseURL: api.url });
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

  it('a stale nonce after a sleep: a burst of 100 makes one extra round trip, not 100, and all succeed', async () => {
    // The tab's clock moves with the server's: both are four minutes on, as after a laptop's sleep.
    const c = client({ baseURL: nonceApi.url, dpop: dpop({ now: () => Date.now() + skew }) });
    await login(c);
    expect(await boundKey(c)).toBeDefined();
    await c.get('/api/todos');
    // Two nonce periods on: the nonce the client holds is no longer taken (the access token
    // still is: the clock allowance covers it).
    skew += 250_000;
    nonceApi.reset();
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () => c.get('/api/todos')),
    );
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    expect(failures).toEqual([]);
    // The first request went alone, was asked for the nonce and sent again; the 99 others waited
    // for its answer and went once each, with the new nonce.
    expect(nonceApi.counts.api).toBe(101);
    expect(nonceApi.counts.unauthorized).toBe(1);
    expect(nonceApi.counts.refresh).toBe(0);
  });

  it('a request sent again for the nonce carries the very same body', async () => {
    const c = client({ baseURL: nonceApi.url, dpop: dpop({ now: () => Date.now() + skew }) });
    await login(c);
    const headers = { 'Content-Type': 'application/json' };
    const sends: Array<
      [string, (body: string) => Promise<{ status: number; json(): Promise<unknown> }>]
    > =
      transport.name === 'fetch'
        ? [
            [
              'sent as a string',
              (body) =>
                (c as unknown as FetchClient).fetch('/api/todos', {
                  method: 'POST',
                  headers,
                  body,
                }),
            ],
            [
              'sent as a Request',
              (body) =>
                (c as unknown as FetchClient).fetch(
                  new Request(`${nonceApi.url}/api/todos`, { method: 'POST', headers, body }),
                ),
            ],
          ]
        : [
            [
              'sent by axios',
              async (body) => {
                const answer = await (c as unknown as AuthClient).axios.post('/api/todos', body, {
                  headers,
                });
                return { status: answer.status, json: () => Promise.resolve(answer.data) };
              },
            ],
          ];
    for (const [title, send] of sends) {
      skew += 250_000;
      nonceApi.reset();
      const response = await send(JSON.stringify({ title }));
      expect(response.status).toBe(201);
      expect(await response.json()).toMatchObject({ title });
      // Refused once for the nonce, then sent again.
      expect(nonceApi.counts.unauthorized).toBe(1);
    }
  });

  it('a stale nonce and an expired token: one refresh, and no round trip for the nonce beyond the first request', async () => {
    const c = client({
      baseURL: nonceApi.url,
      runtime: frozenTab,
      dpop: dpop({ now: () => Date.now() + skew }),
    });
    await login(c);
    // Past the clock allowance: the token has expired, and the nonce is stale.
    skew += 1_000_000;
    nonceApi.reset();
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () => c.get('/api/todos')),
    );
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    expect(failures).toEqual([]);
    // The first request went alone (expired: 401 with the new nonce); the others went with the
    // nonce and the expired token (401 each); one refresh, with the nonce; then each once more.
    expect(nonceApi.counts.refresh).toBe(1);
    expect(nonceApi.counts.api).toBe(200);
  });
});
