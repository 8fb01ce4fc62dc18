/**
 * The clock, timers, randomness and wake signals the session uses. Injected so tests can drive
 * them; the defaults read browser globals only when called, so importing stays SSR-safe.
 */
export interface Runtime {
  /** Wall-clock time, epoch milliseconds. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** In [0, 1). */
  random(): number;
  /** Calls `listener` when the page may have slept: tab visible again, back online, focused. */
  onWake(listener: () => void): () => void;
}

/** The browser's (or Node's) own primitives. Timers are unref'd in Node so they never hold a process open. */
export function defaultRuntime(): Runtime {
  return {
    now: () => Date.now(),
    setTimeout: (callback, ms) => {
      const handle = setTimeout(callback, ms) as unknown as { unref?: () => void };
      handle.unref?.();
      return handle;
    },
    clearTimeout: (handle) => clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
    random: Math.random,
    onWake(listener) {
      if (typeof window === 'undefined' || typeof document === 'undefined') return () => {};
      const onVisibility = () => document.visibilityState === 'visible' && listener();
      document.addEventListener('visibilitychange', onVisibility);
      window.addEventListener('online', listener);
      window.addEventListener('focus', listener);
      return () => {
        document.removeEventListener('visibilitychange', onVisibility);
        window.removeEventListener('online', listener);
        window.removeEventListener('focus', listener);
      };
    },
  };
}
