import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BffError } from '../errors.js';
import { Refresher, SessionEnded, type RefreshTimes } from '../refresh.js';
import { sealingKeys } from '../sealing.js';
import { Sessions, type OpenSession } from '../sessions.js';
import { sqliteStore } from '../store/sqlite.js';
import { testClock } from '../store/__tests__/storeContract.js';
import type { Upstream, UpstreamGrant } from '../upstream/types.js';

// A refresh that stalls on its way (a paused process, a slow network) and the upstream's answers
// on demand: what no real provider produces when a test asks. The store is real (SQLite).

const grant = (accessToken: string): UpstreamGrant => ({
  tokens: { accessToken, expiresIn: 60, refreshToken: `rt-${accessToken}` },
});

function scriptedUpstream() {
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

async function setUp(overrides: Partial<RefreshTimes> = {}) {
  const clock = testClock();
  const store = sqliteStore({ path: ':memory:', now: clock.now });
  const sessions = new Sessions(store, sealingKeys(randomBytes(32).toString('base64url')), {
    idleMs: 3_600_000,
    absoluteMs: 86_400_000,
    now: clock.now,
  });
  const { upstream, calls } = scriptedUpstream();
  const outcomes: string[] = [];
  const times: RefreshTimes = {
    leewayMs: 5_000,
    lockMs: 10_000,
    waitMs: 20_000,
    pollMs: 25,
    now: clock.now,
    sleep: async (ms) => {
      clock.advance(ms);
      await new Promise((resolve) => setImmediate(resolve));
    },
    ...overrides,
  };
  // Two instances: two refreshers (each its own in-process flights), one store.
  const instance = () =>
    new Refresher(sessions, upstream, times, ({ outcome }) => outcomes.push(outcome));
  const { session } = await sessions.create({
    ...grant('first'),
    user: { claims: { sub: 'ada' }, subject: 'ada' },
  });
  clock.advance(60_000);
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { clock, sessions, store, calls, outcomes, instance, session, settle };
}

const tokenOf = (session: OpenSession) => session.tokens.accessToken;

describe('Refresher', () => {
  it('shares one upstream refresh among the calls of one instance', async () => {
    const { calls, instance, session, settle } = await setUp();
    const one = instance();
    const all = Promise.all([one.fresh(session), one.fresh(session), one.renew(session)]);
    await settle();
    expect(calls).toHaveLength(1);
    calls[0]!.resolve(grant('second'));
    expect((await all).map(tokenOf)).toEqual(['second', 'second', 'second']);
  });

  it('fences out a holder that stalled past its lock: the newer token set stays', async () => {
    const { clock, calls, outcomes, instance, session, store, sessions, settle } = await setUp();
    const [a, b] = [instance(), instance()];
    const stalled = a.renew(session);
    while (calls.length === 0) await settle();
    // A's lock expires while its call hangs; B takes the lock and rotates.
    clock.advance(10_001);
    const fromB = b.renew(session);
    while (calls.length === 1) await settle();
    calls[1]!.resolve(grant('from-b'));
    expect(tokenOf(await fromB)).toBe('from-b');
    // A's answer comes at last: it must not overwrite B's newer set.
    calls[0]!.resolve(grant('from-a'));
    expect(tokenOf(await stalled)).toBe('from-b');
    const stored = await sessions.opened(session.key, (await store.read(session.key))!);
    expect(tokenOf(stored!)).toBe('from-b');
    expect(stored!.stored.version).toBe(2);
    expect(outcomes).toEqual(['rotated', 'fenced']);
  });

  it('ends the session when the upstream refuses the refresh', async () => {
    const { calls, instance, session, store, settle } = await setUp();
    const renewing = instance().renew(session);
    while (calls.length === 0) await settle();
    calls[0]!.reject(new BffError('upstream_refused', 'invalid_grant'));
    await expect(renewing).rejects.toBeInstanceOf(SessionEnded);
    expect(await store.read(session.key)).toBeUndefined();
  });

  it('keeps the session when the upstream does not answer, and the next call tries again', async () => {
    const { calls, instance, session, store, settle } = await setUp();
    const one = instance();
    const first = one.renew(session);
    while (calls.length === 0) await settle();
    calls[0]!.reject(new BffError('upstream_unavailable', 'timeout'));
    await expect(first).rejects.toMatchObject({ code: 'upstream_unavailable' });
    expect((await store.read(session.key))?.version).toBe(1);
    const second = one.renew(session);
    while (calls.length === 1) await settle();
    calls[1]!.resolve(grant('second'));
    expect(tokenOf(await second)).toBe('second');
  });

  it('lets a waiting instance give up (503) when the holder never finishes, without ending the session', async () => {
    // The wait ends before the holder's lock would expire.
    const { calls, instance, session, store, settle } = await setUp({ waitMs: 5_000 });
    void instance()
      .renew(session)
      .catch(() => {});
    while (calls.length === 0) await settle();
    // B polls the store while A holds the lock; past its wait it answers unavailable.
    const waiting = instance().renew(session);
    await expect(waiting).rejects.toMatchObject({ code: 'upstream_unavailable' });
    expect(calls).toHaveLength(1);
    expect((await store.read(session.key))?.version).toBe(1);
  });
});
