import type { Runtime } from './runtime.js';

/** What a lock tells the function it runs. */
export interface LockGrant {
  /**
   * Another holder had the lock when this caller asked for it, so this caller waited (or gave up
   * waiting at the acquire timeout). A fact reported by the lock, never inferred from the clock.
   */
  waited: boolean;
  /**
   * `false` when the acquire timeout passed with another holder still inside: `fn` runs without
   * the lock, and must do nothing that only a holder may do (the session then presents no refresh
   * token: the holder may be rotating it). `undefined` counts as held, for locks written before.
   */
  held?: boolean;
}

/**
 * Runs `fn` holding the lock `name`. If the lock is not acquired within `acquireTimeoutMs`, `fn`
 * runs at once with `{ held: false }` (a stuck tab must never freeze the others, and must never
 * be raced either): the caller decides what is safe without it.
 */
export type LockFunc = <R>(
  name: string,
  acquireTimeoutMs: number,
  fn: (grant: LockGrant) => Promise<R>,
) => Promise<R>;

/** The timers a lock's acquire timeout runs on. */
export type LockTimers = Pick<Runtime, 'setTimeout' | 'clearTimeout'>;

/**
 * A lock shared by everything in this JavaScript realm (one tab, one Node process, a test).
 * A waiter that times out leaves the queue; the holder keeps the lock until it finishes.
 * `timers` runs the acquire timeout (a test's own clock). @default the global timers
 */
export function createMemoryLock(timers: LockTimers = globalThis): LockFunc {
  /** Per name held: whoever waits, in order. */
  const queues = new Map<string, Array<() => void>>();
  return async (name, acquireTimeoutMs, fn) => {
    const queue = queues.get(name);
    const granted =
      !queue ||
      (await new Promise<boolean>((resolve) => {
        const grant = () => {
          timers.clearTimeout(timer);
          resolve(true);
        };
        const timer = timers.setTimeout(() => {
          queue.splice(queue.indexOf(grant), 1);
          resolve(false);
        }, acquireTimeoutMs);
        queue.push(grant);
      }));
    if (!granted) return fn({ waited: true, held: false });
    if (!queue) queues.set(name, []);
    try {
      return await fn({ waited: !!queue, held: true });
    } finally {
      const next = queues.get(name)?.shift();
      if (next) next();
      else queues.delete(name);
    }
  };
}

/** The part of the Web Locks API that Tokenlane uses. */
interface LockManagerLike {
  request<R>(
    name: string,
    options: { ifAvailable: true },
    fn: (lock: object | null) => Promise<R>,
  ): Promise<R>;
  request<R>(name: string, options: { signal: AbortSignal }, fn: () => Promise<R>): Promise<R>;
}

/** Marks "the lock was busy" apart from anything `fn` may return. */
const BUSY = Symbol('busy');

/**
 * The Web Locks API (one holder across every tab of the origin), with an acquire timeout.
 * It first asks with `ifAvailable`, so it knows whether another tab held the lock.
 * Falls back to `fallback` where `navigator.locks` is missing (older browsers, Node).
 */
export function createWebLock(fallback: LockFunc = createMemoryLock()): LockFunc {
  return async <R>(
    name: string,
    acquireTimeoutMs: number,
    fn: (grant: LockGrant) => Promise<R>,
  ) => {
    const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
    if (!locks) return fallback(name, acquireTimeoutMs, fn);
    const free = await locks.request<R | typeof BUSY>(name, { ifAvailable: true }, (lock) =>
      lock ? fn({ waited: false, held: true }) : Promise.resolve(BUSY),
    );
    if (free !== BUSY) return free;
    let acquired = false;
    try {
      return await locks.request(name, { signal: AbortSignal.timeout(acquireTimeoutMs) }, () => {
        acquired = true;
        return fn({ waited: true, held: true });
      });
    } catch (error) {
      if (acquired) throw error;
      return fn({ waited: true, held: false });
    }
  };
}
