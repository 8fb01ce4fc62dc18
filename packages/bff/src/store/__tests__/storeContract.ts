import { expect, it } from 'vitest';
import type { SessionStore, StoredSession } from '../types.js';

/** A clock the contract moves by hand. */
export const testClock = () => {
  let now = 1_800_000_000_000;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
};

const session = (at: number, overrides: Partial<StoredSession> = {}): StoredSession => ({
  version: 1,
  data: 'sealed',
  subject: 'subject-hash',
  sid: 'sid-hash',
  idleExpiresAt: at + 60_000,
  absoluteExpiresAt: at + 600_000,
  ...overrides,
});

let ids = 0;
const newId = () => `id-${process.pid}-${Date.now()}-${++ids}`;

/**
 * The contract every store passes (the API's stores share one the same way). `make` builds a
 * store on the given clock; Redis's own expiry runs on real time, so ends are checked through the
 * clock the store reads.
 */
export function storeContract(make: (now: () => number) => Promise<SessionStore>) {
  const setUp = async () => {
    const clock = testClock();
    return { clock, store: await make(clock.now) };
  };

  it('creates and reads a session; an unknown id reads as nothing', async () => {
    const { clock, store } = await setUp();
    const id = newId();
    await store.create(id, session(clock.now()));
    expect(await store.read(id)).toEqual(session(clock.now()));
    expect(await store.read(newId())).toBeUndefined();
    await store.close();
  });

  it('replaces only over the expected version (fencing)', async () => {
    const { clock, store } = await setUp();
    const id = newId();
    await store.create(id, session(clock.now()));
    expect(await store.replace(id, session(clock.now(), { version: 2, data: 'two' }), 1)).toBe(
      true,
    );
    // A holder that read version 1 and stalled cannot write over version 2.
    expect(await store.replace(id, session(clock.now(), { version: 2, data: 'stale' }), 1)).toBe(
      false,
    );
    expect((await store.read(id))?.data).toBe('two');
    expect(await store.replace(newId(), session(clock.now()), 1)).toBe(false);
    await store.close();
  });

  it('ends a session at its idle end, and touch moves it but never past the absolute end', async () => {
    const { clock, store } = await setUp();
    const id = newId();
    await store.create(id, session(clock.now()));
    clock.advance(50_000);
    await store.touch(id, clock.now() + 60_000);
    clock.advance(50_000);
    expect(await store.read(id)).toBeDefined();
    await store.touch(id, clock.now() + 10_000_000);
    expect((await store.read(id))?.idleExpiresAt).toBe(
      session(0).absoluteExpiresAt + 1_800_000_000_000,
    );
    clock.advance(500_000);
    expect(await store.read(id)).toBeUndefined();
    await store.close();
  });

  it('deletes one session, or every session of a subject or an upstream session', async () => {
    const { clock, store } = await setUp();
    const subject = `subject-${newId()}`;
    const [a, b, c, d] = [newId(), newId(), newId(), newId()];
    await store.create(a, session(clock.now(), { subject, sid: 'sid-a' }));
    await store.create(b, session(clock.now(), { subject, sid: 'sid-b' }));
    await store.create(c, session(clock.now(), { subject: 'someone-else', sid: `sid-${c}` }));
    await store.create(d, session(clock.now(), { subject: 'someone-else', sid: `sid-${d}` }));
    expect(await store.deleteWhere({ subject })).toBe(2);
    expect(await store.read(a)).toBeUndefined();
    expect(await store.read(b)).toBeUndefined();
    expect(await store.deleteWhere({ sid: `sid-${c}` })).toBe(1);
    expect(await store.read(c)).toBeUndefined();
    await store.delete(d);
    expect(await store.read(d)).toBeUndefined();
    await store.close();
  });

  it('gives a lock to one holder at a time, releases it only for its holder, and lets it expire', async () => {
    const { clock, store } = await setUp();
    const name = `lock-${newId()}`;
    const first = await store.lock(name, 5_000);
    expect(first).toBeTypeOf('string');
    expect(await store.lock(name, 5_000)).toBeUndefined();
    await store.unlock(name, 'not-the-holder');
    expect(await store.lock(name, 5_000)).toBeUndefined();
    await store.unlock(name, first!);
    const second = await store.lock(name, 200);
    expect(second).toBeTypeOf('string');
    clock.advance(300);
    // Redis expires on its own clock: wait for it too.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const third = await store.lock(name, 5_000);
    expect(third).toBeTypeOf('string');
    expect(third).not.toBe(second);
    await store.close();
  });

  it('hands a one-time value out once', async () => {
    const { store } = await setUp();
    const name = `once-${newId()}`;
    await store.putOnce(name, 'state', 60_000);
    expect(await store.peek(name)).toBe('state');
    expect(await store.peek(name)).toBe('state');
    expect(await store.takeOnce(name)).toBe('state');
    expect(await store.peek(name)).toBeUndefined();
    expect(await store.takeOnce(name)).toBeUndefined();
    await store.close();
  });
}
