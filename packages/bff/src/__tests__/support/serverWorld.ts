import { randomBytes } from 'node:crypto';
import type { BffContext } from '../../context.js';
import { SESSION_COOKIE } from '../../cookies.js';
import { BffError } from '../../errors.js';
import { Refresher } from '../../refresh.js';
import { sealingKeys } from '../../sealing.js';
import { serverSessions } from '../../serverSession.js';
import { Sessions } from '../../sessions.js';
import { sqliteStore } from '../../store/sqlite.js';
import { testClock } from '../../store/__tests__/storeContract.js';
import type { SessionStore } from '../../store/types.js';
import type { Upstream, UpstreamGrant } from '../../upstream/types.js';
import { testTimes } from './refresherSetup.js';

// The server side of the session simulator: a modelled provider that rotates refresh tokens with
// no reuse grace (a superseded token is reuse; only the one whose answer was lost may come back,
// as a provider that recovers lost answers allows), its answers delayed or lost on demand, and
// BFF instances (real refreshers, real server sessions, one real SQLite store) on one clock.

export const TTL_MS = 60_000;
export const LEEWAY_MS = 10_000;

/** What happens to the provider's next answer: delivered after `hops` turns, or lost. */
export interface Fate {
  hops: number;
  lost: boolean;
}

/** A provider with rotation and no reuse grace; counts what the properties check. */
export function modelProvider(now: () => number) {
  let generation = 0;
  const issuedAt = new Map<number, number>([[0, now()]]);
  let recoverable: { generation: number; grant: UpstreamGrant } | undefined;
  const fates: Fate[] = [];
  const counts = { rotations: 0, unneeded: 0, reuse: 0, recoveries: 0, lost: 0 };
  const grantOf = (gen: number): UpstreamGrant => ({
    tokens: { accessToken: `at-${gen}`, refreshToken: `rt-${gen}`, expiresIn: TTL_MS / 1000 },
  });
  const upstream: Upstream = {
    login: 'password',
    async refresh(tokens) {
      const presented = Number(tokens.refreshToken?.slice(3));
      const fate = fates.shift() ?? { hops: 0, lost: false };
      let grant: UpstreamGrant;
      if (presented === generation) {
        // A rotation: needed only within the leeway of the presented token's expiry.
        if (now() < issuedAt.get(presented)! + TTL_MS - LEEWAY_MS) counts.unneeded++;
        counts.rotations++;
        generation++;
        issuedAt.set(generation, now());
        grant = grantOf(generation);
        recoverable = undefined;
      } else if (recoverable && presented === recoverable.generation) {
        // The lost answer again (its access token issued anew), not a second rotation.
        counts.recoveries++;
        grant = recoverable.grant;
        issuedAt.set(generation, now());
      } else {
        counts.reuse++;
        throw new BffError('upstream_refused', 'A superseded refresh token (reuse)');
      }
      await turns(fate.hops);
      if (fate.lost) {
        counts.lost++;
        recoverable = { generation: presented, grant };
        throw new BffError('upstream_unavailable', 'The answer was lost on its way back');
      }
      recoverable = undefined;
      return grant;
    },
    revoke: () => Promise.resolve(),
    authorization: (tokens) => Promise.resolve({ Authorization: `Bearer ${tokens.accessToken}` }),
  };
  /** When access token `at-N` expires. */
  const expiresAt = (accessToken: string) => issuedAt.get(Number(accessToken.slice(3)))! + TTL_MS;
  return { upstream, fates, counts, expiresAt, grantOf };
}

/**
 * A real store whose calls each take some turns of the event loop first, in the order `delays`
 * gives (cycled): other instances' calls come between a read and the lock that follows it.
 */
function slowStore(store: SessionStore, delays: number[]): SessionStore {
  let call = 0;
  return new Proxy(store, {
    get(target, name: keyof SessionStore) {
      const value: unknown = Reflect.get(target, name);
      if (typeof value !== 'function' || delays.length === 0) return value;
      return async (...args: unknown[]) => {
        await turns(delays[call++ % delays.length]!);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** `n` turns of the event loop: what the other calls under way may do meanwhile. */
export async function turns(n: number): Promise<void> {
  for (let turn = 0; turn < n; turn++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Three BFF instances on one store and one clock, and a signed-in session; the store's calls
 * delayed by `storeDelays` turns each (see `slowStore`).
 */
export async function serverWorld(instances = 3, storeDelays: number[] = []) {
  const clock = testClock();
  const store = slowStore(sqliteStore({ path: ':memory:', now: clock.now }), storeDelays);
  const sessions = new Sessions(store, sealingKeys(randomBytes(32).toString('base64url')), {
    idleMs: 3_600_000,
    absoluteMs: 86_400_000,
    now: clock.now,
  });
  const provider = modelProvider(clock.now);
  const times = testTimes(clock, { leewayMs: LEEWAY_MS });
  const bffs = Array.from({ length: instances }, () => {
    const refresher = new Refresher(sessions, provider.upstream, times);
    const ctx = { upstream: provider.upstream, sessions, refresher, now: clock.now };
    return { refresher, getSession: serverSessions(ctx as unknown as BffContext) };
  });
  const { sessionId } = await sessions.create({
    ...provider.grantOf(0),
    user: { claims: { sub: 'ada' }, subject: 'ada' },
  });
  const headers = () => new Headers({ cookie: `${SESSION_COOKIE}=${sessionId}` });
  const close = () => Promise.all(bffs.map(({ refresher }) => refresher.close()));
  return { clock, sessions, provider, bffs, headers, sessionId, close };
}
