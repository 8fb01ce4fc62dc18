import { describe, expect, it, vi } from 'vitest';
import type { CrossTabMessage } from '../channel.js';
import { createMemoryChannelHub } from '../memoryChannel.js';
import { createMemoryLock } from '../lock.js';
import type { AuthUser } from '../types.js';
import {
  createTestSession,
  fakeRuntime,
  fakeTransport,
  settle,
  USER,
} from '@tokenlane/test-kit/fakes';

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
    return createTestSession({
      transport: server.transport,
      runtime: clock.runtime,
      refreshLeewaySeconds: 30,
      lock,
      channel,
    });
  };
  return { clock, server, a: tab(), b: tab(), messages };
}

/**
 * Tabs whose channel lags behind the lock: a message reaches a tab only when that tab calls
 * `settle()` (or the test calls `deliver()`), as a `BroadcastChannel` message may trail the
 * hand-over of a Web Lock.
 */
function laggingTabs() {
  const clock = fakeRuntime();
  const server = fakeTransport(600);
  const lock = createMemoryLock();
  const hub = createMemoryChannelHub<AuthUser>();
  const tab = () => {
    const channel = hub.connect();
    const inbox: Array<() => void> = [];
    const subscribe = channel.subscribe.bind(channel);
    channel.subscribe = (listener) =>
      subscribe((message) => void inbox.push(() => listener(message)));
    const deliver = () => inbox.splice(0).forEach((handle) => handle());
    const settleChannel = vi.fn(async () => {
      await settle();
      deliver();
    });
    channel.settle = settleChannel;
    const session = createTestSession({
      transport: server.transport,
      runtime: clock.runtime,
      refreshLeewaySeconds: 30,
      lock,
      channel,
    });
    return { session, settleChannel, deliver };
  };
  return { server, a: tab(), b: tab() };
}

describe('cross-tab coordination with a lagging channel', () => {
  it('lets a tab that waited for the lock read the channel first, and reuse the token the holder got', async () => {
    const { server, a, b } = laggingTabs();
    server.hold();
    const fromA = a.session.refresh();
    await settle();
    const fromB = b.session.refresh();
    await settle();
    server.release();
    expect(await fromA).toBe('t1');
    expect(await fromB).toBe('t1');
    expect(server.transport.refresh).toHaveBeenCalledTimes(1);
    expect(a.settleChannel).toHaveBeenCalledTimes(1);
    expect(b.settleChannel).toHaveBeenCalledTimes(1);
  });

  it('reads the channel before refreshing even when the lock was free: the token another tab got may trail its own 401 or timer', async () => {
    const { server, a, b } = laggingTabs();
    expect(await a.session.refresh()).toBe('t1');
    // A's message has not reached B; B's refresh finds the lock free.
    expect(await b.session.refresh()).toBe('t1');
    expect(server.transport.refresh).toHaveBeenCalledTimes(1);
    expect(b.settleChannel).toHaveBeenCalledTimes(1);
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
    expect(remoteLogout).toHaveBeenCalledExactlyOnceWith({ remote: true, reason: 'user' });
    expect(messages.filter((m) => m.type === 'logout')).toHaveLength(1);
    expect(server.transport.logout).toHaveBeenCalledTimes(1);
  });

  it('tells the other tab why the session ended: an idle sign-out is reason idle there too', async () => {
    const { a, b, messages } = twoTabs();
    await a.login({ email: USER.email, password: 'pw' });
    await settle();
    const remoteLogout = vi.fn();
    b.on('logout', remoteLogout);
    await a.end('idle');
    await settle();
    expect(b.getState().status).toBe('unauthenticated');
    expect(remoteLogout).toHaveBeenCalledExactlyOnceWith({ remote: true, reason: 'idle' });
    expect(messages.filter((m) => m.type === 'logout')).toEqual([
      expect.objectContaining({ type: 'logout', reason: 'idle' }),
    ]);
  });

  it("reports each message it applied as a 'cross-tab' event (no token in it), and none for one it ignored", async () => {
    const { a, b } = twoTabs();
    const heard = vi.fn();
    b.on('cross-tab', heard);
    await a.login({ email: USER.email, password: 'pw' });
    await settle();
    await b.refresh();
    await settle();
    await a.logout();
    await settle();
    // b's own refresh is not echoed back to it; a's login and logout are.
    expect(heard.mock.calls).toEqual([[{ type: 'token' }], [{ type: 'logout' }]]);
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

describe('cross-tab messages', () => {
  it('ignores a message of a kind it does not know (another version of the app)', async () => {
    const hub = createMemoryChannelHub<AuthUser>();
    const clock = fakeRuntime();
    const server = fakeTransport(600);
    const channel = hub.connect();
    const tab = createTestSession({
      transport: server.transport,
      runtime: clock.runtime,
      refreshLeewaySeconds: 30,
      lock: createMemoryLock(),
      channel,
    });
    await tab.login({ email: USER.email, password: 'pw' });
    const future = { type: 'session-v2', token: 'x' } as unknown as CrossTabMessage<AuthUser>;
    hub.connect().post(future);
    await settle();
    expect(tab.readyAccessToken()).toBe('t1');
    expect(tab.getState().status).toBe('authenticated');
  });

  it('does not re-arm anything for a token it already holds', async () => {
    const clock = fakeRuntime();
    const server = fakeTransport(600);
    const hub = createMemoryChannelHub<AuthUser>();
    const tab = createTestSession({
      transport: server.transport,
      runtime: clock.runtime,
      refreshLeewaySeconds: 30,
      lock: createMemoryLock(),
      channel: hub.connect(),
    });
    await tab.login({ email: USER.email, password: 'pw' });
    const setTimeout = vi.spyOn(clock.runtime, 'setTimeout');
    const listener = vi.fn();
    tab.subscribe(listener);
    const heard = vi.fn();
    tab.on('cross-tab', heard);
    const { expiresAt } = tab.getState();
    hub.connect().post({ type: 'token', token: 't1', user: USER, expiresAt, lifetimeMs: 600_000 });
    await settle();
    expect(setTimeout).not.toHaveBeenCalled();
    expect(listener).not.toHaveBeenCalled();
    expect(heard).not.toHaveBeenCalled();
  });
});

describe('cross-tab order (late messages)', () => {
  /** One tab signed in, and a second channel to speak as another tab. */
  async function signedInTab() {
    const clock = fakeRuntime();
    const server = fakeTransport(600);
    const hub = createMemoryChannelHub<AuthUser>();
    const posted: CrossTabMessage<AuthUser>[] = [];
    const channel = hub.connect();
    const post = channel.post.bind(channel);
    channel.post = (message) => void (posted.push(message), post(message));
    const tab = createTestSession({
      transport: server.transport,
      runtime: clock.runtime,
      refreshLeewaySeconds: 30,
      lock: createMemoryLock(),
      channel,
    });
    await tab.login({ email: USER.email, password: 'pw' });
    const signedIn = posted[0] as CrossTabMessage<AuthUser> & { type: 'token' };
    const other = hub.connect();
    const token = (name: string, mark: { at?: number; seq?: number; sid?: string | null }) => {
      other.post({ ...signedIn, token: name, ...mark });
      return settle();
    };
    return { clock, tab, posted, signedIn, other, token };
  }

  it('a sign-in starts a session: a new id, one step later in the browser’s order', async () => {
    const { signedIn } = await signedInTab();
    expect(signedIn.seq).toBe(1);
    expect(signedIn.sid).toEqual(expect.any(String));
  });

  it('takes a later renewal of its own session only; ignores one without a mark (an older version)', async () => {
    const { tab, signedIn, token } = await signedInTab();
    const at = signedIn.at!;
    await token('late', { at: at - 1 });
    await token('same', { at });
    expect(tab.readyAccessToken()).toBe('t1');
    await token('newer', { at: at + 1 });
    expect(tab.readyAccessToken()).toBe('newer');
    await token('unmarked', { at: at + 2, seq: undefined, sid: undefined });
    expect(tab.readyAccessToken()).toBe('newer');
  });

  it('ignores a renewal of a session that began before its own, however late its wall-clock stamp', async () => {
    const { tab, signedIn, token } = await signedInTab();
    await token('older-user', { at: signedIn.at! + 60_000, seq: 0, sid: 'older' });
    expect(tab.readyAccessToken()).toBe('t1');
    await token('newer-user', { at: 1, seq: 2, sid: 'newer' });
    expect(tab.readyAccessToken()).toBe('newer-user');
  });

  it('finding 5: stays signed out after a logout: a renewal of its session that arrives late does not bring it back', async () => {
    const { tab, signedIn, token, posted } = await signedInTab();
    await tab.logout();
    const loggedOut = posted.at(-1) as { type: 'logout'; seq: number };
    expect(loggedOut.seq).toBe(2);
    await token('refreshed-elsewhere', { at: signedIn.at! + 60_000 });
    expect(tab.getState().status).toBe('unauthenticated');
    await token('signed-in-after', { seq: 3, sid: 'next' });
    expect(tab.getState().status).toBe('authenticated');
  });

  it('ignores a logout from before its sign-in; one not before it (concurrent: the sign-out wins) signs it out, with its reason', async () => {
    const { tab, other } = await signedInTab();
    const logout = vi.fn();
    tab.on('logout', logout);
    other.post({ type: 'logout', seq: 0, reason: 'user' });
    await settle();
    expect(tab.getState().status).toBe('authenticated');
    other.post({ type: 'logout', seq: 1, reason: 'idle' });
    await settle();
    expect(tab.getState().status).toBe('unauthenticated');
    expect(logout).toHaveBeenCalledExactlyOnceWith({ remote: true, reason: 'idle' });
  });

  it('finding 8: a clock set back changes nothing in the order of sessions', async () => {
    const { clock, tab, posted, signedIn, token } = await signedInTab();
    clock.runtime.now = () => signedIn.at! - 3_600_000;
    await tab.refresh();
    const refreshed = posted.at(-1) as { type: 'token'; at: number; seq: number; sid: string };
    expect(refreshed.at).toBe(signedIn.at! + 1);
    expect([refreshed.seq, refreshed.sid]).toEqual([signedIn.seq, signedIn.sid]);
    await tab.logout();
    // A sign-in message from before the logout, stamped by a clock an hour ahead: still before it.
    await token('late-sign-in', { at: signedIn.at! + 3_600_000, seq: 1, sid: 'zzz' });
    expect(tab.getState().status).toBe('unauthenticated');
  });
});
