/**
 * Runs `fn` holding the lock `name`. If the lock is not acquired within `acquireTimeoutMs`,
 * `fn` runs without it: a late duplicate refresh is harmless thanks to the server's grace window,
 * while a stuck tab must never freeze the others.
 */
export type LockFunc = <R>(
  name: string,
  acquireTimeoutMs: number,
  fn: () => Promise<R>,
) => Promise<R>;

/** A lock shared by everything in this JavaScript realm (one tab, one Node process, a test). */
export function createMemoryLock(): LockFunc {
  const tails = new Map<string, Promise<void>>();
  return async (name, acquireTimeoutMs, fn) => {
    const previous = tails.get(name) ?? Promise.resolve();
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => held);
    tails.set(name, tail);
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        previous,
        new Promise<void>((resolve) => (timer = setTimeout(resolve, acquireTimeoutMs))),
      ]);
      return await fn();
    } finally {
      clearTimeout(timer);
      release();
      if (tails.get(name) === tail) tails.delete(name);
    }
  };
}

interface LockManagerLike {
  request<R>(name: string, options: { signal: AbortSignal }, fn: () => Promise<R>): Promise<R>;
}

/**
 * The Web Locks API (one holder across every tab of the origin), with an acquire timeout.
 * Falls back to `fallback` where `navigator.locks` is missing (older browsers, Node).
 */
export function createWebLock(fallback: LockFunc = createMemoryLock()): LockFunc {
  return async (name, acquireTimeoutMs, fn) => {
    const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
    if (!locks) return fallback(name, acquireTimeoutMs, fn);
    let acquired = false;
    try {
      return await locks.request(name, { signal: AbortSignal.timeout(acquireTimeoutMs) }, () => {
        acquired = true;
        return fn();
      });
    } catch (error) {
      if (acquired) throw error;
      return fn();
    }
  };
}
