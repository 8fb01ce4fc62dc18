import { describe, expect, it } from 'vitest';
import { BffError } from '../errors.js';
import { SessionEnded } from '../refresh.js';
import { grant, setUp, tokenOf } from './support/refresherSetup.js';

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
