import axios, { AxiosError, isCancel } from 'axios';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuthClient, type AuthClient } from '../../createAuthClient.js';
import {
  AuthRequestError,
  FreshTokenRefusedError,
  RefreshFailedError,
  SessionExpiredError,
} from '@tokenlane/core';
import { REFRESH_RETRY_DELAYS_MS } from '@tokenlane/core/adapter';
import { BASE, gate, mockApi, USER } from '@tokenlane/test-kit';
import { fakeRuntime } from '@tokenlane/test-kit/fakes';
import { stepUp, StepUpRequiredError } from '@tokenlane/core/step-up';

const api = mockApi();
beforeAll(() => api.server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => api.server.close());

let client: AuthClient;
beforeEach(async () => {
  api.reset();
  client = createAuthClient({ baseURL: BASE, crossTab: false });
  await client.login({ email: USER.email, password: 'right' });
});
afterEach(() => client.dispose());

const tokensSeen = (path: string) =>
  api.state.seen.filter((s) => s.path === path).map((s) => s.auth);

describe('a burst with an expired token', () => {
  it.each([1, 10, 100])(
    'causes exactly one refresh for %i requests, and all succeed',
    async (n) => {
      api.expire();
      const results = await Promise.allSettled(
        Array.from({ length: n }, () => client.axios.get('/api/data')),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(n);
      expect(api.state.refreshCalls).toBe(1);
    },
  );

  it('retries a request whose 401 arrives after the refresh finished, without a second refresh', async () => {
    const slow = gate();
    api.state.slowGate = slow.opened;
    api.expire();
    const late = client.axios.get('/api/slow');
    await vi.waitFor(() => expect(tokensSeen('/api/slow')).toHaveLength(1));
    // Another request meets the expiry first and completes a refresh.
    await client.axios.get('/api/data');
    expect(api.state.refreshCalls).toBe(1);
    slow.open();
    await expect(late).resolves.toMatchObject({ data: { ok: true } });
    expect(api.state.refreshCalls).toBe(1);
    expect(tokensSeen('/api/slow')).toEqual(['Bearer A0', 'Bearer A1']);
  });
});

describe('requests during a refresh', () => {
  it('wait for it and go out once, with the new token', async () => {
    const held = gate();
    api.state.refreshGate = held.opened;
    const refreshing = client.refresh();
    await vi.waitFor(() => expect(api.state.refreshCalls).toBe(1));
    const queued = Array.from({ length: 5 }, () => client.axios.get('/api/data'));
    held.open();
    await refreshing;
    await Promise.all(queued);
    // Each went out once, after the refresh: none with the old token (nor retried after it).
    expect(tokensSeen('/api/data')).toEqual(Array(5).fill('Bearer A1'));
  });

  it('lets an aborted request leave the queue without disturbing the others', async () => {
    const held = gate();
    api.state.refreshGate = held.opened;
    void client.refresh();
    await vi.waitFor(() => expect(api.state.refreshCalls).toBe(1));
    const controller = new AbortController();
    const aborted = client.axios.get('/api/data', { signal: controller.signal });
    const others = [client.axios.get('/api/data'), client.axios.get('/api/data')];
    controller.abort();
    const error: unknown = await aborted.catch((e: unknown) => e);
    expect(isCancel(error)).toBe(true);
    held.open();
    await expect(Promise.all(others)).resolves.toHaveLength(2);
    expect(tokensSeen('/api/data')).toEqual(['Bearer A1', 'Bearer A1']);
    expect(api.state.refreshCalls).toBe(1);
  });

  it('lets a request aborted while waiting for its retry go, without breaking the refresh', async () => {
    const held = gate();
    api.state.refreshGate = held.opened;
    api.expire();
    const controller = new AbortController();
    const aborted = client.axios.get('/api/data', { signal: controller.signal });
    const other = client.axios.get('/api/data');
    await vi.waitFor(() => expect(api.state.refreshCalls).toBe(1));
    controller.abort();
    expect(isCancel(await aborted.catch((e: unknown) => e))).toBe(true);
    held.open();
    await expect(other).resolves.toMatchObject({ data: { ok: true } });
  });
});

describe('the retry', () => {
  it('resends a JSON body intact with the current token', async () => {
    api.expire();
    const body = { title: 'Buy milk', tags: ['a', 'b'], nested: { n: 1 } };
    const res = await client.axios.post('/api/echo', body);
    expect(res.data).toEqual(body);
    expect(api.state.bodies).toEqual([body, body]);
    expect(tokensSeen('/api/echo')).toEqual(['Bearer A0', 'Bearer A1']);
  });

  it('resends a FormData body intact', async () => {
    api.expire();
    const form = new FormData();
    form.append('title', 'report');
    form.append('file', new Blob(['hello world']), 'hello.txt');
    const res = await client.axios.post('/api/echo', form);
    const expected = { title: 'report', file: 'file:hello.txt:11' };
    expect(res.data).toEqual(expected);
    expect(api.state.bodies).toEqual([expected, expected]);
  });

  it('keeps per-request config (headers, params)', async () => {
    api.expire();
    const res = await client.axios.get('/api/echo-config', {
      headers: { 'X-Trace': 't-1' },
      params: { q: 'milk' },
    });
    expect(res.data).toEqual({ trace: 't-1', q: 'milk' });
  });

  it('happens at most once; a fresh token refused again fails with FreshTokenRefusedError', async () => {
    const refused = vi.fn();
    client.on('token-refused', refused);
    const error: unknown = await client.axios.get('/api/always-401').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FreshTokenRefusedError);
    expect(((error as FreshTokenRefusedError).cause as AxiosError).response?.status).toBe(401);
    expect(tokensSeen('/api/always-401')).toEqual(['Bearer A0', 'Bearer A1']);
    expect(api.state.refreshCalls).toBe(1);
    expect(refused).toHaveBeenCalledTimes(1);
  });

  it('after a fresh token was refused, the next requests do not each refresh (no refresh storm)', async () => {
    const refused = vi.fn();
    client.on('token-refused', refused);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => client.axios.get('/api/always-401')),
    );
    const later = await Promise.allSettled(
      Array.from({ length: 10 }, () => client.axios.get('/api/always-401')),
    );
    for (const result of [...results, ...later]) {
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(FreshTokenRefusedError);
    }
    expect(api.state.refreshCalls).toBe(1);
    expect(refused).toHaveBeenCalledTimes(1);
    expect(client.getState().status).toBe('authenticated');
  });

  it('after a fresh token was refused by one instance, the next request refused with it tries once more as it is, and succeeds', async () => {
    api.state.refusing = 2;
    const error: unknown = await client.axios.get('/api/balanced').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FreshTokenRefusedError);
    expect(tokensSeen('/api/balanced')).toEqual(['Bearer A0', 'Bearer A1']);
    api.state.refusing = 1;
    await expect(client.axios.get('/api/balanced')).resolves.toMatchObject({ status: 200 });
    expect(tokensSeen('/api/balanced')).toEqual([
      'Bearer A0',
      'Bearer A1',
      'Bearer A1',
      'Bearer A1',
    ]);
    expect(api.state.refreshCalls).toBe(1);
  });
});

describe('what never triggers a refresh', () => {
  it('a 403 insufficient_scope', async () => {
    const error: unknown = await client.axios.get('/api/admin').catch((e: unknown) => e);
    expect((error as AxiosError).response?.status).toBe(403);
    expect(api.state.refreshCalls).toBe(0);
    expect(client.getState().status).toBe('authenticated');
  });

  it("the refresh endpoint's own 401: waiting requests reject with SessionExpiredError, once", async () => {
    api.state.refreshFails = 'reject';
    api.expire();
    const expired = vi.fn();
    client.on('session-expired', expired);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => client.axios.get('/api/data')),
    );
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(SessionExpiredError);
    }
    expect(api.state.refreshCalls).toBe(1);
    expect(expired).toHaveBeenCalledTimes(1);
    expect(client.getState().status).toBe('unauthenticated');
  });

  it('a 401 from a call to the refresh endpoint made through the authed instance', async () => {
    api.state.refreshFails = 'reject';
    await expect(
      client.axios.post('/auth/refresh', {}, { headers: { 'X-Requested-With': 'x' } }),
    ).rejects.toBeInstanceOf(AxiosError);
    expect(api.state.refreshCalls).toBe(1);
  });
});

describe('a refresh that cannot reach the server', () => {
  it('backs off, then rejects waiting requests with RefreshFailedError and keeps the session', async () => {
    // The backoff runs on an injected clock: each pause ends when the test moves the clock.
    const clock = fakeRuntime();
    const offline = createAuthClient({ baseURL: BASE, crossTab: false, runtime: clock.runtime });
    await offline.login({ email: USER.email, password: 'right' });
    api.state.refreshFails = 'network';
    api.expire();
    const result = offline.axios.get('/api/data').catch((e: unknown) => e);
    for (const [attempt, delay] of REFRESH_RETRY_DELAYS_MS.entries()) {
      await vi.waitFor(() => expect(api.state.refreshCalls).toBe(attempt + 1));
      // The proactive-refresh timer, the bound on the wait (REFRESH_WAIT_MS), and the pause
      // before the next attempt.
      await vi.waitFor(() => expect(clock.pendingTimers()).toBe(3));
      await clock.advance(delay - 1);
      expect(api.state.refreshCalls).toBe(attempt + 1);
      await clock.advance(1);
    }
    expect(await result).toBeInstanceOf(RefreshFailedError);
    expect(api.state.refreshCalls).toBe(REFRESH_RETRY_DELAYS_MS.length + 1);
    expect(offline.getState().status).toBe('authenticated');
    api.state.refreshFails = null;
    await expect(offline.axios.get('/api/data')).resolves.toMatchObject({ data: { ok: true } });
    offline.dispose();
  });
});

describe('Bearer scope', () => {
  it('is sent to the baseURL origin and allowed origins only', async () => {
    const strict = await client.axios.get('http://other.test/data');
    expect((strict.data as { auth: unknown }).auth).toBeNull();
    const allowing = createAuthClient({
      baseURL: BASE,
      crossTab: false,
      allowedOrigins: ['http://cdn.test'],
    });
    await allowing.login({ email: USER.email, password: 'right' });
    const cdn = await allowing.axios.get('http://cdn.test/data');
    expect((cdn.data as { auth: unknown }).auth).toMatch(/^Bearer A/);
    const other = await allowing.axios.get('http://other.test/data');
    expect((other.data as { auth: unknown }).auth).toBeNull();
    allowing.dispose();
  });

  it('is not sent by an attached instance whose baseURL is another origin', async () => {
    const foreign = axios.create({ baseURL: 'http://other.test' });
    client.attach(foreign);
    const res = await foreign.get('/data');
    expect((res.data as { auth: unknown }).auth).toBeNull();
  });

  it('leaves a caller-provided Authorization header alone, and never refreshes for its 401', async () => {
    const res = await client.axios.get('/api/headers', { headers: { Authorization: 'Basic abc' } });
    expect((res.data as { auth: unknown }).auth).toBe('Basic abc');
    const error: unknown = await client.axios
      .get('/api/always-401', { headers: { Authorization: 'Basic abc' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AxiosError);
    expect(api.state.refreshCalls).toBe(0);
    expect(tokensSeen('/api/always-401')).toEqual(['Basic abc']); // and no retry
  });

  it('sends no Authorization at all while signed out', async () => {
    await client.logout();
    const res = await client.axios.get('/api/headers');
    expect((res.data as { auth: unknown }).auth).toBeNull();
  });

  it('removes its abort listener once the request no longer waits', async () => {
    const held = gate();
    api.state.refreshGate = held.opened;
    void client.refresh();
    await vi.waitFor(() => expect(api.state.refreshCalls).toBe(1));
    const controller = new AbortController();
    const add = vi.spyOn(controller.signal, 'addEventListener');
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    const request = client.axios.get('/api/data', { signal: controller.signal });
    held.open();
    await request;
    // Ours (while waiting for the refresh) and axios's own (while sending): each one removed.
    expect(add.mock.calls.length).toBeGreaterThanOrEqual(2);
    const pairs = (calls: unknown[][]) => calls.map(([type, listener]) => [type, listener]);
    expect(pairs(remove.mock.calls)).toEqual(pairs(add.mock.calls));
  });
});

describe('attach', () => {
  it('wires another instance to the same session and single refresh, until detached', async () => {
    const other = axios.create({ baseURL: BASE });
    const detach = client.attach(other);
    api.expire();
    await Promise.all([
      ...Array.from({ length: 5 }, () => other.get('/api/data')),
      ...Array.from({ length: 5 }, () => client.axios.get('/api/data')),
    ]);
    expect(api.state.refreshCalls).toBe(1);
    const attached = await other.get('/api/headers');
    expect((attached.data as { auth: unknown }).auth).toBe('Bearer A1');
    detach();
    const detached = await other.get('/api/headers');
    expect((detached.data as { auth: unknown }).auth).toBeNull();
  });
});

describe('login errors', () => {
  it('rejects with a typed AuthRequestError carrying the server code', async () => {
    const fresh = createAuthClient({ baseURL: BASE, crossTab: false });
    const wrong: unknown = await fresh
      .login({ email: USER.email, password: 'wrong' })
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(AuthRequestError);
    expect(wrong).toMatchObject({
      code: 'invalid_credentials',
      status: 401,
      message: 'Email or password is incorrect',
    });
    const limited: unknown = await fresh
      .login({ email: USER.email, password: 'limited' })
      .catch((e: unknown) => e);
    expect(limited).toMatchObject({ code: 'rate_limited', status: 429, retryAfter: 42 });
    expect(fresh.getState().status).toBe('loading');
  });
});

describe('a server with other conventions', () => {
  it('works with {access_token} responses and 403 for expiry via parseTokenResponse and shouldRefresh', async () => {
    const { http, HttpResponse } = await import('msw');
    let valid = 'x0';
    let refreshes = 0;
    api.server.use(
      http.post('http://legacy.test/oauth/token', () =>
        HttpResponse.json({ access_token: 'x0', expires_in: 60 }),
      ),
      http.post('http://legacy.test/oauth/refresh', () => {
        refreshes++;
        valid = `x${refreshes}`;
        return HttpResponse.json({ access_token: valid, expires_in: 60 });
      }),
      http.get('http://legacy.test/me', ({ request }) =>
        request.headers.get('Authorization') === `Bearer ${valid}`
          ? HttpResponse.json({ me: true })
          : HttpResponse.json({ message: 'expired' }, { status: 403 }),
      ),
    );
    const legacy = createAuthClient({
      baseURL: 'http://legacy.test',
      crossTab: false,
      endpoints: { login: '/oauth/token', refresh: '/oauth/refresh' },
      parseTokenResponse: (data) => {
        const body = data as { access_token: string; expires_in: number };
        return { accessToken: body.access_token, expiresIn: body.expires_in, user: null };
      },
      shouldRefresh: (error) => error.response?.status === 403,
    });
    await legacy.login({ email: 'a@b.c', password: 'p' });
    valid = 'rotated-elsewhere';
    await expect(legacy.axios.get('/me')).resolves.toMatchObject({ data: { me: true } });
    expect(refreshes).toBe(1);
    legacy.dispose();
  });
});

describe('no token in web storage', () => {
  it('never writes to localStorage, sessionStorage or document.cookie', async () => {
    const writes: string[] = [];
    const storage = () => ({
      setItem: (key: string, value: string) => writes.push(`${key}=${value}`),
      getItem: () => null,
      removeItem: () => {},
    });
    vi.stubGlobal('localStorage', storage());
    vi.stubGlobal('sessionStorage', storage());
    vi.stubGlobal('document', {
      set cookie(value: string) {
        writes.push(value);
      },
      get cookie() {
        return '';
      },
    });
    try {
      const browserish = createAuthClient({ baseURL: BASE, crossTab: false });
      await browserish.login({ email: USER.email, password: 'right' });
      api.expire();
      await browserish.axios.get('/api/data');
      await browserish.logout();
      browserish.dispose();
    } finally {
      vi.unstubAllGlobals();
    }
    expect(writes).toEqual([]);
  });
});

describe('per-request control', () => {
  it('{ auth: false } sends no token', async () => {
    await client.axios.get('/api/headers', { tokenlane: { auth: false } });
    expect(tokensSeen('/api/headers')).toEqual([null]);
  });

  it('{ refresh: false } sends the token, and an expiry answer reaches the caller without a refresh', async () => {
    api.expire();
    const error: unknown = await client.axios
      .get('/api/data', { tokenlane: { refresh: false } })
      .catch((e: unknown) => e);
    expect((error as AxiosError).response?.status).toBe(401);
    expect(tokensSeen('/api/data')).toEqual(['Bearer A0']);
    expect(api.state.refreshCalls).toBe(0);
    // The next request without the flag renews as usual.
    await expect(client.axios.get('/api/data')).resolves.toMatchObject({ status: 200 });
    expect(api.state.refreshCalls).toBe(1);
  });
});

describe('a user option that throws', () => {
  it('shouldRefresh: the request fails with an AuthError naming it, the other requests go on', async () => {
    const picky = createAuthClient({
      baseURL: BASE,
      crossTab: false,
      shouldRefresh: (error) => {
        if (error.config?.url === '/api/always-401') throw new Error('cannot decide');
        return error.response?.status === 401;
      },
    });
    await picky.login({ email: USER.email, password: 'right' });
    api.expire();
    const [failed, ...others] = await Promise.allSettled([
      picky.axios.get('/api/always-401'),
      ...Array.from({ length: 5 }, () => picky.axios.get('/api/data')),
    ]);
    expect((failed as PromiseRejectedResult).reason).toMatchObject({
      code: 'option_failed',
      message: 'The shouldRefresh option threw: cannot decide',
    });
    expect(others.map((result) => result.status)).toEqual(Array(5).fill('fulfilled'));
    picky.dispose();
  });

  it('parseTokenResponse: login fails with an AuthError naming it', async () => {
    const strict = createAuthClient({
      baseURL: BASE,
      crossTab: false,
      runtime: fakeRuntime().runtime,
      parseTokenResponse: () => {
        throw new Error('unexpected shape');
      },
    });
    const error: unknown = await strict
      .login({ email: USER.email, password: 'right' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'option_failed',
      message: 'The parseTokenResponse option threw: unexpected shape',
    });
    strict.dispose();
  });
});

describe('step-up (the stepUp option)', () => {
  it('holds requests answered insufficient_user_authentication until the next sign-in, then sends each once more with the new token', async () => {
    const steps = stepUp();
    const stepping = createAuthClient({ baseURL: BASE, crossTab: false, stepUp: steps });
    await stepping.login({ email: USER.email, password: 'right' });
    api.state.recentFrom = api.state.issued;
    const held = Promise.all([1, 2, 3].map(() => stepping.axios.get('/api/step-up')));
    await vi.waitFor(() => expect(steps.getChallenge()).toEqual({ maxAge: 60 }));
    await stepping.login({ email: USER.email, password: 'right' });
    const answers = await held;
    const fresh = `A${api.state.recentFrom}`;
    expect(answers.map((answer) => (answer.data as { token: string }).token)).toEqual([
      fresh,
      fresh,
      fresh,
    ]);
    expect(tokensSeen('/api/step-up')).toHaveLength(6);
    expect(api.state.refreshCalls).toBe(0);
    stepping.dispose();
  });

  it('fails the held requests with StepUpRequiredError when cancelled, and sends nothing again', async () => {
    const steps = stepUp();
    const stepping = createAuthClient({ baseURL: BASE, crossTab: false, stepUp: steps });
    await stepping.login({ email: USER.email, password: 'right' });
    api.state.recentFrom = api.state.issued;
    const held = stepping.axios.get('/api/step-up').catch((error: unknown) => error);
    await vi.waitFor(() => expect(steps.getChallenge()).not.toBeNull());
    steps.cancel();
    expect(await held).toBeInstanceOf(StepUpRequiredError);
    expect(tokensSeen('/api/step-up')).toHaveLength(1);
    stepping.dispose();
  });

  it('a request refused again after the new sign-in fails with that 401: one step-up per request', async () => {
    const steps = stepUp();
    const stepping = createAuthClient({ baseURL: BASE, crossTab: false, stepUp: steps });
    await stepping.login({ email: USER.email, password: 'right' });
    api.state.recentFrom = api.state.issued + 100;
    const held = stepping.axios.get('/api/step-up').catch((error: unknown) => error);
    await vi.waitFor(() => expect(steps.getChallenge()).not.toBeNull());
    await stepping.login({ email: USER.email, password: 'right' });
    expect(((await held) as AxiosError).response?.status).toBe(401);
    expect(tokensSeen('/api/step-up')).toHaveLength(2);
    stepping.dispose();
  });

  it('a network failure is not a step-up: it reaches the caller as it is', async () => {
    const steps = stepUp();
    const stepping = createAuthClient({ baseURL: BASE, crossTab: false, stepUp: steps });
    await stepping.login({ email: USER.email, password: 'right' });
    const error = await stepping.axios.get('/api/broken').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AxiosError);
    expect((error as AxiosError).response).toBeUndefined();
    expect(steps.getChallenge()).toBeNull();
    stepping.dispose();
  });

  it('without the option, the 401 reaches the caller as it is', async () => {
    api.state.recentFrom = api.state.issued;
    const error = await client.axios.get('/api/step-up').catch((caught: unknown) => caught);
    expect((error as AxiosError).response?.status).toBe(401);
    expect(api.state.refreshCalls).toBe(0);
  });
});
