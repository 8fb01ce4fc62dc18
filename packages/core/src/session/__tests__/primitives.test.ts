import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBroadcastChannel } from '../channel.js';
import { createMemoryChannelHub } from '../memoryChannel.js';
import { createEmitter } from '../emitter.js';
import { decodeJwt } from '../jwt.js';
import { createMemoryLock, createWebLock, type LockFunc, type LockGrant } from '../lock.js';
import { refreshDueAt } from '../refreshScheduler.js';
import { createSessionStore } from '../sessionStore.js';
import { AuthRequestError, RefreshFailedError, SessionExpiredError } from '../errors.js';
import { fakeRuntime, settle, USER } from '@tokenlane/test-kit/fakes';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('decodeJwt', () => {
  it('reads the payload, UTF-8 included, without verifying', () => {
    const token = `${b64({ alg: 'HS256' })}.${b64({ exp: 123, name: 'Zoë ✓' })}.sig`;
    expect(decodeJwt(token)).toEqual({ exp: 123, name: 'Zoë ✓' });
  });

  it('decodes base64url payloads that use - and _', () => {
    const claims = { sub: '?ÿ>' };
    const part = b64(claims);
    expect(part).toMatch(/-/);
    expect(part).toMatch(/_/);
    expect(decodeJwt(`h.${part}.s`)).toEqual(claims);
  });

  it.each(['opaque', '', 'a.%%%.c', `x.${b64('a string')}.y`])('returns {} for %j', (token) => {
    expect(decodeJwt(token)).toEqual({});
  });
});

describe('refreshDueAt', () => {
  it('uses the leeway, plus up to half of it as jitter', () => {
    expect(refreshDueAt(1_000_000, 900_000, 30_000, 0)).toBe(970_000);
    expect(refreshDueAt(1_000_000, 900_000, 30_000, 1)).toBe(965_000);
  });

  it('clamps the leeway to a fifth of a short lifetime', () => {
    expect(refreshDueAt(10_000, 3_000, 30_000, 0)).toBe(9_400);
  });
});

describe('createSessionStore', () => {
  it('notifies on change only and keeps equal users identical', () => {
    const store = createSessionStore<typeof USER>();
    const listener = vi.fn();
    store.subscribe(listener);
    store.set({ status: 'authenticated', user: USER, expiresAt: 1, sessionEndsAt: null });
    const first = store.getState();
    store.set({ status: 'authenticated', user: { ...USER }, expiresAt: 1, sessionEndsAt: null });
    expect(store.getState()).toBe(first);
    store.set({ status: 'authenticated', user: { ...USER }, expiresAt: 2, sessionEndsAt: null });
    expect(store.getState().user).toBe(first.user);
    expect(listener).toHaveBeenCalledTimes(2);
  });
});

describe('createSessionStore changes', () => {
  it('publishes a change of user alone, of expiry alone, and of the session end alone', () => {
    const store = createSessionStore<{ id: string }>();
    store.set({ status: 'authenticated', user: { id: 'a' }, expiresAt: 1, sessionEndsAt: null });
    const listener = vi.fn();
    store.subscribe(listener);
    store.set({ status: 'authenticated', user: { id: 'b' }, expiresAt: 1, sessionEndsAt: null });
    expect(store.getState().user).toEqual({ id: 'b' });
    store.set({ status: 'authenticated', user: { id: 'b' }, expiresAt: 2, sessionEndsAt: null });
    expect(store.getState().expiresAt).toBe(2);
    store.set({ status: 'authenticated', user: { id: 'b' }, expiresAt: 2, sessionEndsAt: 9 });
    expect(store.getState().sessionEndsAt).toBe(9);
    expect(listener).toHaveBeenCalledTimes(3);
  });
});

describe('createSessionStore subscriptions', () => {
  it('stops notifying a listener once it unsubscribed', () => {
    const store = createSessionStore<typeof USER>();
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    store.set({ status: 'unauthenticated', user: null, expiresAt: null, sessionEndsAt: null });
    unsubscribe();
    store.set({ status: 'authenticated', user: USER, expiresAt: 1, sessionEndsAt: null });
    expect(listener).toHaveBeenCalledTimes(1);
  });
});

describe('errors', () => {
  it('carry a stable code, a message and their class name', () => {
    expect(new SessionExpiredError()).toMatchObject({
      code: 'session_expired',
      message: 'Session expired',
      name: 'SessionExpiredError',
    });
    expect(new RefreshFailedError()).toMatchObject({
      code: 'refresh_failed',
      message: 'Refresh failed',
      name: 'RefreshFailedError',
    });
    const cause = new Error('x');
    expect(new AuthRequestError('rate_limited', 'Slow', 429, 3, { cause })).toMatchObject({
      code: 'rate_limited',
      status: 429,
      retryAfter: 3,
      cause,
    });
  });
});

describe('createEmitter', () => {
  it('isolates a throwing listener from the others and reports its error', () => {
    const report = vi.spyOn(console, 'error').mockImplementation(() => {});
    const emitter = createEmitter<{ ping: number }>();
    const good = vi.fn();
    emitter.on('ping', () => {
      throw new Error('boom');
    });
    const off = emitter.on('ping', good);
    emitter.emit('ping', 1);
    expect(good).toHaveBeenCalledWith(1);
    expect(report).toHaveBeenCalledWith(expect.objectContaining({ message: 'boom' }));
    report.mockRestore();
    off();
    emitter.emit('ping', 2);
    expect(good).toHaveBeenCalledTimes(1);
  });
});

describe('locks', () => {
  it('serialise holders of one name', async () => {
    const lock = createMemoryLock();
    const order: string[] = [];
    const hold = (id: string) =>
      lock('x', 1_000, async () => {
        order.push(`${id}:in`);
        await settle();
        order.push(`${id}:out`);
      });
    await Promise.all([hold('a'), hold('b')]);
    expect(order).toEqual(['a:in', 'a:out', 'b:in', 'b:out']);
  });

  it('run the function without the lock once the acquire timeout passes, and say so', async () => {
    const lock = createMemoryLock();
    let release = () => {};
    const stuck = lock('x', 1_000, () => new Promise<void>((resolve) => (release = resolve)));
    await expect(lock('x', 10, (grant) => Promise.resolve(grant))).resolves.toEqual({
      waited: true,
      held: false,
    });
    release();
    await stuck;
  });

  it('keep the lock with its holder after a waiter timed out: the next caller still waits', async () => {
    const clock = fakeRuntime();
    const lock = createMemoryLock(clock.runtime);
    let release = () => {};
    const grants: LockGrant[] = [];
    const stuck = lock('x', 1_000, () => new Promise<void>((resolve) => (release = resolve)));
    const gaveUp = lock('x', 10, (grant) => Promise.resolve(void grants.push(grant)));
    await clock.advance(10);
    await gaveUp;
    const later = lock('x', 1_000, (grant) => Promise.resolve(void grants.push(grant)));
    await clock.advance(500);
    expect(grants).toEqual([{ waited: true, held: false }]);
    release();
    await Promise.all([stuck, later]);
    expect(grants).toEqual([
      { waited: true, held: false },
      { waited: true, held: true },
    ]);
  });

  it('time out on the timers they are given', async () => {
    const clock = fakeRuntime();
    const lock = createMemoryLock(clock.runtime);
    let release = () => {};
    const stuck = lock('x', 1_000, () => new Promise<void>((resolve) => (release = resolve)));
    let grant: LockGrant | undefined;
    const waiting = lock('x', 100, (given) => Promise.resolve(void (grant = given)));
    await clock.advance(99);
    expect(grant).toBeUndefined();
    await clock.advance(1);
    await waiting;
    expect(grant).toEqual({ waited: true, held: false });
    release();
    await stuck;
  });

  it('make a third caller wait for the second holder', async () => {
    const lock = createMemoryLock();
    const order: string[] = [];
    const releases: Array<() => void> = [];
    const hold = (id: string) =>
      lock('x', 1_000, async () => {
        order.push(`${id}:in`);
        await new Promise<void>((resolve) => releases.push(resolve));
        order.push(`${id}:out`);
      });
    const a = hold('a');
    const b = hold('b');
    await new Promise((resolve) => setImmediate(resolve));
    releases.shift()!();
    await a;
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['a:in', 'a:out', 'b:in']);
    const c = hold('c');
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['a:in', 'a:out', 'b:in']);
    releases.shift()!();
    await b;
    await new Promise((resolve) => setImmediate(resolve));
    releases.shift()!();
    await c;
    expect(order).toEqual(['a:in', 'a:out', 'b:in', 'b:out', 'c:in', 'c:out']);
  });

  it('tell the function whether it waited for another holder', async () => {
    const lock = createMemoryLock();
    let release = () => {};
    const grants: boolean[] = [];
    const first = lock('x', 1_000, async ({ waited }) => {
      grants.push(waited);
      await new Promise<void>((resolve) => (release = resolve));
    });
    const second = lock('x', 1_000, ({ waited }) => Promise.resolve(void grants.push(waited)));
    await Promise.resolve();
    release();
    await Promise.all([first, second]);
    await lock('x', 1_000, ({ waited }) => Promise.resolve(void grants.push(waited)));
    expect(grants).toEqual([false, true, false]);
  });
});

/**
 * The part of the Web Locks API that `createWebLock` uses, with the same rules: one holder per
 * name, `ifAvailable` answers `null` at once when the lock is held, `signal` abandons the wait.
 */
function fakeLockManager() {
  const tails = new Map<string, Promise<void>>();
  const held = new Set<string>();
  const request = vi.fn(
    async (
      name: string,
      options: { ifAvailable?: boolean; signal?: AbortSignal },
      fn: (lock: object | null) => Promise<unknown>,
    ) => {
      if (options.ifAvailable && held.has(name)) return fn(null);
      const previous = tails.get(name) ?? Promise.resolve();
      let release = () => {};
      tails.set(
        name,
        previous.then(() => new Promise<void>((resolve) => (release = resolve))),
      );
      const { signal } = options;
      try {
        await (signal
          ? Promise.race([
              previous,
              new Promise((_, reject) =>
                signal.addEventListener('abort', () => reject(signal.reason as Error)),
              ),
            ])
          : previous);
      } catch (error) {
        release();
        throw error;
      }
      held.add(name);
      try {
        return await fn({ name });
      } finally {
        held.delete(name);
        release();
      }
    },
  );
  return { request };
}

describe('createWebLock', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('takes a free lock at once, and says it did not wait', async () => {
    const locks = fakeLockManager();
    vi.stubGlobal('navigator', { locks });
    await expect(
      createWebLock()('x', 1_000, ({ waited }) => Promise.resolve(waited)),
    ).resolves.toBe(false);
    expect(locks.request).toHaveBeenCalledTimes(1);
    expect(locks.request).toHaveBeenCalledWith('x', { ifAvailable: true }, expect.any(Function));
  });

  it('waits for a busy lock, and says so', async () => {
    vi.stubGlobal('navigator', { locks: fakeLockManager() });
    const lock = createWebLock();
    const order: string[] = [];
    let release = () => {};
    const first = lock('x', 1_000, async () => {
      order.push('a:in');
      await new Promise<void>((resolve) => (release = resolve));
      order.push('a:out');
    });
    await Promise.resolve();
    const second = lock('x', 1_000, ({ waited }) =>
      Promise.resolve(void order.push(`b:in waited=${waited}`)),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['a:in']);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['a:in', 'a:out', 'b:in waited=true']);
  });

  it('runs without the lock once the acquire timeout passes', async () => {
    vi.stubGlobal('navigator', { locks: fakeLockManager() });
    const lock = createWebLock();
    let release = () => {};
    const stuck = lock('x', 1_000, () => new Promise<void>((resolve) => (release = resolve)));
    await Promise.resolve();
    await expect(lock('x', 10, (grant) => Promise.resolve(grant))).resolves.toEqual({
      waited: true,
      held: false,
    });
    release();
    await stuck;
  });

  it('passes on an error thrown by the function it ran', async () => {
    vi.stubGlobal('navigator', { locks: fakeLockManager() });
    await expect(
      createWebLock()('x', 1_000, () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
  });

  it('passes on an error thrown after waiting, running the function once', async () => {
    vi.stubGlobal('navigator', { locks: fakeLockManager() });
    const lock = createWebLock();
    let release = () => {};
    const first = lock('x', 1_000, () => new Promise<void>((resolve) => (release = resolve)));
    await Promise.resolve();
    let runs = 0;
    const second = lock('x', 1_000, () => {
      runs++;
      return Promise.reject(new Error('boom'));
    });
    release();
    await first;
    await expect(second).rejects.toThrow('boom');
    expect(runs).toBe(1);
  });

  it('falls back where navigator.locks is missing', async () => {
    const memory = createMemoryLock();
    let calls = 0;
    const fallback: LockFunc = (name, timeout, fn) => (calls++, memory(name, timeout, fn));
    await expect(
      createWebLock(fallback)('x', 100, () => Promise.resolve('fallback')),
    ).resolves.toBe('fallback');
    expect(calls).toBe(1);
  });
});

describe('BroadcastChannel', () => {
  it('carries messages between channels of one name, never back to the sender, and settles', async () => {
    const name = `tokenlane-test-${Math.random()}`;
    const a = createBroadcastChannel(name)!;
    const b = createBroadcastChannel(name)!;
    const [onA, onB] = [vi.fn(), vi.fn()];
    a.subscribe(onA);
    const stop = b.subscribe(onB);
    a.post({ type: 'logout', seq: 1, reason: 'user' });
    await vi.waitFor(() =>
      expect(onB).toHaveBeenCalledWith({ type: 'logout', seq: 1, reason: 'user' }),
    );
    await a.settle!();
    expect(onA).not.toHaveBeenCalled();
    stop();
    a.post({ type: 'logout', seq: 1, reason: 'user' });
    await b.settle!();
    expect(onB).toHaveBeenCalledTimes(1);
    a.close();
    b.close();
  });
});

describe('createBroadcastChannel', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('drops a message posted after close (a refresh landing after dispose) instead of throwing', async () => {
    const name = `tokenlane-test-${Math.random()}`;
    const a = createBroadcastChannel(name)!;
    const b = createBroadcastChannel(name)!;
    const onB = vi.fn();
    b.subscribe(onB);
    a.close();
    expect(() => a.post({ type: 'logout', seq: 1, reason: 'user' })).not.toThrow();
    const c = createBroadcastChannel(name)!;
    c.post({ type: 'logout', seq: 2, reason: 'user' });
    await b.settle!();
    expect(onB.mock.calls).toEqual([[{ type: 'logout', seq: 2, reason: 'user' }]]);
    b.close();
    c.close();
  });

  it('takes a null message and one that arrives after close without throwing', async () => {
    const name = `tokenlane-test-${Math.random()}`;
    const errors: unknown[] = [];
    const onError = (error: unknown) => void errors.push(error);
    process.on('uncaughtException', onError);
    const a = createBroadcastChannel(name)!;
    const closed = createBroadcastChannel(name)!;
    const onA = vi.fn();
    a.subscribe(onA);
    closed.close();
    const raw = new BroadcastChannel(name);
    raw.postMessage(null);
    raw.postMessage({ type: 'logout', seq: 3, reason: 'user' });
    // Delivered by Node's message port, not by timers: allow a loaded machine its time.
    await vi.waitFor(() => expect(onA).toHaveBeenCalledTimes(2), { timeout: 15_000 });
    await a.settle!();
    process.off('uncaughtException', onError);
    expect(onA.mock.calls).toEqual([[null], [{ type: 'logout', seq: 3, reason: 'user' }]]);
    expect(errors).toEqual([]);
    raw.close();
    a.close();
  });

  it('settles by a probe through the channel, with timers paused: what another tab posted before is in, and no tab hears the probe', async () => {
    vi.useFakeTimers();
    const name = `tokenlane-test-${Math.random()}`;
    const a = createBroadcastChannel(name)!;
    const b = createBroadcastChannel(name)!;
    const [onA, onB] = [vi.fn(), vi.fn()];
    a.subscribe(onA);
    b.subscribe(onB);
    b.post({ type: 'logout', seq: 1, reason: 'user' });
    await a.settle!();
    expect(onA.mock.calls).toEqual([[{ type: 'logout', seq: 1, reason: 'user' }]]);
    await b.settle!();
    expect(onB).not.toHaveBeenCalled();
    // Closing lets a pending settle go (its probe will never come back), and a later one at once.
    const pending = a.settle!();
    a.close();
    await pending;
    await a.settle!();
    b.close();
  });

  it('is undefined where BroadcastChannel is missing', () => {
    vi.stubGlobal('BroadcastChannel', undefined);
    expect(createBroadcastChannel('x')).toBeUndefined();
  });

  it('stops receiving once closed, and settles asynchronously', async () => {
    const name = `tokenlane-test-${Math.random()}`;
    const a = createBroadcastChannel(name)!;
    const b = createBroadcastChannel(name)!;
    const onB = vi.fn();
    b.subscribe(onB);
    b.close();
    a.post({ type: 'logout', seq: 1, reason: 'user' });
    const settled = a.settle!();
    expect(settled).toBeInstanceOf(Promise);
    await settled;
    await b.settle!();
    expect(onB).not.toHaveBeenCalled();
    a.close();
  });
});

describe('memory channel', () => {
  it('stops delivering to a listener once it unsubscribed', async () => {
    const hub = createMemoryChannelHub();
    const [a, b] = [hub.connect(), hub.connect()];
    const onB = vi.fn();
    b.subscribe(onB)();
    a.post({ type: 'logout', seq: 1, reason: 'user' });
    await Promise.resolve();
    expect(onB).not.toHaveBeenCalled();
  });

  it('delivers to the other members only, asynchronously, as copies', async () => {
    const hub = createMemoryChannelHub();
    const [a, b, c] = [hub.connect(), hub.connect(), hub.connect()];
    const [onA, onB, onC] = [vi.fn(), vi.fn(), vi.fn()];
    a.subscribe(onA);
    b.subscribe(onB);
    c.subscribe(onC);
    c.close();
    const message = { type: 'logout', seq: 1, reason: 'user' } as const;
    a.post(message);
    expect(onB).not.toHaveBeenCalled();
    await Promise.resolve();
    expect(onB).toHaveBeenCalledWith(message);
    expect(onB.mock.calls[0]?.[0]).not.toBe(message);
    expect(onA).not.toHaveBeenCalled();
    expect(onC).not.toHaveBeenCalled();
  });
});
