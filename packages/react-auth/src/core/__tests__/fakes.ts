import { vi } from 'vitest';
import { AuthRequestError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import type { AuthTransport, AuthUser, TokenSet } from '../types.js';

export const USER: AuthUser = { id: 'u1', email: 'demo@tokenlane.dev', name: 'Demo', role: 'user' };

/** A wall clock and timers that move only when the test says so. */
export function fakeRuntime(start = 1_000_000) {
  let now = start;
  let seq = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const wakeListeners = new Set<() => void>();
  const runtime: Runtime = {
    now: () => now,
    setTimeout(callback, ms) {
      const id = ++seq;
      timers.set(id, { at: now + ms, callback });
      return id;
    },
    clearTimeout: (id) => void timers.delete(id as number),
    random: () => 0.5,
    onWake(listener) {
      wakeListeners.add(listener);
      return () => wakeListeners.delete(listener);
    },
  };
  return {
    runtime,
    /** Moves the clock, firing due timers in order and letting promises settle between them. */
    async advance(ms: number) {
      const target = now + ms;
      for (;;) {
        await settle();
        const next = [...timers.entries()].sort((a, b) => a[1].at - b[1].at)[0];
        if (!next || next[1].at > target) break;
        timers.delete(next[0]);
        now = Math.max(now, next[1].at);
        next[1].callback();
        await settle();
      }
      now = target;
      await settle();
    },
    /** Moves the wall clock without firing timers, as a sleeping laptop does. */
    sleep(ms: number) {
      now += ms;
    },
    wake: () => wakeListeners.forEach((listener) => listener()),
    pendingTimers: () => timers.size,
  };
}

/** Lets every pending promise chain run. */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A controllable transport: tokens `t1`, `t2`, ... with a fixed lifetime. */
export function fakeTransport(lifetimeS = 60) {
  let issued = 0;
  const next = (): TokenSet<AuthUser> => ({
    accessToken: `t${++issued}`,
    expiresIn: lifetimeS,
    user: USER,
  });
  const pending: Array<{
    resolve: (set: TokenSet<AuthUser>) => void;
    reject: (error: unknown) => void;
  }> = [];
  const transport = {
    login: vi.fn((_credentials: unknown) => Promise.resolve(next())),
    refresh: vi.fn(() => Promise.resolve(next())),
    logout: vi.fn(() => Promise.resolve()),
  } satisfies AuthTransport<AuthUser>;
  return {
    transport,
    issued: () => issued,
    /** Makes the next refreshes wait until `release()`. */
    hold() {
      transport.refresh.mockImplementation(
        () =>
          new Promise<TokenSet<AuthUser>>((resolve, reject) => pending.push({ resolve, reject })),
      );
    },
    release() {
      for (const call of pending.splice(0)) call.resolve(next());
    },
    rejectHeld(error: unknown) {
      for (const call of pending.splice(0)) call.reject(error);
    },
    rejectWith(status: number | undefined) {
      transport.refresh.mockImplementation(() =>
        Promise.reject(
          new AuthRequestError(status ? 'invalid_grant' : 'network_error', 'no', status),
        ),
      );
    },
  };
}
