import { describe, expect, it, vi } from 'vitest';
import type { AuthChannel, CrossTabMessage } from '../channel.js';
import { CLAIM_BACKOFF_MS, createChannelLock } from '../channelLock.js';
import { createMemoryChannelHub } from '../memoryChannel.js';
import { fakeRuntime, settle } from '@tokenlane/test-kit/fakes';

// The lock of browsers without Web Locks: an election over the tabs' channel (issue 31, finding 9).

/** Tabs on one hub whose channels settle once what was posted has been delivered. */
function tabs(count = 2) {
  const clock = fakeRuntime();
  const hub = createMemoryChannelHub();
  const posted: CrossTabMessage<unknown>[] = [];
  const channels: AuthChannel<unknown>[] = [];
  const open = () => {
    const channel = hub.connect() as AuthChannel<unknown> & { settle(): Promise<void> };
    const post = channel.post.bind(channel);
    channel.post = (message) => void (posted.push(message), post(message));
    channel.settle = () => settle();
    channels.push(channel);
    return createChannelLock(channel, clock.runtime);
  };
  const locks = Array.from({ length: count }, open);
  /** A channel of the same browser whose posts are not recorded (another page's). */
  const stranger = () => hub.connect();
  return { clock, posted, channels, locks, stranger };
}

/** A holder that stays inside until `release()`. */
function holder() {
  let release = () => {};
  const inside = new Promise<void>((resolve) => (release = resolve));
  return { release, fn: vi.fn(() => inside.then(() => 'done')) };
}

describe('createChannelLock', () => {
  it('lets one tab in at a time: the other waits for the release, and says it waited', async () => {
    const { locks } = tabs();
    const [a, b] = [holder(), holder()];
    const first = locks[0]!('refresh', 30_000, a.fn);
    await settle();
    const second = locks[1]!('refresh', 30_000, b.fn);
    await settle();
    expect(a.fn).toHaveBeenCalledWith({ waited: false, held: true });
    expect(b.fn).not.toHaveBeenCalled();
    a.release();
    await first;
    await settle();
    expect(b.fn).toHaveBeenCalledWith({ waited: true, held: true });
    b.release();
    expect(await second).toBe('done');
  });

  it('two claims at once: never both inside; the one that stepped back gets it after the release', async () => {
    const { clock, locks } = tabs();
    const [a, b] = [holder(), holder()];
    const both = [locks[0]!('refresh', 30_000, a.fn), locks[1]!('refresh', 30_000, b.fn)];
    const inside = () => a.fn.mock.calls.length + b.fn.mock.calls.length;
    for (let i = 0; i < 10 && inside() === 0; i++) await clock.advance(CLAIM_BACKOFF_MS);
    expect(inside()).toBe(1);
    const [first, second] = a.fn.mock.calls.length === 1 ? [a, b] : [b, a];
    await clock.advance(CLAIM_BACKOFF_MS * 4);
    expect(second.fn).not.toHaveBeenCalled();
    first.release();
    for (let i = 0; i < 10 && inside() === 1; i++) await clock.advance(CLAIM_BACKOFF_MS);
    expect(second.fn).toHaveBeenCalledWith({ waited: true, held: true });
    second.release();
    expect(await Promise.all(both)).toEqual(['done', 'done']);
  });

  it('runs without the lock after the acquire timeout, and drops a claim still there at the next', async () => {
    const { clock, locks, channels } = tabs();
    const stuck = holder();
    void locks[0]!('refresh', 30_000, stuck.fn);
    await settle();
    // Its tab is closed while it holds the lock, without a word (no pagehide).
    channels[0]!.close();
    const waiting = vi.fn(() => Promise.resolve('without'));
    const first = locks[1]!('refresh', 30_000, waiting);
    await clock.advance(30_000);
    expect(await first).toBe('without');
    expect(waiting).toHaveBeenCalledWith({ waited: true, held: false });
    // The same claim at a second timeout: a tab closed while holding it. Then the lock is free.
    const again = vi.fn(() => Promise.resolve('again'));
    const second = locks[1]!('refresh', 30_000, again);
    await clock.advance(30_000);
    expect(await second).toBe('again');
    const third = vi.fn(() => Promise.resolve('held'));
    expect(await locks[1]!('refresh', 30_000, third)).toBe('held');
    expect(third).toHaveBeenCalledWith({ waited: false, held: true });
  });

  it('tells a tab that claims later (a page opened since) that it holds the lock', async () => {
    const { locks, posted } = tabs();
    const a = holder();
    void locks[0]!('refresh', 30_000, a.fn);
    await settle();
    const claims = posted.length;
    // A message as a newly opened page's claim would come: the holder answers it once.
    const late = holder();
    void locks[1]!('other-name', 30_000, late.fn);
    await settle();
    expect(posted.slice(claims).filter((m) => m.type === 'lock' && m.reply)).toEqual([]);
    late.release();
    a.release();
  });

  it('answers a claim of the name it holds once, never a reply, and ignores malformed messages', async () => {
    const { clock, locks, posted, stranger: connect } = tabs(1);
    const stranger = connect();
    stranger.post({ type: 'lock', name: 'refresh', claim: true } as never);
    stranger.post({ type: 'lock', id: 'no-name', claim: true } as never);
    stranger.post({ type: 'token', name: 'refresh', id: 'x', claim: true } as never);
    await settle();
    const a = holder();
    void locks[0]!('refresh', 30_000, a.fn);
    await settle();
    // Nothing malformed counted as a claim: in at once.
    expect(a.fn).toHaveBeenCalledWith({ waited: false, held: true });
    const before = posted.length;
    const replies = () => posted.slice(before).filter((m) => (m as { reply?: boolean }).reply);
    stranger.post({ type: 'lock', name: 'refresh', id: 'late', claim: true } as never);
    await settle();
    expect(replies()).toHaveLength(1);
    const reply = { type: 'lock', name: 'refresh', id: 'other', claim: true, reply: true };
    stranger.post(reply as never);
    await settle();
    expect(replies()).toHaveLength(1);
    a.release();
    await settle();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('lets go of what it holds when the page goes away (pagehide)', async () => {
    const page = new EventTarget();
    vi.stubGlobal('window', page);
    try {
      const { locks, posted } = tabs(1);
      const a = holder();
      void locks[0]!('refresh', 30_000, a.fn);
      await settle();
      const claim = posted.find((m) => (m as { claim?: boolean }).claim) as { id: string };
      page.dispatchEvent(new Event('pagehide'));
      expect(posted.at(-1)).toEqual({ type: 'lock', name: 'refresh', id: claim.id, claim: false });
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('passes a grant that timed out in this tab through, without claiming', async () => {
    const { clock, posted } = tabs(0);
    const hub = createMemoryChannelHub();
    const channel = hub.connect() as AuthChannel<unknown> & { settle(): Promise<void> };
    channel.settle = () => settle();
    const lock = createChannelLock(channel, clock.runtime);
    const inside = holder();
    void lock('refresh', 1_000, inside.fn);
    await settle();
    const queued = vi.fn(() => Promise.resolve('x'));
    const result = lock('refresh', 1_000, queued);
    await clock.advance(1_000);
    expect(await result).toBe('x');
    expect(queued).toHaveBeenCalledWith({ waited: true, held: false });
    expect(posted).toEqual([]);
    inside.release();
  });
});
