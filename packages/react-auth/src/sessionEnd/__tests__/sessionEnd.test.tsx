// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryChannelHub } from '@tokenlane/core/testing';
import { createMemoryLock, type AuthUser } from '@tokenlane/core';
import { createTestSession, fakeRuntime, fakeTransport, USER } from '@tokenlane/test-kit/fakes';
import { AuthContext } from '../../react/AuthContext.js';
import { useSessionEnding } from '../useSessionEnding.js';
import { onSessionEnding } from '@tokenlane/core/session-end';

// Issue 25: the session's end foretold. The server says when the session ends (the refresh
// token's absolute end): the state shows it (`sessionEndsAt`) in every tab, and `onSessionEnding`
// tells the app `notice` seconds before, on the injected clock.

const HOUR_S = 3600;
afterEach(cleanup);

/**
 * Tabs of one browser on one virtual clock. The server's sessions live `lifetime()` seconds from
 * the sign-in (undefined: it does not say), as Tokenlane's API: each answer says what is left; a
 * `sliding` server (simplejwt) counts the lifetime again from every renewal.
 */
function world({
  lifetime = () => HOUR_S,
  sliding = false,
  renewalsSay = true,
}: { lifetime?: () => number | undefined; sliding?: boolean; renewalsSay?: boolean } = {}) {
  const clock = fakeRuntime();
  const server = fakeTransport(600);
  let end: number | undefined;
  const left = () => (end === undefined ? undefined : (end - clock.runtime.now()) / 1000);
  const transport = {
    ...server.transport,
    login: async (credentials: unknown) => {
      const seconds = lifetime();
      end = seconds === undefined ? undefined : clock.runtime.now() + seconds * 1000;
      return { ...(await server.transport.login(credentials)), sessionExpiresIn: left() };
    },
    refresh: async () => {
      const seconds = lifetime();
      if (sliding && seconds !== undefined) end = clock.runtime.now() + seconds * 1000;
      const set = await server.transport.refresh();
      return renewalsSay ? { ...set, sessionExpiresIn: left() } : set;
    },
  };
  const hub = createMemoryChannelHub<AuthUser>();
  const lock = createMemoryLock();
  const tab = () =>
    createTestSession<AuthUser>({
      transport,
      runtime: clock.runtime,
      refreshLeewaySeconds: 30,
      lock,
      channel: hub.connect(),
    });
  return { clock, tab };
}

describe('sessionEndsAt', () => {
  it('is in the state after a sign-in, in the other tabs too, and null once signed out', async () => {
    const { clock, tab } = world();
    const a = tab();
    const b = tab();
    await a.login({ email: USER.email, password: 'x' });
    const endsAt = clock.runtime.now() + HOUR_S * 1000;
    expect(a.getState().sessionEndsAt).toBe(endsAt);
    await clock.advance(0);
    expect(b.getState().sessionEndsAt).toBe(endsAt);
    await a.logout();
    await clock.advance(0);
    expect([a.getState().sessionEndsAt, b.getState().sessionEndsAt]).toEqual([null, null]);
  });

  it('is kept through renewals whose answers do not say it (only the sign-in did)', async () => {
    const { clock, tab } = world({ renewalsSay: false });
    const a = tab();
    await a.login({ email: USER.email, password: 'x' });
    const endsAt = a.getState().sessionEndsAt;
    await clock.advance(1_200_000);
    expect(a.getState()).toMatchObject({ status: 'authenticated', sessionEndsAt: endsAt });
    expect(endsAt).not.toBeNull();
  });

  it('is null when the server does not say', async () => {
    const { tab } = world({ lifetime: () => undefined });
    const a = tab();
    await a.login({ email: USER.email, password: 'x' });
    expect(a.getState()).toMatchObject({ status: 'authenticated', sessionEndsAt: null });
  });
});

describe('onSessionEnding', () => {
  it('tells notice seconds before the end, once, on the virtual clock', async () => {
    const { clock, tab } = world();
    const a = tab();
    const told = vi.fn();
    onSessionEnding(a, told, { notice: 300, runtime: clock.runtime });
    await a.login({ email: USER.email, password: 'x' });
    const endsAt = a.getState().sessionEndsAt!;
    await clock.advance((HOUR_S - 300) * 1000 - 1);
    expect(told).not.toHaveBeenCalled();
    await clock.advance(1);
    expect(told).toHaveBeenCalledExactlyOnceWith(endsAt);
    await clock.advance(300_000);
    expect(told).toHaveBeenCalledTimes(1);
  });

  it('re-arms when a renewal moves the end (a sliding lifetime); tells nothing after a sign-out or a stop', async () => {
    const { clock, tab } = world({ sliding: true });
    const a = tab();
    const told = vi.fn();
    onSessionEnding(a, told, { notice: 60, runtime: clock.runtime });
    await a.login({ email: USER.email, password: 'x' });
    const first = a.getState().sessionEndsAt!;
    // The proactive renewal (10 min tokens) moves the end: the first end is never told.
    await clock.advance(600_000);
    const moved = a.getState().sessionEndsAt!;
    expect(moved).toBeGreaterThan(first);
    await a.logout();
    await clock.advance(2 * HOUR_S * 1000);
    expect(told).not.toHaveBeenCalled();
    const stopped = vi.fn();
    onSessionEnding(a, stopped, { notice: 60, runtime: clock.runtime })();
    await a.login({ email: USER.email, password: 'x' });
    // Sliding: each renewal moves the end an hour on, so it is told only once renewals stop.
    await clock.advance(HOUR_S * 1000);
    expect(told).not.toHaveBeenCalled();
    a.dispose();
    const last = a.getState().sessionEndsAt!;
    await clock.advance(HOUR_S * 1000);
    expect(told.mock.calls).toEqual([[last]]);
    expect(stopped).not.toHaveBeenCalled();
  });

  it("tells at once when the end is already nearer than notice, and waits past a timer's limit", async () => {
    let endsIn = 30;
    const { clock, tab } = world({ lifetime: () => endsIn });
    const a = tab();
    await a.login({ email: USER.email, password: 'x' });
    const told = vi.fn();
    // Timers as browsers and Node run them: a delay past 2^31 - 1 ms fires at once.
    const runtime = {
      ...clock.runtime,
      setTimeout: (callback: () => void, ms: number) =>
        clock.runtime.setTimeout(callback, ms > 2 ** 31 - 1 ? 0 : ms),
    };
    onSessionEnding(a, told, { notice: 300, runtime });
    await clock.advance(0);
    expect(told).toHaveBeenCalledTimes(1);
    // 40 days: longer than a timer can wait (24.8 days); nothing fires early.
    endsIn = 40 * 86_400;
    await a.login({ email: USER.email, password: 'x' });
    await clock.advance(30 * 86_400_000);
    expect(told).toHaveBeenCalledTimes(1);
    await clock.advance(10 * 86_400_000 - 300_000);
    expect(told).toHaveBeenCalledTimes(2);
  });
});

describe('useSessionEnding', () => {
  it('renders the end once it is notice away, and nothing after a sign-out', async () => {
    const { clock, tab } = world();
    const a = tab();
    await a.login({ email: USER.email, password: 'x' });
    function Warning() {
      const endsAt = useSessionEnding({ notice: 120, runtime: clock.runtime });
      return <p>{endsAt === null ? 'fine' : `ends at ${endsAt}`}</p>;
    }
    render(
      <AuthContext.Provider value={{ client: a, api: null }}>
        <Warning />
      </AuthContext.Provider>,
    );
    expect(screen.getByText('fine')).toBeTruthy();
    const endsAt = a.getState().sessionEndsAt!;
    await act(() => clock.advance((HOUR_S - 120) * 1000));
    expect(screen.getByText(`ends at ${endsAt}`)).toBeTruthy();
    await act(() => a.logout());
    expect(screen.getByText('fine')).toBeTruthy();
  });
});
