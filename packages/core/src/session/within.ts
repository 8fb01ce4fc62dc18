import type { Runtime } from './runtime.js';

/**
 * Settles as `promise` does, or as `late()` does once `ms` pass, whichever comes first (no timer
 * left behind).
 */
export function within<T>(
  runtime: Runtime,
  promise: Promise<T>,
  ms: number,
  late: () => Promise<T>,
): Promise<T> {
  let timer: unknown;
  const timeout = new Promise<void>((resolve) => (timer = runtime.setTimeout(resolve, ms)));
  return Promise.race([promise, timeout.then(late)]).finally(() => runtime.clearTimeout(timer));
}
