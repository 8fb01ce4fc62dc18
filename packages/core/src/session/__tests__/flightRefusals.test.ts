import { describe, expect, it, vi } from 'vitest';
import { AuthRequestError, RefreshFailedError } from '../errors.js';
import { createMemoryLock } from '../lock.js';
import { createMemoryChannelHub } from '../memoryChannel.js';
import type { AuthChannel } from '../channel.js';
import type { AuthUser, TokenSet } from '../types.js';
import { createTestSession, fakeRuntime, settle, USER } from '@tokenlane/test-kit/fakes';
import { as, browser, usersServer } from './usersFakes.js';

// A refusal that lands in a refresh: whose verdict it is. The session it was meant to renew ends
// only if it is still the browser's session and no other tab renewed it meanwhile.

const codeOf = (error: unknown) => (error as { code?: string }).code;

/** Two tabs of one session, each its own lock; `a`'s refresh calls wait for `refuse()`. */
function twoTabs(bLifetimeS: number) {
  const clock = fakeRuntime();
  const hub = createMemoryChannelHub<AuthUser>();
  const channel = () => {
    const c: AuthChannel<AuthUser> = hub.connect();
    c.settle = () => settle();
    return c;
  };
  let refuse = () => {};
  const aRefreshes = vi.fn(
    () =>
      new Promise<TokenSet<AuthUser>>((_, reject) => {
        refuse = () => reject(new AuthRequestError('invalid_grant', 'rotated', 401));
      }),
  );
  const tab = (refresh: () => Promise<TokenSet<AuthUser>>) =>
    createTestSession<AuthUser>({
      transport: {
        login: () => Promise.resolve({ accessToken: 't1', expiresIn: 600, user: USER }),
        refresh,
        logout: () => Promise.resolve(),
      },
      runtime: clock.runtime,
      refreshLeewaySeconds: 30,
      lock: createMemoryLock(clock.runtime),
      channel: channel(),
    });
  const a = tab(aRefreshes);
  const b = tab(() => Promise.resolve({ accessToken: 't2', expiresIn: bLifetimeS, user: USER }));
  return { a, b, clock, refuse: () => refuse(), aRefreshes };
}

describe('a refusal that lands in a refresh', () => {
  it('of a token another tab renewed meanwhile: the session lives on with that tab’s token', async () => {
    const { a, b, refuse } = twoTabs(600);
    await a.login({ email: USER.email, password: 'pw' });
    await settle();
    const renewing = a.refresh({ force: true });
    await settle();
    expect(await b.refresh({ force: true })).toBe('t2');
    await settle();
    refuse();
    expect(await renewing).toBe('t2');
    expect(a.getState()).toMatchObject({ status: 'authenticated', user: USER });
  });

  it('…and when that token is due already: no verdict (refresh_failed), nobody signed out', async () => {
    const { a, b, clock, refuse } = twoTabs(2);
    await a.login({ email: USER.email, password: 'pw' });
    await settle();
    const renewing = a.refresh({ force: true }).catch((e: unknown) => e);
    await settle();
    await b.refresh({ force: true });
    b.dispose(); // no renewal of its own from here
    await clock.advance(1_900);
    refuse();
    const error = await renewing;
    expect(error).toBeInstanceOf(RefreshFailedError);
    expect((error as RefreshFailedError).cause).toMatchObject({ code: 'session_expired' });
    expect(a.getState().status).toBe('authenticated');
  });

  it('of a session the browser left meanwhile (a sign-in elsewhere): session_changed, not an expiry', async () => {
    const server = usersServer('body');
    const { open } = browser(server, 'body');
    const [a, b, c] = [open(), open(), open()];
    const expired = vi.fn();
    a.on('session-expired', expired);
    await a.login(as('alice'));
    b.deliver();
    c.deliver();
    // c renews; a, not told yet, presents the rotated token: refused, the answer held back.
    await c.refresh({ force: true });
    server.hold();
    const renewing = a.refresh({ force: true }).catch(codeOf);
    await settle();
    await b.login(as('carol'));
    server.release();
    expect(await renewing).toBe('session_changed');
    a.deliver();
    await settle();
    expect(a.user()).toBe('carol');
    expect(expired).not.toHaveBeenCalled();
  });

  it('of another user (the cookie holds someone else’s session, told by id or sub): both end', async () => {
    for (const [mine, theirs] of [
      [{ id: 'u1' }, { id: 'u2' }],
      [{ sub: 'alice' }, { sub: 'bob' }],
    ] as const) {
      const clock = fakeRuntime();
      const logout = vi.fn(() => Promise.resolve());
      const session = createTestSession<AuthUser>({
        transport: {
          login: () => Promise.resolve({ accessToken: 't1', expiresIn: 600, user: mine as never }),
          refresh: () =>
            Promise.resolve({ accessToken: 't2', expiresIn: 600, user: theirs as never }),
          logout,
        },
        runtime: clock.runtime,
        refreshLeewaySeconds: 30,
        lock: createMemoryLock(clock.runtime),
      });
      await session.login({ email: USER.email, password: 'pw' });
      expect(await session.refresh({ force: true }).catch(codeOf)).toBe('session_expired');
      expect(session.getState().status).toBe('unauthenticated');
      expect(logout).toHaveBeenCalled();
    }
  });

  it('of the same user told only by sub, or a user without either: the renewal is taken', async () => {
    for (const [mine, theirs] of [
      [{ sub: 'alice' }, { sub: 'alice', auth_time: 2 }],
      [{ name: 'x' }, { name: 'y' }],
    ] as const) {
      const clock = fakeRuntime();
      const session = createTestSession<AuthUser>({
        transport: {
          login: () => Promise.resolve({ accessToken: 't1', expiresIn: 600, user: mine as never }),
          refresh: () =>
            Promise.resolve({ accessToken: 't2', expiresIn: 600, user: theirs as never }),
          logout: () => Promise.resolve(),
        },
        runtime: clock.runtime,
        refreshLeewaySeconds: 30,
        lock: createMemoryLock(clock.runtime),
      });
      await session.login({ email: USER.email, password: 'pw' });
      expect(await session.refresh({ force: true })).toBe('t2');
    }
  });

  it('a forced refresh while one that began with an older token runs: not joined, a new one after it', async () => {
    const { a, b, aRefreshes, refuse } = twoTabs(600);
    await a.login({ email: USER.email, password: 'pw' });
    await settle();
    const first = a.refresh({ force: true }).catch(() => undefined);
    await settle();
    await b.refresh({ force: true });
    await settle();
    // a holds b's t2 now; its own flight began with t1.
    const second = a.refresh({ force: true }).catch(() => undefined);
    refuse();
    await first;
    for (let i = 0; i < 20 && aRefreshes.mock.calls.length < 2; i++) await settle();
    expect(aRefreshes).toHaveBeenCalledTimes(2);
    refuse();
    await second;
  });
});
