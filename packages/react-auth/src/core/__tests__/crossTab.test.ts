import { describe, expect, it, vi } from 'vitest';
import type { CrossTabMessage } from '../channel.js';
import { createMemoryChannelHub } from '../memoryChannel.js';
import { createMemoryLock } from '../lock.js';
import { defaultRuntime } from '../runtime.js';
import { createSession } from '../session.js';
import type { AuthUser } from '../types.js';
import { fakeRuntime, fakeTransport, settle, USER } from './fakes.js';

/** Two "tabs": separate sessions sharing one lock, one channel hub, one server and one clock. */
function twoTabs() {
  const clock = fakeRuntime();
  const server = fakeTransport(600);
  const lock = createMemoryLock();
  const hub = createMemoryChannelHub<AuthUser>();
  const messages: CrossTabMessage[] = [];
  const tab = () => {
    const channel = hub.connect();
    const post = channel.post.bind(channel);
    channel.post = (message) => {
      messages.push(message);
      post(message);
    };
    return createSession({
      transport: server.transport,
      runtime: clock.runtime,
      refreshLeeway: 30,
      lock,
      channel,
    });
  };
  return { clock, server, a: tab(), b: tab(), messages };
}

describe('cross-tab coordination with a slow channel', () => {
  it('waits for the channel to settle after a contended lock, so the second tab reuses the token instead of refreshing again', async () => {
    // Real timers: messages arrive 5 ms after they are posted, later than the lock is handed over.
    const server = fakeTransport(600);
    server.hold();
    const lock = createMemoryLock();
    const hub = createMemoryChannelHub<AuthUser>();
    const slowTab = () => {
      const channel = hub.connect();
      const subscribe = channel.subscribe.bind(channel);
      channel.subscribe = (listener) =>
        subscribe((message) => void setTimeout(() => listener(message), 5));
      channel.settle = () => new Promise((resolve) => setTimeout(resolve, 20));
      return createSession({
        transport: server.transport,
        runtime: defaultRuntime(),
        refreshLeeway: 30,
        lock,
        channel,
      });
    };
    const a = slowTab();
    const b = slowTab();
    const fromA = a.refresh();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const fromB = b.refresh();
    await new Promise((resolve) => setTimeout(resolve, 5));
    server.release();
    expect(await fromA).toBe('t1');
    expect(await fromB).toBe('t1');
    expect(server.transport.refresh).toHaveBeenCalledTimes(1);
    a.dispose();
    b.dispose();
  });
});

describe('cross-tab coordination', () => {
  it('shares a login with the other tab', async () => {
    const { a, b } = twoTabs();
    await a.login({ email: USER.email, password: 'pw' });
    await settle();
    expect(b.getState()).toMatchObject({ status: 'authenticated', user: USER });
    expect(b.readyAccessToken()).toBe('t1');
  });

  it('makes one refresh per expiry between the tabs; the other adopts the token', async () => {
    const { clock, server, a, b, messages } = twoTabs();
    await a.login({ email: USER.email, password: 'pw' });
    await settle();
    for (let lifetime = 1; lifetime <= 3; lifetime++) {
      await clock.advance(600_000);
      expect(server.transport.refresh).toHaveBeenCalledTimes(lifetime);
      expect(a.readyAccessToken()).toBe(b.readyAccessToken());
    }
    // login + 3 refreshes: exactly one message each, no echo.
    expect(messages).toHaveLength(4);
  });

  it('lets a tab that waited for the lock reuse the token the other tab obtained', async () => {
    const { server, a, b } = twoTabs();
    await a.login({ email: USER.email, password: 'pw' });
    await settle();
    server.hold();
    const fromA = a.renewAfterRejection('t1');
    const fromB = b.renewAfterRejection('t1');
    await settle();
    server.release();
    expect(await fromA).toBe('t2');
    expect(await fromB).toBe('t2');
    expect(server.transport.refresh).toHaveBeenCalledTimes(1);
  });

  it('logs the other tab out, once, without a loop', async () => {
    const { server, a, b, messages } = twoTabs();
    await a.login({ email: USER.email, password: 'pw' });
    await settle();
    const remoteLogout = vi.fn();
    b.on('logout', remoteLogout);
    await a.logout();
    await settle();
    expect(b.getState().status).toBe('unauthenticated');
    expect(b.readyAccessToken()).toBeNull();
    expect(remoteLogout).toHaveBeenCalledExactlyOnceWith({ remote: true });
    expect(messages.filter((m) => m.type === 'logout')).toHaveLength(1);
    expect(server.transport.logout).toHaveBeenCalledTimes(1);
  });

  it('tells the other tab when the session expired, so it stops using a dead session', async () => {
    const { server, a, b } = twoTabs();
    await a.login({ email: USER.email, password: 'pw' });
    await settle();
    server.rejectWith(401);
    await expect(a.refresh()).rejects.toThrow();
    await settle();
    expect(b.getState().status).toBe('unauthenticated');
  });
});
