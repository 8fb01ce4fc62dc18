import { vi } from 'vitest';
import {
  AuthRequestError,
  type Runtime,
  type AuthUser,
  type LoginCredentials,
  type TokenSet,
} from '@tokenlane/core';
import { createSession, type SessionOptions, type AuthTransport } from '@tokenlane/core/adapter';

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

/** A session, its adapter port and its `end(reason)` as one object, for tests that drive them. */
export function createTestSession<TUser>(options: SessionOptions<TUser, LoginCredentials>) {
  const { session, port, end } = createSession(options);
  return { ...session, ...port, end };
}

/** A controllable transport: tokens `t1`, `t2`, ... with a fixed lifetime. */
export function fakeTransport(lifetimeS = 60) {
  let issued = 0;
  const next = (): TokenSet<AuthUser> => ({
    accessToken: `t${++issued}`,
    expiresIn: lifetimeS,
    user: USER,
  });
  // While held, every refresh call waits for the gate, whenever it was made.
  let gate: { promise: Promise<void>; open: () => void; fail: (error: unknown) => void } | null =
    null;
  const transport = {
    login: vi.fn((_credentials: unknown) => Promise.resolve(next())),
    refresh: vi.fn(async () => {
      if (gate) await gate.promise;
      return next();
    }),
    logout: vi.fn(() => Promise.resolve()),
  } satisfies AuthTransport<AuthUser>;
  return {
    transport,
    issued: () => issued,
    /** Holds every refresh call, made before or after, until `release()` or `rejectHeld()`. */
    hold() {
      let open = () => {};
      let fail: (error: unknown) => void = () => {};
      const promise = new Promise<void>((resolve, reject) => ((open = resolve), (fail = reject)));
      promise.catch(() => undefined);
      gate = { promise, open, fail };
    },
    /** Lets every held refresh call through, in the order they were made; ends the hold. */
    release() {
      gate?.open();
      gate = null;
    },
    /** Fails every held refresh call with `error`; ends the hold. */
    rejectHeld(error: unknown) {
      gate?.fail(error);
      gate = null;
    },
    /** Answers refresh calls again (after `rejectWith`). */
    recover() {
      transport.refresh.mockImplementation(async () => {
        if (gate) await gate.promise;
        return next();
      });
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
