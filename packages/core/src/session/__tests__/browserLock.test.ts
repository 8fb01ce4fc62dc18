import { afterEach, describe, expect, it, vi } from 'vitest';
import { browserLock } from '../browserLock.js';
import type { AuthChannel } from '../channel.js';
import type { LockGrant } from '../lock.js';
import { createMemoryChannelHub } from '../memoryChannel.js';
import { fakeRuntime, settle } from '@tokenlane/test-kit/fakes';

// Which lock a tab takes: the Web Locks API, else an election over the channel (when it can
// settle), else a lock of this page only.

afterEach(() => vi.unstubAllGlobals());

/** A channel of `hub` that settles once what was posted has been delivered. */
const settling = (hub: ReturnType<typeof createMemoryChannelHub>) => {
  const channel: AuthChannel<unknown> = hub.connect();
  channel.settle = () => settle();
  return channel;
};

/** Whether two tabs' locks let both in at once. */
async function bothInside(
  channels: [AuthChannel<unknown> | undefined, AuthChannel<unknown> | undefined],
) {
  const clock = fakeRuntime();
  const [a, b] = channels.map((channel) => browserLock(channel, clock.runtime));
  let release = () => {};
  const inside = new Promise<void>((resolve) => (release = resolve));
  const first = a!('refresh', 30_000, () => inside);
  await settle();
  const second = vi.fn((_grant: LockGrant) => Promise.resolve());
  const waiting = b!('refresh', 30_000, second);
  await clock.advance(1_000);
  const both = second.mock.calls.length === 1;
  release();
  await Promise.all([first, waiting]);
  return { both, grant: second.mock.calls[0]![0] };
}

describe('browserLock', () => {
  it('without Web Locks, elects over a channel that settles: the second tab waits for the first', async () => {
    const hub = createMemoryChannelHub();
    const { both, grant } = await bothInside([settling(hub), settling(hub)]);
    expect(both).toBe(false);
    expect(grant).toEqual({ waited: true, held: true });
  });

  it('without a channel, or with one that cannot settle, locks this page only', async () => {
    expect((await bothInside([undefined, undefined])).both).toBe(true);
    const hub = createMemoryChannelHub();
    const plain = [hub.connect(), hub.connect()] as [AuthChannel<unknown>, AuthChannel<unknown>];
    expect((await bothInside(plain)).both).toBe(true);
  });

  it('takes the Web Locks API where the browser has it, and then no election on the channel', async () => {
    const request = vi.fn(
      (_name: string, _options: unknown, callback: (lock: object | null) => Promise<unknown>) =>
        callback({}),
    );
    vi.stubGlobal('navigator', { locks: { request } });
    const hub = createMemoryChannelHub();
    const channel = settling(hub);
    const subscribe = vi.spyOn(channel, 'subscribe');
    const lock = browserLock(channel, fakeRuntime().runtime);
    expect(await lock('refresh', 30_000, () => Promise.resolve('in'))).toBe('in');
    expect(request).toHaveBeenCalledWith('refresh', { ifAvailable: true }, expect.any(Function));
    expect(subscribe).not.toHaveBeenCalled();
  });
});
