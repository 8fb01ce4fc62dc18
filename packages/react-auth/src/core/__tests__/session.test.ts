import { describe, expect, it, vi } from 'vitest';
import { createMemoryLock } from '../lock.js';
import { REFRESH_RETRY_DELAYS_MS } from '../refreshCall.js';
import { AuthRequestError, RefreshFailedError, SessionExpiredError } from '../errors.js';
import { createTestSession, fakeRuntime, fakeTransport, settle, USER } from './fakes.js';

const CREDENTIALS = { email: USER.email, password: 'pw' };

function setup({ lifetimeS = 60, leeway = 30 } = {}) {
  const clock = fakeRuntime();
  const server = fakeTransport(lifetimeS);
  const onSessionExpired = vi.fn();
  const session = createTestSession({
    transport: server.transport,
    runtime: clock.runtime,
    refreshLeeway: leeway,
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
    const { server, session } = setup();
    await session.login(CREDENTIALS);
    server.hold();
    const plain = session.refresh();
    const forced = session.refresh({ force: true });
    await settle();
    server.release();
    expect(await plain).toBe('t2');
    expect(await forced).toBe('t2');
    expect(server.transport.refresh).toHaveBeenCalledTimes(1);

    // A refresh began with t2; the token then changed (t9, here through a login): force must not
    // join it, but wait for it and start its own refresh, which began with t9.
    server.hold();
    const old = session.refresh();
    await settle();
    server.transport.login.mockResolvedValueOnce({ accessToken: 't9', expiresIn: 60, user: USER });
    await session.login(CREDENTIALS);
    const forcedAgain = session.refresh({ force: true });
    await settle();
    expect(server.transport.refresh).toHaveBeenCalledTimes(2);
    server.release();
    await expect(old).rejects.toBeInstanceOf(SessionExpiredError); // superseded by the login
    // The old refresh got t3 (dropped: the login came after it began); the forced one gets t4.
    expect(await forcedAgain).toBe('t4');
    expect(server.transport.refresh).toHaveBeenCalledTimes(3);
    expect(session.readyAccessToken()).toBe('t4');
  });
});

describe('proactive refresh', () => {
  it('refreshes at expiry minus leeway minus jitter, and again for the next token', async () => {
    const { clock, server, session } = setup({ lifetimeS: 600, leeway: 30 });
    await session.login(CREDENTIALS);
    // random() = 0.5: due at 600 - 30 - 0.5 * 5 = 567.5 s
    await clock.advance(567_000);
    expect(server.transport.refresh).not.toHaveBeenCalled();
    await clock.advance(1_000);
    expect(server.transport.refresh).toHaveBeenCalledTimes(1);
    expect(session.getState().expiresAt).toBe(1_000_000 + 567_500 + 600_000);
    await clock.advance(568_000);
    expect(server.transport.refresh).toHaveBeenCalledTimes(2);
  });

  it('clamps the leeway for short tokens so they are not refreshed in a loop', async () => {
    const { clock, server, session } = setup({ lifetimeS: 3, leeway: 30 });
    await session.login(CREDENTIALS);
    // leeway = 3 s * 0.2 = 0.6 s, jitter = 0.5 * 0.3 s: due at 2.25 s
    await clock.advance(2_200);
    expect(server.transport.refresh).not.toHaveBeenCalled();
    await clock.advance(100);
    expect(server.transport.refresh).toHaveBeenCalledTimes(1);
    await clock.advance(9_000);
    expect(server.transport.refresh).toHaveBeenCalledTimes(5);
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
    expect(session.getState()).toEqual({ status: 'unauthenticated', user: null, expiresAt: null });
    expect(expired).toHaveBeenCalledTimes(1);
    expect(onSessionExpired).toHaveBeenCalledTimes(1);
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
      session.on('refresh:failure', failures);
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
    await session.logout();
    server.release();
    await expect(refreshing).rejects.toBeInstanceOf(SessionExpiredError);
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
