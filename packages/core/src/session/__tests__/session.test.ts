import { describe, expect, it, vi } from 'vitest';
import { createMemoryLock } from '../lock.js';
import { createMemoryChannelHub } from '../memoryChannel.js';
import { REFRESH_RETRY_DELAYS_MS } from '../refreshCall.js';
import {
  AuthConfigError,
  AuthRequestError,
  RefreshFailedError,
  SessionChangedError,
  SessionExpiredError,
} from '../errors.js';
import {
  createTestSession,
  fakeRuntime,
  fakeTransport,
  settle,
  USER,
} from '@tokenlane/test-kit/fakes';

const CREDENTIALS = { email: USER.email, password: 'pw' };

function setup({ lifetimeS = 60, leeway = 30 } = {}) {
  const clock = fakeRuntime();
  const server = fakeTransport(lifetimeS);
  const onSessionExpired = vi.fn();
  const session = createTestSession({
    transport: server.transport,
    runtime: clock.runtime,
    refreshLeewaySeconds: leeway,
    lock: createMemoryLock(),
    onSessionExpired,
  });
  return { clock, server, session, onSessionExpired };
}

describe('single-flight refresh', () => {
  it('shares one refresh among every concurrent caller', async () => {
    const { server, session } = setup();
    await session.login(CREDENTIALS);
    server.hold();
    const all = Promise.all([
      ...Array.from({ length: 50 }, () => session.renewAfterRejection('t1')),
      session.refresh(),
      session.getAccessToken(),
    ]);
    await settle();
    server.release();
    expect(new Set(await all)).toEqual(new Set(['t2']));
    expect(server.transport.refresh).toHaveBeenCalledTimes(1);
  });

  it('reuses a token that a refresh obtained after the rejected request left', async () => {
    const { server, session } = setup();
    await session.login(CREDENTIALS);
    await session.refresh();
    expect(await session.renewAfterRejection('t1')).toBe('t2');
    expect(server.transport.refresh).toHaveBeenCalledTimes(1);
  });

  it('starts a new refresh once the previous one has settled', async () => {
    const { server, session } = setup();
    await session.login(CREDENTIALS);
    expect(await session.refresh()).toBe('t2');
    expect(await session.renewAfterRejection('t2')).toBe('t3');
    expect(server.transport.refresh).toHaveBeenCalledTimes(2);
  });

  it('lets force join a refresh that began with the current token, never one that began with an older one', async () => {
    const { server, session, onSessionExpired } = setup();
    await session.login(CREDENTIALS);
    server.hold();
    const plain = session.refresh();
    const forced = session.refresh({ force: true });
    await settle();
    server.release();
    expect(await plain).toBe('t2');
    expect(await forced).toBe('t2');
    expect(server.transport.refresh).toHaveBeenCalledTimes(1);

    // A refresh began with t2; a login comes meanwhile: it waits for the refresh (under the
    // lock), so no answer of the old session, nor its cookie, lands after the new one began.
    server.hold();
    const old = session.refresh();
    await settle();
    server.transport.login.mockResolvedValueOnce({ accessToken: 't9', expiresIn: 60, user: USER });
    const login = session.login(CREDENTIALS);
    await settle();
    expect(server.transport.login).toHaveBeenCalledTimes(1);
    server.release();
    expect(await old).toBe('t3');
    await login;
    expect(server.transport.login).toHaveBeenCalledTimes(2);
    expect(session.readyAccessToken()).toBe('t9');
    expect(onSessionExpired).not.toHaveBeenCalled();
    expect(await session.refresh({ force: true })).toBe('t4');
    expect(server.transport.refresh).toHaveBeenCalledTimes(3);
    expect(session.readyAccessToken()).toBe('t4');
  });
});

describe('proactive refresh', () => {
  it('refreshes at expiry minus leeway minus jitter, and again for the next token', async () => {
    const { clock, server, session } = setup({ lifetimeS: 600, leeway: 30 });
    await session.login(CREDENTIALS);
    // Counted as 599 s (a second may be gone); random() = 0.5: due at 599 - 30 - 0.5 * 5 = 566.5 s
    await clock.advance(566_000);
    expect(server.transport.refresh).not.toHaveBeenCalled();
    await clock.advance(1_000);
    expect(server.transport.refresh).toHaveBeenCalledTimes(1);
    expect(session.getState().expiresAt).toBe(1_000_000 + 566_500 + 599_000);
    await clock.advance(567_000);
    expect(server.transport.refresh).toHaveBeenCalledTimes(2);
  });

  it('clamps the leeway for short tokens so they are not refreshed in a loop', async () => {
    const { clock, server, session } = setup({ lifetimeS: 3, leeway: 30 });
    await session.login(CREDENTIALS);
    // Counted as 2.25 s (a quarter may be gone); leeway = 2.25 s * 0.2 = 0.45 s,
    // jitter = 0.5 * 0.225 s: due at 1.6875 s, then every 1.6875 s
    await clock.advance(1_650);
    expect(server.transport.refresh).not.toHaveBeenCalled();
    await clock.advance(100);
    expect(server.transport.refresh).toHaveBeenCalledTimes(1);
    await clock.advance(9_000);
    expect(server.transport.refresh).toHaveBeenCalledTimes(6);
  });

  it('refreshes on wake when the wall clock passed the due time while timers slept', async () => {
    const { clock, server, session } = setup({ lifetimeS: 600 });
    await session.login(CREDENTIALS);
    clock.sleep(3_600_000);
    expect(server.transport.refresh).not.toHaveBeenCalled();
    clock.wake();
    await settle();
    expect(server.transport.refresh).toHaveBeenCalledTimes(1);
    expect(await session.getAccessToken()).toBe('t2');
  });

  it('re-arms on wake when it is not yet due', async () => {
    const { clock, server, session } = setup({ lifetimeS: 600 });
    await session.login(CREDENTIALS);
    clock.sleep(60_000);
    clock.wake();
    await settle();
    expect(server.transport.refresh).not.toHaveBeenCalled();
    expect(clock.pendingTimers()).toBe(1);
  });

  it('refreshes before handing out a token that is past its due time (a throttled tab)', async () => {
    const { clock, server, session } = setup({ lifetimeS: 600 });
    await session.login(CREDENTIALS);
    clock.sleep(590_000);
    expect(await session.getAccessToken()).toBe('t2');
    expect(server.transport.refresh).toHaveBeenCalledTimes(1);
  });

  it('shares one flight between proactive and reactive refresh', async () => {
    const { clock, server, session } = setup({ lifetimeS: 600 });
    await session.login(CREDENTIALS);
    server.hold();
    await clock.advance(570_000);
    const reactive = session.renewAfterRejection('t1');
    server.release();
    expect(await reactive).toBe('t2');
    expect(server.transport.refresh).toHaveBeenCalledTimes(1);
  });
});

describe('refresh rejected', () => {
  it('signs out, rejects every waiter with SessionExpiredError and reports expiry once', async () => {
    const { server, session, onSessionExpired } = setup();
    await session.login(CREDENTIALS);
    const expired = vi.fn();
    session.on('session-expired', expired);
    server.hold();
    const waiters = Array.from({ length: 5 }, () => session.renewAfterRejection('t1'));
    const queued = session.getAccessToken();
    await settle();
    server.rejectHeld(new AuthRequestError('invalid_grant', 'x', 401));
    for (const waiter of [...waiters, queued])
      await expect(waiter).rejects.toBeInstanceOf(SessionExpiredError);
    expect(session.getState()).toEqual({
      status: 'unauthenticated',
      user: null,
      expiresAt: null,
      sessionEndsAt: null,
    });
    expect(expired).toHaveBeenCalledTimes(1);
    expect(expired.mock.calls[0]?.[0]).toEqual({ error: expect.any(SessionExpiredError) as Error });
    expect(onSessionExpired).toHaveBeenCalledExactlyOnceWith(expect.any(SessionExpiredError));
    expect(await session.getAccessToken()).toBeNull();
  });

  it.each([400, 401, 403])(
    'treats %i from the refresh endpoint as a rejection, without retrying',
    async (status) => {
      const { server, session } = setup();
      await session.login(CREDENTIALS);
      server.rejectWith(status);
      await expect(session.refresh()).rejects.toBeInstanceOf(SessionExpiredError);
      expect(server.transport.refresh).toHaveBeenCalledTimes(1);
    },
  );
});

describe('refresh unavailable (network error, 5xx)', () => {
  it.each([undefined, 500, 503])(
    'backs off, then rejects with RefreshFailedError and keeps the session (%s)',
    async (status) => {
      const { clock, server, session } = setup();
      await session.login(CREDENTIALS);
      server.rejectWith(status);
      const failures = vi.fn();
      session.on('refresh-failure', failures);
      const result = session.refresh();
      result.catch(() => undefined);
      await clock.advance(REFRESH_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0));
      await expect(result).rejects.toBeInstanceOf(RefreshFailedError);
      expect(server.transport.refresh).toHaveBeenCalledTimes(REFRESH_RETRY_DELAYS_MS.length + 1);
      expect(session.getState().status).toBe('authenticated');
      expect(failures).toHaveBeenCalledTimes(1);
      // The old token is still handed out while it lives.
      expect(await session.getAccessToken()).toBe('t1');
    },
  );

  it('recovers on a later attempt within the backoff', async () => {
    const { clock, server, session } = setup();
    await session.login(CREDENTIALS);
    server.rejectWith(503);
    const result = session.refresh();
    await clock.advance(REFRESH_RETRY_DELAYS_MS[0]);
    server.transport.refresh.mockImplementation(() =>
      Promise.resolve({ accessToken: 'fresh', expiresIn: 60, user: USER }),
    );
    await clock.advance(REFRESH_RETRY_DELAYS_MS[1]);
    expect(await result).toBe('fresh');
  });
});

describe('restore and logout', () => {
  it('stays loading until restore settles, then authenticates', async () => {
    const { server, session } = setup();
    expect(session.getState().status).toBe('loading');
    server.hold();
    const restoring = session.restore();
    const queued = session.getAccessToken();
    await settle();
    expect(session.getState().status).toBe('loading');
    server.release();
    expect((await restoring).status).toBe('authenticated');
    expect(await queued).toBe('t1');
  });

  it('turns a failed restore into a quiet signed-out state; queued requests go out without a token', async () => {
    const { server, session, onSessionExpired } = setup();
    server.hold();
    const restoring = session.restore();
    const queued = session.getAccessToken();
    await settle();
    server.rejectHeld(new AuthRequestError('invalid_grant', 'x', 401));
    expect((await restoring).status).toBe('unauthenticated');
    expect(await queued).toBeNull();
    expect(onSessionExpired).not.toHaveBeenCalled();
  });

  it('never lets a refresh in flight revive a session that logged out meanwhile', async () => {
    const { server, session } = setup();
    await session.login(CREDENTIALS);
    server.hold();
    const refreshing = session.refresh();
    // Logout waits for the refresh in flight (to revoke what it may be handed).
    const out = session.logout();
    await settle();
    expect(session.getState().status).toBe('unauthenticated');
    server.release();
    await out;
    await expect(refreshing).rejects.toBeInstanceOf(SessionChangedError);
    expect(session.getState().status).toBe('unauthenticated');
    expect(server.transport.logout).toHaveBeenCalledTimes(1);
  });

  it('logs out locally even when the server cannot be reached', async () => {
    const { server, session } = setup();
    await session.login(CREDENTIALS);
    server.transport.logout.mockRejectedValueOnce(new Error('offline'));
    await expect(session.logout()).resolves.toBeUndefined();
    expect(session.getState().status).toBe('unauthenticated');
    expect(session.readyAccessToken()).toBeNull();
  });

  it('keeps the state snapshot and the user identity across a token rotation with the same user', async () => {
    const { session } = setup();
    await session.login(CREDENTIALS);
    const before = session.getState();
    const listener = vi.fn();
    session.subscribe(listener);
    // Same clock, same lifetime: status, user and expiry are all unchanged by this rotation.
    await session.refresh();
    expect(session.readyAccessToken()).toBe('t2');
    expect(session.getState()).toBe(before);
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('proactive refresh that cannot reach the server', () => {
  it('tries again 5 s later while the token outlives that, and stops when it would not', async () => {
    // 60 s token, counted as 59 s: due at 44.7 s; backoff ends at 47.2 s, retry at 52.2 s,
    // backoff ends at 54.7 s, and 54.7 s + 5 s is past the expiry at 59 s: no third round.
    const { clock, server, session } = setup({ lifetimeS: 60 });
    await session.login(CREDENTIALS);
    server.rejectWith(503);
    await clock.advance(47_200);
    expect(server.transport.refresh).toHaveBeenCalledTimes(4);
    await clock.advance(4_999);
    expect(server.transport.refresh).toHaveBeenCalledTimes(4);
    await clock.advance(1);
    expect(server.transport.refresh).toHaveBeenCalledTimes(5);
    await clock.advance(60_000);
    expect(server.transport.refresh).toHaveBeenCalledTimes(8);
  });

  it('hands out the token in hand while it lives, then the failure once it expired', async () => {
    const { clock, server, session } = setup({ lifetimeS: 60 });
    await session.login(CREDENTIALS);
    server.rejectWith(undefined);
    clock.sleep(50_000); // due, not expired
    const live = session.getAccessToken();
    await clock.advance(2_500);
    expect(await live).toBe('t1');
    clock.sleep(20_000); // expired
    const dead = session.getAccessToken().catch((e: unknown) => e);
    await clock.advance(2_500);
    expect(await dead).toBeInstanceOf(RefreshFailedError);
    expect(session.getState().status).toBe('authenticated');
  });
});

describe('events', () => {
  it('reports login, each refresh with its reason and outcome, and the refusal as a logout (reason remote)', async () => {
    const { clock, server, session } = setup({ lifetimeS: 60 });
    const seen: unknown[] = [];
    session.on('login', (e) => seen.push(['login', e]));
    session.on('refresh-start', (e) => seen.push(['start', e]));
    session.on('refresh-success', (e) => seen.push(['success', e]));
    session.on('refresh-failure', (e) => seen.push(['failure', e.reason, e.error.name]));
    session.on('logout', (e) => seen.push(['logout', e]));
    await session.login(CREDENTIALS);
    await session.refresh();
    server.rejectWith(401);
    await session.refresh().catch(() => undefined);
    await session.logout();
    expect(seen).toEqual([
      ['login', { user: USER }],
      ['start', { reason: 'manual' }],
      ['success', { reason: 'manual', expiresAt: clock.runtime.now() + 59_000 }],
      ['start', { reason: 'manual' }],
      ['failure', 'manual', 'SessionExpiredError'],
      ['logout', { remote: false, reason: 'remote' }],
    ]);
  });

  it('names the reason of a refresh: expired before use, or rejected by the server', async () => {
    const { clock, session } = setup({ lifetimeS: 60 });
    const reasons: string[] = [];
    session.on('refresh-start', ({ reason }) => reasons.push(reason));
    await session.login(CREDENTIALS);
    clock.sleep(61_000);
    await session.getAccessToken();
    await session.renewAfterRejection('t2');
    expect(reasons).toEqual(['expired', 'rejected']);
  });
});

describe('the adapter port', () => {
  it('has a ready token only when no refresh is running or due', async () => {
    const { clock, server, session } = setup({ lifetimeS: 60 });
    expect(session.readyAccessToken()).toBeNull();
    await session.login(CREDENTIALS);
    expect(session.readyAccessToken()).toBe('t1');
    server.hold();
    const running = session.refresh();
    expect(session.readyAccessToken()).toBeUndefined();
    server.release();
    await running;
    expect(session.readyAccessToken()).toBe('t2');
    clock.sleep(50_000);
    expect(session.readyAccessToken()).toBeUndefined();
  });

  it('refuses to renew a rejected token when signed out', async () => {
    const { server, session } = setup();
    await expect(session.renewAfterRejection('t1')).rejects.toBeInstanceOf(SessionExpiredError);
    expect(server.transport.refresh).not.toHaveBeenCalled();
  });
});

describe('restore', () => {
  it('does nothing when already signed in', async () => {
    const { server, session } = setup();
    await session.login(CREDENTIALS);
    expect((await session.restore()).status).toBe('authenticated');
    expect(server.transport.refresh).not.toHaveBeenCalled();
  });
});

describe('a server that cannot be reached at restore', () => {
  const UNREACHABLE = { status: 'unreachable', user: null, expiresAt: null, sessionEndsAt: null };

  it('is not a sign-out: the state says unreachable, queued requests go out without a token', async () => {
    const { clock, server, session } = setup();
    server.rejectWith(undefined);
    const restoring = session.restore();
    const queued = session.getAccessToken();
    await clock.advance(2_500);
    expect(await restoring).toEqual(UNREACHABLE);
    expect(await queued).toBeNull();
  });

  it('is not what a misconfigured endpoint is: signed out after one call, and no retry', async () => {
    const { clock, server, session } = setup();
    server.transport.refresh.mockRejectedValue(
      new AuthConfigError('http://app.test/auth/refresh', 404),
    );
    const restoring = session.restore();
    await clock.advance(0);
    expect((await restoring).status).toBe('unauthenticated');
    await clock.advance(120_000);
    expect(server.transport.refresh).toHaveBeenCalledTimes(1);
  });

  it('retries by itself on a timer (2 s, 5 s, 10 s, 30 s, ...) and recovers without a login', async () => {
    const { clock, server, session } = setup({ lifetimeS: 600 });
    server.rejectWith(503);
    void session.restore();
    await clock.advance(2_500); // four attempts with backoff
    expect(server.transport.refresh).toHaveBeenCalledTimes(4);
    await clock.advance(2_000 + 2_500); // the first retry, and its backoff
    expect(server.transport.refresh).toHaveBeenCalledTimes(8);
    expect(session.getState()).toEqual(UNREACHABLE);
    server.recover();
    await clock.advance(5_000);
    expect(session.getState()).toMatchObject({ status: 'authenticated', user: USER });
    // Recovered: no more retries.
    const calls = server.transport.refresh.mock.calls.length;
    await clock.advance(60_000);
    expect(server.transport.refresh).toHaveBeenCalledTimes(calls);
  });

  it('retries at once when the page wakes (online, focus)', async () => {
    const { clock, server, session } = setup();
    server.rejectWith(undefined);
    void session.restore();
    await clock.advance(2_500);
    server.recover();
    clock.wake();
    await settle();
    expect(session.getState().status).toBe('authenticated');
  });

  it('a refusal while retrying is a clean sign-out, and the retries stop', async () => {
    const { clock, server, session } = setup();
    server.rejectWith(undefined);
    void session.restore();
    await clock.advance(2_500);
    server.rejectWith(401);
    await clock.advance(2_000);
    expect(session.getState()).toEqual({
      status: 'unauthenticated',
      user: null,
      expiresAt: null,
      sessionEndsAt: null,
    });
    const calls = server.transport.refresh.mock.calls.length;
    await clock.advance(120_000);
    expect(server.transport.refresh).toHaveBeenCalledTimes(calls);
  });

  it('dispose stops the retries', async () => {
    const { clock, server, session } = setup();
    server.rejectWith(undefined);
    void session.restore();
    await clock.advance(2_500);
    session.dispose();
    await clock.advance(120_000);
    expect(server.transport.refresh).toHaveBeenCalledTimes(4);
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('dispose', () => {
  it('stops the timers and closes the channel', async () => {
    const clock = fakeRuntime();
    const server = fakeTransport(600);
    const close = vi.fn();
    const unsubscribe = vi.fn();
    const session = createTestSession({
      transport: server.transport,
      runtime: clock.runtime,
      refreshLeewaySeconds: 30,
      lock: createMemoryLock(),
      channel: { post: vi.fn(), subscribe: () => unsubscribe, close },
    });
    await session.login(CREDENTIALS);
    expect(clock.pendingTimers()).toBe(1);
    session.dispose();
    expect(clock.pendingTimers()).toBe(0);
    expect(unsubscribe).toHaveBeenCalledTimes(1);
    expect(close).toHaveBeenCalledTimes(1);
    await clock.advance(3_600_000);
    expect(server.transport.refresh).not.toHaveBeenCalled();
  });

  it('a refresh that lands after dispose is taken (its caller gets the token) but arms no timer: a disposed session never renews again', async () => {
    const { clock, server, session } = setup({ lifetimeS: 600 });
    await session.login(CREDENTIALS);
    server.hold();
    const landing = session.refresh();
    await settle();
    session.dispose();
    server.release();
    expect(await landing).toBe('t2');
    expect(clock.pendingTimers()).toBe(0);
    await clock.advance(3_600_000);
    expect(server.transport.refresh).toHaveBeenCalledTimes(1);
  });

  it('a proactive refresh that fails after dispose schedules no retry', async () => {
    const { clock, server, session } = setup({ lifetimeS: 600 });
    await session.login(CREDENTIALS);
    server.hold();
    // The timer fires at 566.5 s: 599 s counted, less the 30 s leeway and half of the 5 s jitter.
    await clock.advance(567_000);
    expect(server.transport.refresh).toHaveBeenCalledTimes(1);
    session.dispose();
    server.rejectWith(undefined);
    server.rejectHeld(new AuthRequestError('network_error', 'down'));
    await clock.advance(3_600_000);
    // The call's own backoff (three more attempts), then nothing.
    expect(server.transport.refresh).toHaveBeenCalledTimes(4);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('a restore that cannot reach the server after dispose schedules no retry', async () => {
    const { clock, server, session } = setup();
    server.hold();
    const restoring = session.restore();
    await settle();
    session.dispose();
    server.rejectWith(undefined);
    server.rejectHeld(new AuthRequestError('network_error', 'down'));
    await clock.advance(3_600_000);
    expect((await restoring).status).toBe('unreachable');
    expect(server.transport.refresh).toHaveBeenCalledTimes(4);
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('more of the session', () => {
  it('refreshes under the lock named tokenlane:refresh', async () => {
    const clock = fakeRuntime();
    const server = fakeTransport();
    const names: string[] = [];
    const memory = createMemoryLock();
    const session = createTestSession({
      transport: server.transport,
      runtime: clock.runtime,
      refreshLeewaySeconds: 30,
      lock: (name, timeout, fn) => (names.push(name), memory(name, timeout, fn)),
    });
    await session.refresh().catch(() => undefined);
    expect(names).toEqual(['tokenlane:refresh']);
  });

  it("names a proactive refresh 'scheduled', whether its timer fired or a request found it due", async () => {
    const { clock, session } = setup({ lifetimeS: 600 });
    const reasons: string[] = [];
    session.on('refresh-start', ({ reason }) => reasons.push(reason));
    await session.login(CREDENTIALS);
    await clock.advance(570_000);
    clock.sleep(570_000);
    await session.getAccessToken();
    expect(reasons).toEqual(['scheduled', 'scheduled']);
  });

  it('logging out while signed out emits no event, and still tells the other tabs (one may have signed in meanwhile)', async () => {
    const clock = fakeRuntime();
    const server = fakeTransport();
    const post = vi.fn();
    const session = createTestSession({
      transport: server.transport,
      runtime: clock.runtime,
      refreshLeewaySeconds: 30,
      lock: createMemoryLock(),
      channel: { post, subscribe: () => () => undefined, close: vi.fn() },
    });
    const logout = vi.fn();
    session.on('logout', logout);
    await session.logout();
    expect(logout).not.toHaveBeenCalled();
    expect(post).toHaveBeenCalledTimes(1);
    expect(post.mock.calls[0]).toMatchObject([{ type: 'logout' }]);
    expect(server.transport.logout).toHaveBeenCalledTimes(1);
  });

  it('works with a contended lock and no channel at all', async () => {
    const clock = fakeRuntime();
    const server = fakeTransport();
    const lock = createMemoryLock();
    const tab = () =>
      createTestSession({
        transport: server.transport,
        runtime: clock.runtime,
        refreshLeewaySeconds: 30,
        lock,
      });
    const [a, b] = [tab(), tab()];
    server.hold();
    const fromA = a.refresh();
    const fromB = b.refresh();
    await settle();
    server.release();
    expect(await fromA).toBe('t1');
    expect(await fromB).toBe('t2');
  });

  it('lets requests queued behind a failing refresh use the token in hand while it lives', async () => {
    const { clock, server, session } = setup({ lifetimeS: 600 });
    await session.login(CREDENTIALS);
    server.rejectWith(503);
    const failing = session.refresh().catch((e: unknown) => e);
    const queued = session.getAccessToken();
    await clock.advance(2_500);
    expect(await failing).toBeInstanceOf(RefreshFailedError);
    expect(await queued).toBe('t1');
  });

  it('waits 30 s at most for one refresh: a request sent with the token in hand after that wait fails at once when it is rejected', async () => {
    const { clock, server, session } = setup({ lifetimeS: 600 });
    await session.login(CREDENTIALS);
    server.hold();
    void session.refresh().catch(() => undefined);
    const waiting = session.getAccessToken();
    await clock.advance(30_000);
    expect(await waiting).toBe('t1');
    const retried = session.renewAfterRejection('t1').catch((e: unknown) => e);
    await clock.advance(1);
    expect(await retried).toBeInstanceOf(RefreshFailedError);
    expect(session.getState().status).toBe('authenticated');
    server.release();
  });

  it('never schedules a refresh for a token whose lifetime is unknown', async () => {
    const { clock, server, session } = setup();
    server.transport.login.mockResolvedValueOnce({ accessToken: 'opaque', user: USER });
    await session.login(CREDENTIALS);
    expect(session.getState().expiresAt).toBeNull();
    expect(clock.pendingTimers()).toBe(0);
    await clock.advance(24 * 3_600_000);
    expect(server.transport.refresh).not.toHaveBeenCalled();
    expect(session.readyAccessToken()).toBe('opaque');
  });

  it('keeps a session another tab started while its own page-load restore could not reach the server', async () => {
    const clock = fakeRuntime();
    const server = fakeTransport(600);
    const lock = createMemoryLock();
    const hub = createMemoryChannelHub<typeof USER>();
    const tab = () =>
      createTestSession({
        transport: server.transport,
        runtime: clock.runtime,
        refreshLeewaySeconds: 30,
        lock,
        channel: hub.connect(),
      });
    const [a, b] = [tab(), tab()];
    server.hold();
    const restoring = b.restore();
    await settle();
    // The sign-in waits for the restore, which holds the refresh lock through its retries.
    const login = a.login(CREDENTIALS);
    server.rejectWith(undefined);
    server.rejectHeld(new AuthRequestError('network_error', 'down'));
    await clock.advance(2_500);
    await restoring;
    await login;
    await settle();
    expect(b.getState().status).toBe('authenticated');
    // Its restore's retry finds the session there: it stays.
    await clock.advance(30_000);
    expect(b.getState().status).toBe('authenticated');
    expect(b.readyAccessToken()).toBe('t1');
  });
});

describe('edges of time and logout', () => {
  it("calls a token expired from the exact millisecond of its expiry ('expired', not 'scheduled')", async () => {
    const { clock, session } = setup({ lifetimeS: 60 });
    const reasons: string[] = [];
    session.on('refresh-start', ({ reason }) => reasons.push(reason));
    await session.login(CREDENTIALS);
    clock.sleep(60_000);
    await session.getAccessToken();
    expect(reasons).toEqual(['expired']);
  });

  it('reports a local logout of a live session as { remote: false, reason: user }', async () => {
    const { session } = setup();
    const logout = vi.fn();
    session.on('logout', logout);
    await session.login(CREDENTIALS);
    await session.logout();
    expect(logout).toHaveBeenCalledExactlyOnceWith({ remote: false, reason: 'user' });
  });
});

describe('the session end', () => {
  /** The next login's answer says the session ends in `seconds`. */
  const saysSessionEnd = (server: ReturnType<typeof setup>['server'], seconds: number) =>
    server.transport.login.mockResolvedValueOnce({
      accessToken: 'first',
      expiresIn: 60,
      user: USER,
      sessionExpiresIn: seconds,
    });

  it('publishes when the session ends, keeps it through a renewal that does not say, and drops it at sign-out', async () => {
    const { clock, server, session } = setup();
    saysSessionEnd(server, 3600);
    await session.login(CREDENTIALS);
    const endsAt = clock.runtime.now() + 3_600_000;
    expect(session.getState().sessionEndsAt).toBe(endsAt);
    await session.refresh({ force: true });
    expect(session.getState().sessionEndsAt).toBe(endsAt);
    await session.logout();
    expect(session.getState().sessionEndsAt).toBeNull();
  });

  it('takes a new sign-in as a new session: its end is what its own answer says, not the last one', async () => {
    const { server, session } = setup();
    saysSessionEnd(server, 3600);
    await session.login(CREDENTIALS);
    expect(session.getState().sessionEndsAt).not.toBeNull();
    // Signed in again (a step-up, another account) with a server that does not say this time.
    await session.login(CREDENTIALS);
    expect(session.getState().sessionEndsAt).toBeNull();
  });
});
