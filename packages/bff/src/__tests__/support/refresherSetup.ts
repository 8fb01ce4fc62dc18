import { randomBytes } from 'node:crypto';
import { Refresher, type RefreshTimes } from '../../refresh.js';
import { sealingKeys } from '../../sealing.js';
import { Sessions, type OpenSession } from '../../sessions.js';
import { sqliteStore } from '../../store/sqlite.js';
import { testClock } from '../../store/__tests__/storeContract.js';
import type { SessionStore } from '../../store/types.js';
import type { Upstream, UpstreamGrant } from '../../upstream/types.js';

// A refresh that stalls on its way (a paused process, a slow network) and the upstream's answers
// on demand: what no real provider produces when a test asks. The store is real (SQLite).

export const grant = (accessToken: string): UpstreamGrant => ({
  tokens: { accessToken, expiresIn: 60, refreshToken: `rt-${accessToken}` },
});

export function scriptedUpstream() {
  const calls: Array<{ resolve: (grant: UpstreamGrant) => void; reject: (error: Error) => void }> =
    [];
  const upstream: Upstream = {
    login: 'password',
    refresh: () => new Promise((resolve, reject) => calls.push({ resolve, reject })),
    revoke: () => Promise.resolve(),
    authorization: (tokens) => Promise.resolve({ Authorization: `Bearer ${tokens.accessToken}` }),
  };
  return { upstream, calls };
}

/**
 * A real store whose calls fail on demand, as a store that went down does: every call (`'*'`)
 * or the methods named. What a test cannot ask of a real Redis at an exact moment.
 */
export function failingStore(store: SessionStore) {
  const down = new Set<string>();
  const failing = new Proxy(store, {
    get(target, name: keyof SessionStore) {
      const value: unknown = Reflect.get(target, name);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        down.has('*') || down.has(name)
          ? Promise.reject(new Error('store down'))
          : (value as (...a: unknown[]) => unknown).apply(target, args);
    },
  });
  return {
    store: failing,
    fail: (...names: Array<keyof SessionStore | '*'>) => names.forEach((n) => down.add(n)),
    heal: () => down.clear(),
  };
}

/** Refresh times for tests on `clock`: a sleep moves the clock, then gives other calls a turn. */
export function testTimes(
  clock: ReturnType<typeof testClock>,
  overrides: Partial<RefreshTimes> = {},
): RefreshTimes {
  return {
    leewayMs: 5_000,
    lockMs: 10_000,
    waitMs: 20_000,
    pollMs: 25,
    markMs: 600_000,
    deadMs: 3_000,
    beatMs: 250,
    aliveMs: 1_500,
    now: clock.now,
    sleep: async (ms) => {
      clock.advance(ms);
      await new Promise((resolve) => setImmediate(resolve));
    },
    ...overrides,
  };
}

export async function setUp(overrides: Partial<RefreshTimes> = {}) {
  const clock = testClock();
  const outage = failingStore(sqliteStore({ path: ':memory:', now: clock.now }));
  const { store } = outage;
  const sessions = new Sessions(store, sealingKeys(randomBytes(32).toString('base64url')), {
    idleMs: 3_600_000,
    absoluteMs: 86_400_000,
    now: clock.now,
  });
  const { upstream, calls } = scriptedUpstream();
  const outcomes: string[] = [];
  const times = testTimes(clock, overrides);
  // Two instances: two refreshers (each its own in-process flights), one store.
  const instance = () =>
    new Refresher(sessions, upstream, times, ({ outcome }) => outcomes.push(outcome));
  const { session } = await sessions.create({
    ...grant('first'),
    user: { claims: { sub: 'ada' }, subject: 'ada' },
  });
  clock.advance(60_000);
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { clock, sessions, store, outage, calls, outcomes, instance, session, settle };
}

export const tokenOf = (session: OpenSession) => session.tokens.accessToken;
