import type { Runtime, Session } from '@tokenlane/react-auth/client';

const frozenAt = Date.now();
/**
 * A tab whose clock and timers are frozen, as on a sleeping laptop: it never renews by itself,
 * so its token expires unnoticed and the next burst meets the expiry.
 */
export const frozenTab: Partial<Runtime> = {
  now: () => frozenAt,
  setTimeout: () => 0,
  clearTimeout: () => {},
};

/** A token the tabs held: when it first arrived (this machine's clock) and when it expires. */
interface SeenToken {
  at: number;
  expiresAt: number;
}

/** Slack for the instant a state listener runs after the session computed the token's lifetime. */
const LISTENER_SLACK_MS = 20;

/**
 * Watches the tabs of one browser and records every token they hold. `early()` lists renewals
 * that arrived before the token they replaced was due: a session renews at most a fifth of a
 * lifetime plus half that in jitter before the end, so never before 70 % of the lifetime it
 * counted on arrival. A tab renewing a token another tab had just renewed breaks it; a slow server
 * does not (it shortens lifetimes, and the due times with them), so no wall-clock bound is needed.
 * Counts only proactive renewals: assert zero 401s beside it.
 */
export function watchRenewals(...tabs: Array<Pick<Session, 'getState' | 'subscribe'>>): {
  /** Tokens held since the watch began (the one held then included). */
  tokens: () => number;
  early: () => Array<{ after: number; dueAfter: number }>;
} {
  const seen: SeenToken[] = [];
  const record = (tab: Pick<Session, 'getState'>) => {
    const { expiresAt } = tab.getState();
    if (expiresAt === null || seen.some((token) => token.expiresAt === expiresAt)) return;
    seen.push({ at: Date.now(), expiresAt });
  };
  for (const tab of tabs) {
    record(tab);
    tab.subscribe(() => record(tab));
  }
  return {
    tokens: () => seen.length,
    early: () =>
      seen.slice(1).flatMap((next, i) => {
        const previous = seen[i]!;
        const dueAfter = Math.round(0.7 * (previous.expiresAt - previous.at));
        const after = next.at - previous.at;
        return after + LISTENER_SLACK_MS < dueAfter ? [{ after, dueAfter }] : [];
      }),
  };
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
