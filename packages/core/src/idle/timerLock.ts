import type { LockFunc } from '../session/lock.js';

/** The lock whose holder keeps the one timer of the browser. */
const TIMER_LOCK = 'tokenlane:idle';
/** The longest a lock request waits as it is (2^31 - 1 ms); then it asks again. */
export const MAX_WAIT_MS = 2 ** 31 - 1;

/**
 * Waits for the timer lock as long as it takes and holds it until released: `onHeld` runs once
 * it is this tab's. A wait that runs out asks again; the timer is never kept without the lock.
 * Returns what releases it (or gives up waiting).
 */
export function holdTimerLock(lock: LockFunc, onHeld: () => void): () => void {
  let stopped = false;
  let release = () => {};
  const request = (): void =>
    void lock(TIMER_LOCK, MAX_WAIT_MS, async (grant) => {
      if (stopped) return;
      if (grant.held === false) return request();
      onHeld();
      await new Promise<void>((resolve) => (release = resolve));
    });
  request();
  return () => {
    stopped = true;
    release();
  };
}
