import type { Runtime } from './runtime.js';

/** At most this share of a token's lifetime is used as leeway, so short tokens are not refreshed in a loop. */
export const MAX_LEEWAY_SHARE = 0.2;
/** Upper bound of the random spread added to the leeway, so tabs and clients do not refresh in lockstep. */
export const MAX_JITTER_MS = 5_000;
/** Browsers cap timers at 2^31 - 1 ms; longer waits are re-armed on the wall clock. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * When to refresh proactively: `leewayMs` before expiry (at most a fifth of the lifetime), minus
 * a random jitter of up to half the leeway (at most `MAX_JITTER_MS`).
 */
export function refreshDueAt(
  expiresAt: number,
  lifetimeMs: number,
  leewayMs: number,
  random: number,
): number {
  const leeway = Math.min(leewayMs, lifetimeMs * MAX_LEEWAY_SHARE);
  return expiresAt - leeway - random * Math.min(leeway / 2, MAX_JITTER_MS);
}

/** Calls `onDue` once the wall clock passes the due time, even if the device slept meanwhile. */
export interface RefreshScheduler {
  /** Arms for `dueAt` (epoch ms); `null` disarms. */
  schedule(dueAt: number | null): void;
  /** Whether the due time has passed (and a refresh should come before the next request). */
  isDue(): boolean;
  dispose(): void;
}

export function createRefreshScheduler(runtime: Runtime, onDue: () => void): RefreshScheduler {
  let dueAt: number | null = null;
  let timer: unknown;
  let unsubscribeWake: (() => void) | undefined;
  /** A refresh that lands after `dispose()` holds its token, but arms nothing: disposal is final. */
  let disposed = false;

  const disarm = () => {
    if (timer !== undefined) runtime.clearTimeout(timer);
    timer = undefined;
  };
  // Timers stall while a laptop sleeps or a background tab is throttled: always compare to the
  // wall clock, and re-check whenever the page wakes up.
  const check = () => {
    disarm();
    if (dueAt === null) return;
    const wait = dueAt - runtime.now();
    if (wait <= 0) {
      dueAt = null;
      onDue();
    } else {
      timer = runtime.setTimeout(check, Math.min(wait, MAX_TIMER_MS));
    }
  };

  return {
    schedule(next) {
      if (disposed) return;
      dueAt = next;
      if (next !== null) unsubscribeWake ??= runtime.onWake(check);
      check();
    },
    isDue: () => dueAt !== null && runtime.now() >= dueAt,
    dispose() {
      disposed = true;
      dueAt = null;
      disarm();
      unsubscribeWake?.();
      unsubscribeWake = undefined;
    },
  };
}
