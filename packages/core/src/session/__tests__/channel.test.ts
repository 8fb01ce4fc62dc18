import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBroadcastChannel } from '../channel.js';

describe('BroadcastChannel', () => {
  it('carries messages between channels of one name, never back to the sender, and settles', async () => {
    const name = `tokenlane-test-${Math.random()}`;
    const a = createBroadcastChannel(name)!;
    const b = createBroadcastChannel(name)!;
    const [onA, onB] = [vi.fn(), vi.fn()];
    a.subscribe(onA);
    const stop = b.subscribe(onB);
    a.post({ type: 'logout', seq: 1, reason: 'user' });
    await vi.waitFor(() =>
      expect(onB).toHaveBeenCalledWith({ type: 'logout', seq: 1, reason: 'user' }),
    );
    await a.settle!();
    expect(onA).not.toHaveBeenCalled();
    stop();
    a.post({ type: 'logout', seq: 1, reason: 'user' });
    await b.settle!();
    expect(onB).toHaveBeenCalledTimes(1);
    a.close();
    b.close();
  });
});

describe('createBroadcastChannel', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('drops a message posted after close (a refresh landing after dispose) instead of throwing', async () => {
    const name = `tokenlane-test-${Math.random()}`;
    const a = createBroadcastChannel(name)!;
    const b = createBroadcastChannel(name)!;
    const onB = vi.fn();
    b.subscribe(onB);
    a.close();
    expect(() => a.post({ type: 'logout', seq: 1, reason: 'user' })).not.toThrow();
    const c = createBroadcastChannel(name)!;
    c.post({ type: 'logout', seq: 2, reason: 'user' });
    await b.settle!();
    expect(onB.mock.calls).toEqual([[{ type: 'logout', seq: 2, reason: 'user' }]]);
    b.close();
    c.close();
  });

  it('takes a null message and one that arrives after close without throwing', async () => {
    const name = `tokenlane-test-${Math.random()}`;
    const errors: unknown[] = [];
    const onError = (error: unknown) => void errors.push(error);
    process.on('uncaughtException', onError);
    const a = createBroadcastChannel(name)!;
    const closed = createBroadcastChannel(name)!;
    const onA = vi.fn();
    a.subscribe(onA);
    closed.close();
    const raw = new BroadcastChannel(name);
    raw.postMessage(null);
    raw.postMessage({ type: 'logout', seq: 3, reason: 'user' });
    // Delivered by Node's message port, not by timers: allow a loaded machine its time.
    await vi.waitFor(() => expect(onA).toHaveBeenCalledTimes(2), { timeout: 15_000 });
    await a.settle!();
    process.off('uncaughtException', onError);
    expect(onA.mock.calls).toEqual([[null], [{ type: 'logout', seq: 3, reason: 'user' }]]);
    expect(errors).toEqual([]);
    raw.close();
    a.close();
  });

  it('settles by a probe through the channel, with timers paused: what another tab posted before is in, and no tab hears the probe', async () => {
    vi.useFakeTimers();
    const name = `tokenlane-test-${Math.random()}`;
    const a = createBroadcastChannel(name)!;
    const b = createBroadcastChannel(name)!;
    const [onA, onB] = [vi.fn(), vi.fn()];
    a.subscribe(onA);
    b.subscribe(onB);
    b.post({ type: 'logout', seq: 1, reason: 'user' });
    await a.settle!();
    expect(onA.mock.calls).toEqual([[{ type: 'logout', seq: 1, reason: 'user' }]]);
    await b.settle!();
    expect(onB).not.toHaveBeenCalled();
    // Closing lets a pending settle go (its probe will never come back), and a later one at once.
    const pending = a.settle!();
    a.close();
    await pending;
    await a.settle!();
    b.close();
  });

  it('is undefined where BroadcastChannel is missing', () => {
    vi.stubGlobal('BroadcastChannel', undefined);
    expect(createBroadcastChannel('x')).toBeUndefined();
  });

  it('stops receiving once closed, and settles asynchronously', async () => {
    const name = `tokenlane-test-${Math.random()}`;
    const a = createBroadcastChannel(name)!;
    const b = createBroadcastChannel(name)!;
    const onB = vi.fn();
    b.subscribe(onB);
    b.close();
    a.post({ type: 'logout', seq: 1, reason: 'user' });
    const settled = a.settle!();
    expect(settled).toBeInstanceOf(Promise);
    await settled;
    await b.settle!();
    expect(onB).not.toHaveBeenCalled();
    a.close();
  });
});
