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
  /**
   * Calls `listener` when the page may have slept: tab visible again, back online, focused,
   * resumed after a freeze, or shown again from the back/forward cache.
   */
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
      // Back from the back/forward cache: the page was stopped, its timers too.
      const onPageShow = (event: PageTransitionEvent) => event.persisted && listener();
      // A frozen page runs again (Page Lifecycle: `resume`), the network is back, the user returns.
      const signals: Array<[EventTarget, string, (event: never) => unknown]> = [
        [document, 'visibilitychange', onVisibility],
        [document, 'resume', listener],
        [window, 'pageshow', onPageShow],
        [window, 'online', listener],
        [window, 'focus', listener],
      ];
      const each = (method: 'addEventListener' | 'removeEventListener') =>
        signals.forEach(([target, type, handler]) => target[method](type, handler as () => void));
      each('addEventListener');
      return () => each('removeEventListener');
    },
  };
}
