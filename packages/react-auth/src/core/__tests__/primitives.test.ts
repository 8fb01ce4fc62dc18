import { describe, expect, it, vi } from 'vitest';
import { createBroadcastChannel } from '../channel.js';
import { createMemoryChannelHub } from '../memoryChannel.js';
import { createEmitter } from '../emitter.js';
import { decodeJwt } from '../jwt.js';
import { createMemoryLock, createWebLock } from '../lock.js';
import { refreshDueAt } from '../refreshScheduler.js';
import { createSessionStore } from '../sessionStore.js';
import { USER } from './fakes.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('decodeJwt', () => {
  it('reads the payload, UTF-8 included, without verifying', () => {
    const token = `${b64({ alg: 'HS256' })}.${b64({ exp: 123, name: 'Zoë ✓' })}.sig`;
    expect(decodeJwt(token)).toEqual({ exp: 123, name: 'Zoë ✓' });
  });

  it.each(['opaque', '', 'a.%%%.c', `x.${b64('a string')}.y`])('returns {} for %j', (token) => {
    expect(decodeJwt(token)).toEqual({});
  });
});

describe('refreshDueAt', () => {
  it('uses the leeway, plus up to half of it as jitter', () => {
    expect(refreshDueAt(1_000_000, 900_000, 30_000, 0)).toBe(970_000);
    expect(refreshDueAt(1_000_000, 900_000, 30_000, 1)).toBe(965_000);
  });

  it('clamps the leeway to a fifth of a short lifetime', () => {
    expect(refreshDueAt(10_000, 3_000, 30_000, 0)).toBe(9_400);
  });
});

describe('createSessionStore', () => {
  it('notifies on change only and keeps equal users identical', () => {
    const store = createSessionStore<typeof USER>();
    const listener = vi.fn();
    store.subscribe(listener);
    store.set({ status: 'authenticated', user: USER, expiresAt: 1 });
    const first = store.getState();
    store.set({ status: 'authenticated', user: { ...USER }, expiresAt: 1 });
    expect(store.getState()).toBe(first);
    store.set({ status: 'authenticated', user: { ...USER }, expiresAt: 2 });
    expect(store.getState().user).toBe(first.user);
    expect(listener).toHaveBeenCalledTimes(2);
  });
});

describe('createEmitter', () => {
  it('isolates a throwing listener from the others and reports its error', () => {
    const report = vi.spyOn(console, 'error').mockImplementation(() => {});
    const emitter = createEmitter<{ ping: number }>();
    const good = vi.fn();
    emitter.on('ping', () => {
      throw new Error('boom');
    });
    const off = emitter.on('ping', good);
    emitter.emit('ping', 1);
    expect(good).toHaveBeenCalledWith(1);
    expect(report).toHaveBeenCalledWith(expect.objectContaining({ message: 'boom' }));
    report.mockRestore();
    off();
    emitter.emit('ping', 2);
    expect(good).toHaveBeenCalledTimes(1);
  });
});

describe('locks', () => {
  it('serialise holders of one name', async () => {
    const lock = createMemoryLock();
    const order: string[] = [];
    const hold = (id: string) =>
      lock('x', 1_000, async () => {
        order.push(`${id}:in`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push(`${id}:out`);
      });
    await Promise.all([hold('a'), hold('b')]);
    expect(order).toEqual(['a:in', 'a:out', 'b:in', 'b:out']);
  });

  it('run without the lock once the acquire timeout passes', async () => {
    const lock = createMemoryLock();
    let release = () => {};
    const stuck = lock('x', 1_000, () => new Promise<void>((resolve) => (release = resolve)));
    await expect(lock('x', 10, () => Promise.resolve('ran'))).resolves.toBe('ran');
    release();
    await stuck;
  });

  it('use navigator.locks when present, and fall back without it', async () => {
    const request = vi.fn((_name: string, _options: unknown, fn: () => Promise<string>) => fn());
    vi.stubGlobal('navigator', { locks: { request } });
    await expect(createWebLock()('x', 100, () => Promise.resolve('web'))).resolves.toBe('web');
    expect(request).toHaveBeenCalledWith(
      'x',
      expect.objectContaining({ signal: expect.any(AbortSignal) as AbortSignal }),
      expect.any(Function),
    );
    vi.stubGlobal('navigator', {
      locks: { request: () => Promise.reject(new DOMException('timeout', 'TimeoutError')) },
    });
    await expect(createWebLock()('x', 100, () => Promise.resolve('unlocked'))).resolves.toBe(
      'unlocked',
    );
    vi.unstubAllGlobals();
    await expect(createWebLock()('x', 100, () => Promise.resolve('fallback'))).resolves.toBe(
      'fallback',
    );
  });
});

describe('BroadcastChannel', () => {
  it('carries messages between channels of one name, never back to the sender, and settles', async () => {
    const name = `tokenlane-test-${Math.random()}`;
    const a = createBroadcastChannel(name)!;
    const b = createBroadcastChannel(name)!;
    const [onA, onB] = [vi.fn(), vi.fn()];
    a.subscribe(onA);
    const stop = b.subscribe(onB);
    a.post({ type: 'logout' });
    await vi.waitFor(() => expect(onB).toHaveBeenCalledWith({ type: 'logout' }));
    await a.settle!();
    expect(onA).not.toHaveBeenCalled();
    stop();
    a.post({ type: 'logout' });
    await b.settle!();
    expect(onB).toHaveBeenCalledTimes(1);
    a.close();
    b.close();
  });
});

describe('memory channel', () => {
  it('delivers to the other members only, asynchronously, as copies', async () => {
    const hub = createMemoryChannelHub();
    const [a, b, c] = [hub.connect(), hub.connect(), hub.connect()];
    const [onA, onB, onC] = [vi.fn(), vi.fn(), vi.fn()];
    a.subscribe(onA);
    b.subscribe(onB);
    c.subscribe(onC);
    c.close();
    const message = { type: 'logout' } as const;
    a.post(message);
    expect(onB).not.toHaveBeenCalled();
    await Promise.resolve();
    expect(onB).toHaveBeenCalledWith(message);
    expect(onB.mock.calls[0]?.[0]).not.toBe(message);
    expect(onA).not.toHaveBeenCalled();
    expect(onC).not.toHaveBeenCalled();
  });
});
