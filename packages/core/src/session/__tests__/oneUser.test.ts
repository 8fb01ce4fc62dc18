import { describe, expect, it, vi } from 'vitest';
import { AuthRequestError } from '../errors.js';
import { settle } from '@tokenlane/test-kit/fakes';
import { as, browser, ownerOf, usersServer } from './usersFakes.js';

// Issue 31's findings, each a regression test through the session's public API: a session belongs
// to one user, and a sign-in or sign-out is never undone by anything that began before it.

const codeOf = (error: unknown) => (error as { code?: string }).code;

/** Two tabs signed in as bob; tab a's refresh is answered and held on its way back. */
async function bobWaitsOnARefresh() {
  const server = usersServer('cookie');
  const { clock, open } = browser(server, 'cookie');
  const [a, b] = [open(), open()];
  await a.login(as('bob'));
  b.deliver();
  server.hold();
  void a.refresh({ force: true }).catch(() => undefined);
  await settle();
  return { server, clock, a, b };
}

describe('a session belongs to one user', () => {
  it.each(['cookie', 'body'] as const)(
    'finding 1 (%s): a refresh of alice that lands after carol signed in elsewhere is dropped; every tab shows carol',
    async (where) => {
      const server = usersServer(where);
      const { open } = browser(server, where);
      const [a, b] = [open(), open()];
      await a.login(as('alice'));
      b.deliver();
      server.hold();
      const renewing = a.refresh({ force: true }).catch(codeOf);
      await settle();
      await b.login(as('carol'));
      server.release();
      await settle();
      a.deliver();
      b.deliver();
      await settle();
      expect(await renewing).toBe('session_changed');
      expect([a.user(), b.user()]).toEqual(['carol', 'carol']);
      expect(ownerOf(a.readyAccessToken() ?? null)).toBe('carol');
      expect(ownerOf(b.readyAccessToken() ?? null)).toBe('carol');
    },
  );

  it('finding 2: a request begun as bob that waits for a refresh fails typed when alice signs in elsewhere; it never gets her token', async () => {
    const { server, a, b } = await bobWaitsOnARefresh();
    const bobsRequest = a.getAccessToken().then(ownerOf, codeOf);
    const bobsRetry = a.renewAfterRejection(a.readyAccessToken() ?? 'bob-a1').then(ownerOf, codeOf);
    await b.login(as('alice'));
    a.deliver();
    server.release();
    await settle();
    expect(await bobsRequest).toBe('session_changed');
    expect(await bobsRetry).toBe('session_changed');
    expect(a.user()).toBe('alice');
  });

  it('a request begun as bob that waited out the refresh (30 s) while alice signed in elsewhere fails session_changed, not refresh_failed', async () => {
    const { server, clock, a, b } = await bobWaitsOnARefresh();
    const waiting = a.getAccessToken().then(ownerOf, codeOf);
    await b.login(as('alice'));
    a.deliver();
    await clock.advance(30_000);
    expect(await waiting).toBe('session_changed');
    server.release();
  });

  it('finding 3: a refresh that waited for the lock through a sign-in presents nothing of the new session, which lives on', async () => {
    const server = usersServer('body');
    const { clock, open } = browser(server, 'body', { sharedLock: true });
    const [a, b, c] = [open(), open(), open()];
    await a.login(as('alice'));
    b.deliver();
    c.deliver();
    server.hold();
    void b.refresh({ force: true }).catch(() => undefined);
    await settle();
    // Carol signs in in C, and A renews alice's session: both wait for B's refresh, in that order.
    const login = c.login(as('carol'));
    await settle();
    const stale = a.refresh({ force: true }).catch(codeOf);
    await settle();
    a.deliver();
    server.release();
    await login;
    await clock.advance(100);
    [a, b, c].forEach((tab) => tab.deliver());
    await clock.advance(100);
    expect(await stale).toBe('session_changed');
    expect(server.presented.filter((token) => ownerOf(token) === 'carol')).toEqual([]);
    expect([a.user(), b.user(), c.user()]).toEqual(['carol', 'carol', 'carol']);
    expect(await a.getAccessToken()).toMatch(/^carol-/);
  });

  it("finding 4: the new user's first requests after a sign-in in the same tab do not share the old session's refresh", async () => {
    const server = usersServer('body');
    const { clock, open } = browser(server, 'body');
    const a = open();
    await a.login(as('alice'));
    server.hold();
    const old = a.refresh({ force: true }).catch(codeOf);
    await settle();
    const login = a.login(as('bob'));
    await clock.advance(30_000);
    await login;
    const first = a.getAccessToken().then(ownerOf, codeOf);
    await settle();
    server.release();
    await clock.advance(100);
    expect(await first).toBe('bob');
    expect(await old).toBe('session_changed');
    expect(a.getState().status).toBe('authenticated');
  });

  it('finding 5: a tab that logged out stays out when a renewal of its session, answered before the logout and held on its way, lands after it', async () => {
    const server = usersServer('cookie');
    const { clock, open } = browser(server, 'cookie', { storage: false });
    const [a, b] = [open(), open()];
    await a.login(as('alice'));
    b.deliver();
    server.hold();
    const renewing = b.refresh({ force: true });
    await settle();
    await a.logout();
    await clock.advance(1_000);
    server.release();
    await renewing;
    a.deliver();
    await settle();
    expect(a.getState().status).toBe('unauthenticated');
    b.deliver();
    await settle();
    expect(b.getState().status).toBe('unauthenticated');
  });

  it('finding 6: a sign-in elsewhere reaches a tab whose restore was refused meanwhile', async () => {
    const server = usersServer('cookie');
    const { open } = browser(server, 'cookie', { storage: false });
    const [a, b] = [open(), open()];
    await b.login(as('carol'));
    // A's page-load restore is refused (its cookie was not carol's yet) after B's message left.
    server.jar.cookie = 'nobody';
    await a.restore();
    a.deliver();
    await settle();
    expect(a.user()).toBe('carol');
  });

  it("a page opened later restores into the browser's session, under its id (not a new one)", async () => {
    const server = usersServer('cookie');
    const { open, localStorage } = browser(server, 'cookie');
    const a = open();
    await a.login(as('alice'));
    const signedIn = localStorage.get('tokenlane:session');
    expect((JSON.parse(signedIn!) as { seq: number }).seq).toBe(1);
    const c = open();
    await c.restore();
    expect(c.user()).toBe('alice');
    expect(localStorage.get('tokenlane:session')).toBe(signedIn);
    // Its renewals are the session's: the first page takes them.
    const renewed = await c.refresh({ force: true });
    a.deliver();
    await settle();
    expect(a.readyAccessToken()).toBe(renewed);
  });

  it('finding 7: signing in over a live session revokes the family it replaces (refresh token in the body)', async () => {
    const server = usersServer('body');
    const { open } = browser(server, 'body');
    const a = open();
    await a.login(as('alice'));
    await a.login(as('bob'));
    await settle();
    expect(server.liveFamilies()).toEqual(['bob']);
  });

  it('finding 8: a clock set back does not let a late sign-in message outrank a later logout', async () => {
    const server = usersServer('cookie');
    const { clock, open } = browser(server, 'cookie');
    const [a, b] = [open(), open()];
    await a.login(as('alice'));
    const now = clock.runtime.now();
    clock.runtime.now = () => now - 3_600_000;
    await b.logout();
    a.deliver();
    b.deliver();
    await settle();
    expect([a.getState().status, b.getState().status]).toEqual([
      'unauthenticated',
      'unauthenticated',
    ]);
  });

  it("finding 10: a session the server refused reaches the other tabs with its reason ('remote'), and the tab that saw it says so too", async () => {
    const server = usersServer('cookie');
    const { open } = browser(server, 'cookie');
    const [a, b] = [open(), open()];
    await a.login(as('alice'));
    b.deliver();
    const [seenA, seenB] = [vi.fn(), vi.fn()];
    a.on('logout', seenA);
    b.on('logout', seenB);
    server.jar.cookie = 'revoked';
    await a.refresh({ force: true }).catch(() => undefined);
    b.deliver();
    expect(seenA).toHaveBeenCalledExactlyOnceWith({ remote: false, reason: 'remote' });
    expect(seenB).toHaveBeenCalledExactlyOnceWith({ remote: true, reason: 'remote' });
  });

  it('finding 11: a sign-out the server did not confirm sticks: a new page does not restore the session, and tells the server again', async () => {
    const server = usersServer('cookie');
    const { clock, open } = browser(server, 'cookie');
    const a = open();
    await a.login(as('alice'));
    server.failLogoutWith(new AuthRequestError('store_unavailable', 'down', 503));
    await a.logout();
    expect(server.liveFamilies()).toEqual(['alice']);
    // Reloaded: the page that signed out is gone; the new one takes over the telling.
    a.dispose();
    const reloaded = open();
    server.failLogoutWith(new TypeError('offline'));
    expect((await reloaded.restore()).status).toBe('unauthenticated');
    expect(server.presented).toEqual([]);
    server.failLogoutWith(null);
    await clock.advance(2_000);
    expect(server.liveFamilies()).toEqual([]);
    // Confirmed: the next page restores as usual (and finds no session).
    const later = open();
    expect((await later.restore()).status).toBe('unauthenticated');
    expect(server.presented).toEqual([null]);
  });
});
