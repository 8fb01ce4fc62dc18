import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryLock, createWebLock, type LockFunc, type LockGrant } from '../lock.js';
import { fakeRuntime, settle } from '@tokenlane/test-kit/fakes';

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
