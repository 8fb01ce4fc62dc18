import { describe, expect, it, vi } from 'vitest';
import { createMemoryChannelHub } from '../memoryChannel.js';

describe('memory channel', () => {
  it('stops delivering to a listener once it unsubscribed', async () => {
    const hub = createMemoryChannelHub();
    const [a, b] = [hub.connect(), hub.connect()];
    const onB = vi.fn();
    b.subscribe(onB)();
    a.post({ type: 'logout', seq: 1, reason: 'user' });
    await Promise.resolve();
    expect(onB).not.toHaveBeenCalled();
  });

  it('delivers to the other members only, asynchronously, as copies', async () => {
    const hub = createMemoryChannelHub();
    const [a, b, c] = [hub.connect(), hub.connect(), hub.connect()];
    const [onA, onB, onC] = [vi.fn(), vi.fn(), vi.fn()];
    a.subscribe(onA);
    b.subscribe(onB);
    c.subscribe(onC);
    c.close();
    const message = { type: 'logout', seq: 1, reason: 'user' } as const;
    a.post(message);
    expect(onB).not.toHaveBeenCalled();
    await Promise.resolve();
    expect(onB).toHaveBeenCalledWith(message);
    expect(onB.mock.calls[0]?.[0]).not.toBe(message);
    expect(onA).not.toHaveBeenCalled();
    expect(onC).not.toHaveBeenCalled();
  });
});
