/**
 * The most refreshes one session (any number of tabs) may make in `durationMs` of steady use with
 * `ttlS`-second tokens: the session counts on a lifetime a second (or a quarter) short, renews at
 * least 20 % plus jitter before its end, so at worst every 0.7 of that. Two tabs that did not
 * share their refreshes would make about twice as many.
 */
export function maxRefreshes(ttlS: number, durationMs: number): number {
  const counted = ttlS * 1000 - Math.min(1000, ttlS * 250);
  return Math.ceil(durationMs / (counted * 0.7));
}

/**
 * Steady use: `step` every 100 ms for three lifetimes of `ttlS`-second tokens, each awaited
 * before the next. Resolves with how many steps ran.
 */
export async function useSteadily(ttlS: number, step: () => Promise<unknown>): Promise<number> {
  const started = Date.now();
  let steps = 0;
  while (Date.now() - started < 3 * ttlS * 1000) {
    await step();
    steps++;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return steps;
}
