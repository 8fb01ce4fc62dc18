import { describe, expect, it } from 'vitest';
import { rotationMark } from '../unwritten.js';
import { grant, setUp, tokenOf } from './support/refresherSetup.js';

// The store goes down between the upstream's rotation and the write of its result: with no
// reuse grace at the upstream, the old refresh token is consumed, so the new set must not be
// lost and no instance may refresh with the old one.

describe('A store outage after the upstream rotated', () => {
  it('keeps the new set, serves it, writes it when the store is back; another instance waits for it', async () => {
    const { clock, calls, outage, outcomes, instance, session, sessions, store, settle } =
      await setUp();
    const [a, b] = [instance(), instance()];
    const rotating = a.renew(session);
    while (calls.length === 0) await settle();
    outage.fail('*');
    calls[0]!.resolve(grant('second'));
    expect(tokenOf(await rotating)).toBe('second');
    expect(outcomes).toEqual(['kept']);
    // A serves the kept set, with no second refresh, while the store is down.
    expect(tokenOf(await a.fresh(session))).toBe('second');

    // The outage outlasts A's lock. The store is back: B still reads the old set, takes the lock,
    // but finds A's mark and waits for A's write.
    clock.advance(10_001);
    outage.heal();
    const fromB = await b.renew(session);
    expect(tokenOf(fromB)).toBe('second');
    expect(calls).toHaveLength(1);
    const stored = await sessions.opened(session.key, (await store.read(session.key))!);
    expect(tokenOf(stored!)).toBe('second');
    expect(stored!.stored.version).toBe(2);
    expect(await store.peek(rotationMark(session.key))).toBeUndefined();
    await Promise.all([a.close(), b.close()]);
  });

  it('another instance never refreshes with the consumed token while the marking one is alive', async () => {
    // Only writes of sessions fail: A's heartbeat reaches the store, its set does not.
    const { calls, outage, instance, session, store, settle } = await setUp({ waitMs: 8_000 });
    const [a, b] = [instance(), instance()];
    const rotating = a.renew(session);
    while (calls.length === 0) await settle();
    outage.fail('replace');
    calls[0]!.resolve(grant('second'));
    expect(tokenOf(await rotating)).toBe('second');
    // Past deadMs (3 s) and past A's lock: B still waits, then answers unavailable.
    await expect(b.renew(session)).rejects.toMatchObject({ code: 'upstream_unavailable' });
    expect(calls).toHaveLength(1);
    expect((await store.read(session.key))?.version).toBe(1);
    outage.heal();
    await a.close();
  });

  it('takes over from an instance that marked a rotation and is not seen alive for deadMs', async () => {
    const { clock, calls, instance, session, settle } = await setUp();
    const [a, b] = [instance(), instance()];
    // A asks the upstream and is never heard of again (killed): its lock expires.
    void a.renew(session).catch(() => {});
    while (calls.length === 0) await settle();
    clock.advance(10_001);
    const waitingSince = clock.now();
    const fromB = b.renew(session);
    while (calls.length === 1) await settle();
    expect(clock.now() - waitingSince).toBeGreaterThanOrEqual(3_000);
    calls[1]!.resolve(grant('from-b'));
    expect(tokenOf(await fromB)).toBe('from-b');
  });
});
