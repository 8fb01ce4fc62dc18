import type { Runtime } from './runtime.js';

/** Tries something again later: after each delay in turn (the last repeats), and at once on wake. */
export interface RetryTimer {
  /** Schedules the next try. */
  arm(): void;
  /** Cancels the pending try; `reset` also forgets the attempts made and stops listening for wake. */
  disarm(reset: boolean): void;
  /** Disarms for good: a later `arm()` (a try that failed meanwhile) schedules nothing. */
  dispose(): void;
}

export function createRetryTimer(
  runtime: Runtime,
  delays: readonly number[],
  attempt: () => void,
): RetryTimer {
  let attempts = 0;
  let timer: unknown;
  let stopWake: (() => void) | undefined;
  let disposed = false;
  const disarm = (reset: boolean) => {
    if (timer !== undefined) runtime.clearTimeout(timer);
    timer = undefined;
    if (!reset) return;
    attempts = 0;
    stopWake?.();
    stopWake = undefined;
  };
  const fire = () => {
    disarm(false);
    attempt();
  };
  return {
    arm() {
      if (disposed) return;
      disarm(false);
      timer = runtime.setTimeout(fire, delays[Math.min(attempts++, delays.length - 1)]!);
      stopWake ??= runtime.onWake(fire);
    },
    disarm,
    dispose() {
      disposed = true;
      disarm(true);
    },
  };
}
