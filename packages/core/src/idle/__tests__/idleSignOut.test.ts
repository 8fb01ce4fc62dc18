import { AuthUsageError } from '../../session/errors.js';
import { describe, expect, it, vi } from 'vitest';
import type { AuthChannel, CrossTabMessage } from '../../session/channel.js';
import { createMemoryChannelHub } from '../../session/memoryChannel.js';
import { createMemoryLock } from '../../session/lock.js';
import type { AuthUser } from '../../session/types.js';
import { fakeRuntime, settle, USER } from '@tokenlane/test-kit/fakes';
import { createFetchClient } from '../../fetch/createFetchClient.js';
import { idleSignOut, type IdleOptions, type IdleWarning } from '../idleSignOut.js';

// Issue 25: idle sign-out. Activity in any tab keeps the session; one tab of the browser keeps
// the timer; the warning comes `warnBeforeMs` before the end in every tab, `staySignedIn()` in any
// tab starts the timeout over everywhere, and the end signs every tab out with reason `idle`.
// Everything runs on one virtual clock: tabs are clients with their own DOM event targets,
// sharing a memory lock and channel hub, as tabs share Web Locks and a BroadcastChannel.

const TIMEOUT = 60_000;
const WARN = 10_000;

/** A token server behind `fetch`: login and refresh answer a 10-minute token, logout 204. */
function tokenServer() {
  let issued = 0;
  const calls: string[] = [];
  const fetch = vi.fn((input: RequestInfo | URL) => {
    const path = new URL(input instanceof Request ? input.url : input).pathname;
    calls.push(path);
    if (path.endsWith('/logout')) return Promise.resolve(new Response(null, { status: 204 }));
    const body = { accessToken: `t${++issued}`, expiresIn: 600, user: USER };
    return Promise.resolve(Response.json(body));
  });
  return { fetch, calls };
}

/** Tabs of one browser on one virtual clock; `lagging` tabs read their channel only on `deliver()`. */
function browser(options: Partial<IdleOptions> = {}) {
  const clock = fakeRuntime();
  const server = tokenServer();
  const hub = createMemoryChannelHub<AuthUser>();
  const lock = createMemoryLock(clock.runtime);
  const posted: CrossTabMessage[] = [];
  const tab = ({ lagging = false } = {}) => {
    const channel: AuthChannel<AuthUser> = hub.connect();
    const post = channel.post.bind(channel);
    channel.post = (message) => {
      posted.push(message);
      post(message);
    };
    const inbox: Array<() => void> = [];
    if (lagging) {
      const subscribe = channel.subscribe.bind(channel);
      channel.subscribe = (listener) =>
        subscribe((message) => void inbox.push(() => listener(message)));
    }
    const page = new EventTarget();
    const idle = idleSignOut({ timeoutMs: TIMEOUT, warnBeforeMs: WARN, target: page, ...options });
    const client = createFetchClient<AuthUser>({
      baseURL: 'https://api.test/',
      fetch: server.fetch,
      runtime: clock.runtime,
      crossTab: { lock, channel },
      idle,
    });
    const warnings: IdleWarning[] = [];
    idle.on('idle-warning', (warning) => warnings.push(warning));
    const logouts: Array<{ remote: boolean; reason: string }> = [];
    client.on('logout', (event) => logouts.push(event));
    return {
      client,
      idle,
      warnings,
      logouts,
      /** The user does something in this tab. */
      act: (type = 'keydown') => page.dispatchEvent(new Event(type)),
      deliver: () => inbox.splice(0).forEach((handle) => handle()),
      status: () => client.getState().status,
    };
  };
  return { clock, server, tab, posted, now: () => clock.runtime.now() };
}

async function signedInTabs(options?: Partial<IdleOptions>) {
  const world = browser(options);
  const a = world.tab();
  const b = world.tab();
  await a.client.login({ email: USER.email, password: 'pw' });
  await settle();
  expect(b.status()).toBe('authenticated');
  // What the sign-in posted (the token, and each tab's activity) is not under test here.
  world.posted.length = 0;
  return { ...world, a, b, start: world.now() };
}

const logoutCalls = (calls: string[]) => calls.filter((path) => path.endsWith('/logout')).length;

describe('idleSignOut', () => {
  it('keeps the session while the user is active in another tab than the one with the timer', async () => {
    const { clock, a, b, start } = await signedInTabs();
    for (let i = 0; i < 6; i++) {
      await clock.advance(30_000);
      b.act('pointermove');
    }
    await clock.advance(30_000);
    // 210 s of use in tab B, 3.5 timeouts: tab A (which keeps the timer) neither warned nor ended.
    expect(a.status()).toBe('authenticated');
    expect(a.warnings).toEqual([]);
    expect(b.warnings).toEqual([]);
    expect(a.idle.getState()).toEqual({ endsAt: start + 180_000 + TIMEOUT, warning: false });
    expect(b.idle.getState()).toEqual(a.idle.getState());
  });

  it('warns every tab at timeout - warnBefore, with the time left', async () => {
    const { clock, a, b, start } = await signedInTabs();
    await clock.advance(TIMEOUT - WARN - 1);
    expect(a.idle.getState().warning).toBe(false);
    expect(b.idle.getState().warning).toBe(false);
    await clock.advance(1);
    const warning = { endsAt: start + TIMEOUT, msLeft: WARN };
    expect(a.warnings).toEqual([warning]);
    expect(b.warnings).toEqual([warning]);
    expect(b.idle.getState()).toEqual({ endsAt: start + TIMEOUT, warning: true });
    expect(b.idle.msLeft()).toBe(WARN);
    expect(a.status()).toBe('authenticated');
  });

  it('counts no ordinary activity once the warning is on: only staySignedIn() does, and it resets every tab', async () => {
    const { clock, now, a, b, start } = await signedInTabs();
    await clock.advance(TIMEOUT - WARN + 2_000);
    b.act();
    a.act();
    await settle();
    expect(a.idle.getState()).toEqual({ endsAt: start + TIMEOUT, warning: true });
    b.idle.staySignedIn();
    await settle();
    const endsAt = now() + TIMEOUT;
    expect(a.idle.getState()).toEqual({ endsAt, warning: false });
    expect(b.idle.getState()).toEqual({ endsAt, warning: false });
    await clock.advance(TIMEOUT - WARN - 1);
    expect(a.status()).toBe('authenticated');
    expect(a.warnings).toHaveLength(1);
    await clock.advance(1);
    expect(a.warnings).toHaveLength(2);
    expect(b.warnings.at(-1)).toEqual({ endsAt, msLeft: WARN });
  });

  it('signs every tab out at the end, with reason idle, and tells the server once', async () => {
    const { clock, server, posted, a, b } = await signedInTabs();
    await clock.advance(TIMEOUT - 1);
    expect(a.status()).toBe('authenticated');
    await clock.advance(1);
    expect(a.status()).toBe('unauthenticated');
    expect(b.status()).toBe('unauthenticated');
    // One tab keeps the timer: one warning posted, one sign-out, one call to the server.
    expect(posted.filter((message) => message.type === 'idle-warning')).toHaveLength(1);
    expect(logoutCalls(server.calls)).toBe(1);
    expect(
      [...a.logouts, ...b.logouts].sort((x, y) => Number(x.remote) - Number(y.remote)),
    ).toEqual([
      { remote: false, reason: 'idle' },
      { remote: true, reason: 'idle' },
    ]);
    expect(a.idle.getState()).toEqual({ endsAt: null, warning: false });
    expect(b.idle.getState()).toEqual({ endsAt: null, warning: false });
  });

  it('does not let activity after the end bring back a session whose timer ran late (a sleeping laptop)', async () => {
    const { clock, a, b } = await signedInTabs();
    clock.sleep(TIMEOUT + 5_000);
    b.act('pointerdown');
    await clock.advance(0);
    expect(a.status()).toBe('unauthenticated');
    expect(b.status()).toBe('unauthenticated');
    expect(b.logouts).toEqual([{ remote: true, reason: 'idle' }]);
  });

  it('hands the timer to another tab when its tab closes', async () => {
    const { clock, server, a, b, start } = await signedInTabs();
    await clock.advance(20_000);
    a.client.dispose();
    await clock.advance(TIMEOUT - WARN - 20_000);
    expect(b.warnings).toEqual([{ endsAt: start + TIMEOUT, msLeft: WARN }]);
    await clock.advance(WARN);
    expect(b.status()).toBe('unauthenticated');
    expect(b.logouts).toEqual([{ remote: false, reason: 'idle' }]);
    expect(logoutCalls(server.calls)).toBe(1);
  });

  it("takes a warning back when activity from before the warning's time reaches the timer's tab after it warned", async () => {
    const world = browser();
    const a = world.tab({ lagging: true });
    const b = world.tab();
    await a.client.login({ email: USER.email, password: 'pw' });
    await settle();
    const start = world.now();
    await world.clock.advance(TIMEOUT - WARN - 500);
    b.act();
    await world.clock.advance(500);
    // Tab A (the timer) warned before B's activity reached it; B, active before, ignores the warning.
    expect(a.idle.getState().warning).toBe(true);
    expect(b.idle.getState()).toEqual({ endsAt: start + 2 * TIMEOUT - WARN - 500, warning: false });
    a.deliver();
    expect(a.idle.getState()).toEqual(b.idle.getState());
    await world.clock.advance(WARN);
    expect(a.status()).toBe('authenticated');
  });

  it('ignores activity older than what a tab knows, even during the warning', async () => {
    const world = browser();
    const a = world.tab({ lagging: true });
    const b = world.tab();
    await a.client.login({ email: USER.email, password: 'pw' });
    await settle();
    a.deliver();
    const start = world.now();
    await world.clock.advance(10_000);
    b.act();
    await world.clock.advance(20_000);
    a.act();
    await world.clock.advance(TIMEOUT - WARN);
    expect(a.idle.getState()).toEqual({ endsAt: start + 30_000 + TIMEOUT, warning: true });
    // B's activity at 10 s reaches A (the timer's tab) only now: older than A's own, it is ignored.
    a.deliver();
    expect(a.idle.getState()).toEqual({ endsAt: start + 30_000 + TIMEOUT, warning: true });
    expect(a.status()).toBe('authenticated');
  });

  it('shows the warning in a tab opened while it is on', async () => {
    const { clock, tab, a, b, start } = await signedInTabs();
    await clock.advance(TIMEOUT - WARN + 1_000);
    const c = tab();
    await c.client.restore();
    await settle();
    expect(c.status()).toBe('authenticated');
    // Its opening counted too late: the timer's tab tells it the warning is on, and when it ends.
    expect(c.idle.getState()).toEqual({ endsAt: start + TIMEOUT, warning: true });
    expect(c.warnings).toEqual([{ endsAt: start + TIMEOUT, msLeft: WARN - 1_000 }]);
    // The tabs warned already are not warned twice.
    expect(b.warnings).toHaveLength(1);
    await clock.advance(WARN);
    expect(a.status()).toBe('unauthenticated');
    expect(c.status()).toBe('unauthenticated');
  });

  it('asks for the timer again after waiting for it longer than a lock request lasts (2^31 - 1 ms), never keeping it without the lock', async () => {
    const world = browser();
    const a = world.tab({ lagging: true });
    const b = world.tab();
    await world.clock.advance(2 ** 31);
    await a.client.login({ email: USER.email, password: 'pw' });
    await settle();
    world.posted.length = 0;
    await world.clock.advance(5_000);
    b.act();
    await world.clock.advance(TIMEOUT);
    // A keeps the timer (and never heard of B's activity: it lags); B, whose wait for the lock
    // ran out, did not take the timer without it: one warning, A's.
    expect(world.posted.filter((message) => message.type === 'idle-warning')).toHaveLength(1);
    a.client.dispose();
    await settle();
    await b.client.login({ email: USER.email, password: 'pw' });
    await world.clock.advance(TIMEOUT);
    expect(b.status()).toBe('unauthenticated');
    expect(b.logouts.at(-1)).toEqual({ remote: false, reason: 'idle' });
  });

  it('does not count a tab being hidden as activity', async () => {
    const { clock, posted, b } = await signedInTabs();
    vi.stubGlobal('document', { visibilityState: 'hidden' });
    try {
      await clock.advance(5_000);
      b.act('visibilitychange');
      expect(posted).toEqual([]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('counts one activity per second per tab, and a tab shown again but not one hidden', async () => {
    const { clock, posted, b, now } = await signedInTabs();
    await clock.advance(5_000);
    b.act('pointermove');
    b.act('wheel');
    await clock.advance(999);
    b.act('scroll');
    expect(posted.filter((message) => message.type === 'activity')).toEqual([
      { type: 'activity', at: now() - 999 },
    ]);
    await clock.advance(1);
    b.act('visibilitychange');
    expect(posted.filter((message) => message.type === 'activity')).toHaveLength(2);
    expect(b.idle.getState().endsAt).toBe(now() + TIMEOUT);
  });

  it('listens to the events it is given only', async () => {
    const { clock, posted, b } = await signedInTabs({ events: ['click'] });
    await clock.advance(5_000);
    b.act('keydown');
    expect(posted.filter((message) => message.type === 'activity')).toEqual([]);
    b.act('click');
    expect(posted.filter((message) => message.type === 'activity')).toHaveLength(1);
  });

  it('runs no timer while signed out, and starts the timeout at the sign-in', async () => {
    const world = browser();
    const a = world.tab();
    await world.clock.advance(TIMEOUT * 3);
    expect(a.idle.getState()).toEqual({ endsAt: null, warning: false });
    expect(world.clock.pendingTimers()).toBe(0);
    a.act();
    await a.client.login({ email: USER.email, password: 'pw' });
    expect(a.idle.getState()).toEqual({ endsAt: world.now() + TIMEOUT, warning: false });
  });

  it('stops with the client: no listener, no timer', async () => {
    const { clock, posted, a, b } = await signedInTabs();
    a.client.dispose();
    b.client.dispose();
    a.act();
    expect(posted.filter((message) => message.type === 'activity')).toEqual([]);
    await clock.advance(TIMEOUT * 2);
    expect(b.status()).toBe('authenticated');
  });

  it('refuses options that cannot work, and a second client', () => {
    expect(() => idleSignOut({ timeoutMs: 0, warnBeforeMs: 0 })).toThrow(AuthUsageError);
    expect(() => idleSignOut({ timeoutMs: 1000, warnBeforeMs: 1000 })).toThrow(/warnBeforeMs/);
    expect(() => idleSignOut({ timeoutMs: Number.NaN, warnBeforeMs: 0 })).toThrow(AuthUsageError);
    const idle = idleSignOut({ timeoutMs: 1000, warnBeforeMs: 0, target: new EventTarget() });
    createFetchClient({ baseURL: 'https://api.test/', crossTab: false, idle });
    expect(() =>
      createFetchClient({ baseURL: 'https://api.test/', crossTab: false, idle }),
    ).toThrow(/attached/);
  });
});
