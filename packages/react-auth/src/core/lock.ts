/** What a lock tells the function it runs. */
export interface LockGrant {
  /**
   * Another holder had the lock when this caller asked for it, so this caller waited (or gave up
   * waiting at the acquire timeout). A fact reported by the lock, never inferred from the clock.
   */
  waited: boolean;
}

/**
 * Runs `fn` holding the lock `name`. If the lock is not acquired within `acquireTimeoutMs`,
 * `fn` runs without it: a late duplicate refresh is harmless thanks to the server's grace window,
 * while a stuck tab must never freeze the others.
 */
export type LockFunc = <R>(
  name: string,
  acquireTimeoutMs: number,
  fn: (grant: LockGrant) => Promise<R>,
) => Promise<R>;

/** A lock shared by everything in this JavaScript realm (one tab, one Node process, a test). */
export function createMemoryLock(): LockFunc {
  const tails = new Map<string, Promise<void>>();
  return async (name, acquireTimeoutMs, fn) => {
    const previous = tails.get(name);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const tail = (previous ?? Promise.resolve()).then(() => held);
    tails.set(name, tail);
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      if (previous) {
        await Promise.race([
          previous,
          new Promise<void>((resolve) => (timer = setTimeout(resolve, acquireTimeoutMs))),
        ]);
      }
      return await fn({ waited: previous !== undefined });
    } finally {
      clearTimeout(timer);
      release();
      if (tails.get(name) === tail) tails.delete(name);
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
      lock ? fn({ waited: false }) : Promise.resolve(BUSY),
    );
    if (free !== BUSY) return free;
    let acquired = false;
    try {
      return await locks.request(name, { signal: AbortSignal.timeout(acquireTimeoutMs) }, () => {
        acquired = true;
        return fn({ waited: true });
      });
    } catch (error) {
      if (acquired) throw error;
      return fn({ waited: true });
    }
  };
}
