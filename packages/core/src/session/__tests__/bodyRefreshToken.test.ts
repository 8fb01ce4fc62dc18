import { describe, expect, it } from 'vitest';
import { AuthRequestError, SessionChangedError } from '../errors.js';
import { createMemoryChannelHub } from '../memoryChannel.js';
import { createMemoryLock } from '../lock.js';
import { LOGOUT_FLIGHT_WAIT_MS } from '../sessionOptions.js';
import type { TokenStorage } from '../tokenStorage.js';
import type { AuthTransport, AuthUser, LoginCredentials } from '../types.js';
import { createTestSession, fakeRuntime, settle, USER } from '@tokenlane/test-kit/fakes';

/**
 * A server that hands the refresh token in the body and rotates it on every refresh, as
 * simplejwt with rotation and blacklisting does: presenting a rotated one is refused (and noted).
 */
function rotatingServer() {
  let issued = 0;
  let current: string | null = null;
  const presented: Array<string | null> = [];
  const reused: Array<string | null> = [];
  const answer = () => {
    issued++;
    current = `r${issued}`;
    return { accessToken: `t${issued}`, expiresIn: 600, user: USER, refreshToken: current };
  };
  const transport: AuthTransport<AuthUser, LoginCredentials> = {
    login: () => Promise.resolve(answer()),
    refresh(refreshToken) {
      presented.push(refreshToken);
      if (refreshToken === null || refreshToken !== current) {
        reused.push(refreshToken);
        return Promise.reject(new AuthRequestError('token_not_valid', 'blacklisted', 401));
      }
      return Promise.resolve(answer());
    },
    logout: () => Promise.resolve(),
  };
  return { transport, presented, reused, current: () => current };
}

/** A Web Storage stand-in, shared by the "tabs" of one browser. */
function memoryStorage(): TokenStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

const credentials = { email: USER.email, password: 'pw' };

describe('a refresh token handed in the body', () => {
  it('is presented on refresh and replaced by each rotated one: never a rotated token twice', async () => {
    const server = rotatingServer();
    const session = createTestSession({
      transport: server.transport,
      runtime: fakeRuntime().runtime,
      refreshLeewaySeconds: 30,
      refreshTokenIn: 'body',
    });
    await session.login(credentials);
    for (let i = 0; i < 3; i++) await session.refresh();
    expect(server.presented).toEqual(['r1', 'r2', 'r3']);
    expect(server.reused).toEqual([]);
    session.dispose();
  });

  it('two tabs share each rotation over the channel: one refresh at a time, zero reuse', async () => {
    const server = rotatingServer();
    const clock = fakeRuntime();
    const lock = createMemoryLock();
    const hub = createMemoryChannelHub<AuthUser>();
    const tab = () =>
      createTestSession({
        transport: server.transport,
        runtime: clock.runtime,
        refreshLeewaySeconds: 30,
        refreshTokenIn: 'body',
        lock,
        channel: hub.connect(),
      });
    const a = tab();
    const b = tab();
    await a.login(credentials);
    await settle();
    for (let i = 0; i < 4; i++) {
      // Each tab in turn, and both at once: the waiting one adopts the other's tokens.
      await (i % 2 === 0 ? a : b).refresh({ force: true });
      await Promise.all([a.refresh({ force: true }), b.refresh()]);
      await settle();
    }
    expect(server.reused).toEqual([]);
    expect(await a.getAccessToken()).toBe(await b.getAccessToken());
    a.dispose();
    b.dispose();
  });

  it('with storage, a new client in the same browser restores the session without a login', async () => {
    const server = rotatingServer();
    const storage = memoryStorage();
    const options = {
      transport: server.transport,
      refreshLeewaySeconds: 30,
      refreshTokenIn: 'body' as const,
      storage,
      storageKey: 'k',
    };
    const first = createTestSession({ ...options, runtime: fakeRuntime().runtime });
    await first.login(credentials);
    await settle();
    expect(storage.items.get('k')).toBe('r1');
    first.dispose();

    const reloaded = createTestSession({ ...options, runtime: fakeRuntime().runtime });
    expect(await reloaded.restore()).toMatchObject({ status: 'authenticated', user: USER });
    await settle();
    expect(server.presented).toEqual(['r1']);
    expect(storage.items.get('k')).toBe('r2');
    await reloaded.logout();
    await settle();
    expect(storage.items.has('k')).toBe(false);
    reloaded.dispose();
  });

  it("without a storageKey, keeps it under 'tokenlane:refresh'; a storage that throws loses nothing", async () => {
    const server = rotatingServer();
    const storage = memoryStorage();
    const session = createTestSession({
      transport: server.transport,
      runtime: fakeRuntime().runtime,
      refreshLeewaySeconds: 30,
      refreshTokenIn: 'body',
      storage,
    });
    await session.login(credentials);
    await settle();
    expect([...storage.items]).toEqual([['tokenlane:refresh', 'r1']]);
    storage.setItem = () => {
      throw new Error('QuotaExceededError');
    };
    expect(await session.refresh()).toBe('t2');
    await settle();
    expect(session.getState().status).toBe('authenticated');
    expect([...storage.items]).toEqual([['tokenlane:refresh', 'r1']]);
    session.dispose();
  });

  it('in memory only (the default), a new client does not restore, and asks the server nothing', async () => {
    const server = rotatingServer();
    const first = createTestSession({
      transport: server.transport,
      runtime: fakeRuntime().runtime,
      refreshLeewaySeconds: 30,
      refreshTokenIn: 'body',
    });
    await first.login(credentials);
    const reloaded = createTestSession({
      transport: server.transport,
      runtime: fakeRuntime().runtime,
      refreshLeewaySeconds: 30,
      refreshTokenIn: 'body',
    });
    expect(await reloaded.restore()).toEqual({
      status: 'unauthenticated',
      user: null,
      expiresAt: null,
      sessionEndsAt: null,
    });
    expect(server.presented).toEqual([]);
    first.dispose();
    reloaded.dispose();
  });
});

describe('logout while a refresh is in flight', () => {
  /** A server whose refresh answers only when the test says so, recording every revocation. */
  function gatedServer(inBody: boolean) {
    const revoked: Array<string | null> = [];
    let release = () => {};
    const answered = new Promise<void>((resolve) => (release = resolve));
    const set = (n: number) => ({
      accessToken: `t${n}`,
      expiresIn: 600,
      user: USER,
      ...(inBody ? { refreshToken: `r${n}` } : {}),
    });
    const transport: AuthTransport<AuthUser, LoginCredentials> = {
      login: () => Promise.resolve(set(0)),
      refresh: () => answered.then(() => set(1)),
      logout: (refreshToken) => {
        revoked.push(refreshToken);
        return Promise.resolve();
      },
    };
    return { transport, revoked, release };
  }

  /** A body-token session on `server`, signed in. */
  async function signedIn(
    server: ReturnType<typeof gatedServer>,
    clock: ReturnType<typeof fakeRuntime>,
  ) {
    const session = createTestSession({
      transport: server.transport,
      runtime: clock.runtime,
      refreshLeewaySeconds: 30,
      refreshTokenIn: 'body',
    });
    await session.login(credentials);
    return session;
  }

  it('revokes the refresh token that the refresh is handed as it lands, before logout resolves', async () => {
    const server = gatedServer(true);
    const clock = fakeRuntime();
    const session = await signedIn(server, clock);
    const refreshing = session.refresh({ force: true }).catch((error: unknown) => error);
    await settle();
    let loggedOut = false;
    const out = session.logout().then(() => (loggedOut = true));
    await settle();
    expect(server.revoked).toEqual(['r0']);
    expect(session.getState().status).toBe('unauthenticated');
    expect(loggedOut).toBe(false);
    server.release();
    await out;
    expect(server.revoked).toEqual(['r0', 'r1']);
    expect(await refreshing).toBeInstanceOf(SessionChangedError);
    expect(session.getState().status).toBe('unauthenticated');
    expect(clock.pendingTimers()).toBe(0);
    session.dispose();
  });

  it('waits at most LOGOUT_FLIGHT_WAIT_MS for a refresh that does not answer', async () => {
    const server = gatedServer(true);
    const clock = fakeRuntime();
    const session = await signedIn(server, clock);
    void session.refresh({ force: true }).catch(() => undefined);
    await settle();
    let loggedOut = false;
    void session.logout().then(() => (loggedOut = true));
    await clock.advance(LOGOUT_FLIGHT_WAIT_MS - 1);
    expect(loggedOut).toBe(false);
    await clock.advance(1);
    expect(loggedOut).toBe(true);
    // When it lands at last, what it was handed is revoked all the same.
    server.release();
    await settle();
    expect(server.revoked).toEqual(['r0', 'r1']);
    session.dispose();
  });

  it('with a body token the server did not rotate, revokes nothing more (the held one is revoked)', async () => {
    const server = gatedServer(true);
    const rotating = server.transport.refresh.bind(server.transport);
    server.transport.refresh = async (token) => {
      const { refreshToken: _, ...set } = await rotating(token);
      return set;
    };
    const session = await signedIn(server, fakeRuntime());
    const refreshing = session.refresh({ force: true }).catch(() => undefined);
    await settle();
    const out = session.logout();
    server.release();
    await Promise.all([out, refreshing]);
    expect(server.revoked).toEqual(['r0']);
    session.dispose();
  });

  it('with a cookie, sends one logout and no other (the server revoked the family)', async () => {
    const server = gatedServer(false);
    const session = createTestSession({
      transport: server.transport,
      runtime: fakeRuntime().runtime,
      refreshLeewaySeconds: 30,
    });
    await session.login(credentials);
    const refreshing = session.refresh({ force: true }).catch(() => undefined);
    await settle();
    const out = session.logout();
    server.release();
    await Promise.all([out, refreshing]);
    expect(server.revoked).toEqual([null]);
    session.dispose();
  });
});
