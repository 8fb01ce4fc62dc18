import { AuthRequestError } from '../../session/errors.js';
import { isExpiryAnswer } from '../../session/expiry.js';
import { createMemoryLock, type LockFunc } from '../../session/lock.js';
import type { ServerProfile } from '../../session/serverProfile.js';
import type { AuthUser, LoginCredentials, TokenSet } from '../../session/types.js';
import { createFetchClient, type FetchClient } from '../../fetch/createFetchClient.js';
import { createSimChannels, send, type NetworkState } from './simNetwork.js';
import { createSimServer, type SimAnswer } from './simServer.js';
import type { SessionSimulator, SimulatorOptions } from './types.js';
import { createWorld, seeded, type Place } from './world.js';
import { createSimTab, type SignOut, type SimRequests } from './simTab.js';

/** The user a simulated server knows by `name`. */
const userNamed = (name: string): AuthUser => ({
  id: name,
  email: `${name}@tokenlane.dev`,
  name,
  role: 'user',
});

/**
 * A deterministic world for the real client code: one virtual clock, tabs sharing a lock, a
 * channel and cookies, a server with rotation and reuse detection, and the faults browsers and
 * networks produce. Each tab is a real `createFetchClient`; nothing runs on real time.
 */
export function createSessionSimulator(options: SimulatorOptions = {}): SessionSimulator {
  const random = seeded(options.seed ?? 1);
  const inBody = options.refreshTokenIn === 'body';
  const world = createWorld(Date.UTC(2026, 0, 1), random);
  const lifetimeSeconds = options.sessionLifetimeSeconds ?? options.sessionLifetime;
  const server = createSimServer({
    ttlS: options.accessTokenTtlSeconds ?? options.accessTokenTtl ?? 60,
    reuse: options.reuse ?? 'strict',
    now: () => world.mono,
    sessionLifetimeMs: lifetimeSeconds === undefined ? undefined : lifetimeSeconds * 1000,
    revocation: options.revocation,
  });
  const net: NetworkState = {
    offline: false,
    latencyMs: options.latencyMs ?? 20,
    refreshFaults: [],
    tabFaults: new Map(),
    channelDelayMs: [0, 0],
    channelLossRate: 0,
  };
  const channels = createSimChannels<AuthUser>(world, net, random);
  // The browser's lock (Web Locks): its acquire timeouts run on the clock of the tab that waits,
  // which `lockFor` names just before the lock reads it (synchronously, as it arms the timeout).
  let waiting: Place | null = null;
  const browserLock = () =>
    createMemoryLock({
      setTimeout: (callback, ms) => world.schedule(waiting, ms, callback),
      clearTimeout: world.cancel,
    });
  const shared = browserLock();
  /** The lock as `place` sees it: a closed tab lets go of what it holds, and runs nothing more. */
  const lockFor =
    (place: Place, lock: LockFunc): LockFunc =>
    (name, ms, fn) => {
      waiting = place;
      return lock(
        name,
        ms,
        (grant) =>
          Promise.race([
            place.closed,
            // A grant reaches the tab when it runs: a sleeping or frozen tab holds it meanwhile.
            new Promise<void>((resolve) => world.deliver(place, resolve)).then(() => fn(grant)),
          ]) as ReturnType<typeof fn>,
      );
    };
  const cookie = { refreshToken: null as string | null };
  /** The browser's `localStorage`: every tab reads it at once. */
  const localStorage = new Map<string, string>();
  const recordStorage = {
    getItem: (key: string) => localStorage.get(key) ?? null,
    setItem: (key: string, value: string) => void localStorage.set(key, value),
  };
  const signOuts: SignOut[] = [];
  const requests: SimRequests = { sent: 0, succeeded: 0, failed: {}, pending: 0, asOtherUser: 0 };

  const toTokenSet = (answer: SimAnswer): TokenSet<AuthUser> => {
    if (answer.status === 503) throw new AuthRequestError('http_503', 'Unavailable', 503);
    if (answer.status !== 200) throw new AuthRequestError(answer.error, 'Refused', 401);
    return {
      accessToken: answer.accessToken,
      expiresIn: answer.expiresIn,
      user: userNamed(answer.user),
      sessionExpiresIn: answer.sessionExpiresIn,
      ...(inBody && { refreshToken: answer.refreshToken }),
    };
  };
  const keepCookie = (answer: SimAnswer) => {
    if (!inBody && answer.status === 200) cookie.refreshToken = answer.refreshToken;
  };

  function openTab(place: Place): FetchClient<AuthUser> {
    const call = <T>(handle: () => T, extra: Parameters<typeof send<T>>[4] = {}) =>
      send(world, net, place, handle, extra);
    const profile: ServerProfile<AuthUser, LoginCredentials> = {
      endpoints: { login: '/auth/login', refresh: '/auth/refresh', logout: '/auth/logout' },
      refreshToken: inBody ? 'body' : 'cookie',
      loginBody: (credentials) => credentials,
      refreshBody: () => ({}),
      logoutBody: () => ({}),
      parseTokenResponse: (data) => data as TokenSet<AuthUser>,
      authorization: (token) => ['Authorization', `Bearer ${token}`],
      isExpired: isExpiryAnswer,
      calls: () => ({
        login(credentials) {
          // As Tokenlane's API: a sign-in revokes the family of the cookie it was sent with.
          const presented = inBody ? null : cookie.refreshToken;
          return call(() => server.login(credentials.email.split('@')[0]!, presented), {
            onArrival: keepCookie,
          }).then(toTokenSet);
        },
        refresh(refreshToken) {
          const fault = net.tabFaults.get(place.id)?.shift() ?? net.refreshFaults.shift();
          // The browser attaches its cookie as the call leaves, not as it reaches the server.
          const presented = inBody ? refreshToken : cookie.refreshToken;
          const handle = (): SimAnswer => {
            if (fault === '5xx') return { status: 503 };
            if (fault === 'refused') server.revokeAll();
            return server.refresh(presented);
          };
          return call(handle, { fault, onArrival: keepCookie }).then(toTokenSet);
        },
        logout(refreshToken) {
          const presented = inBody ? refreshToken : cookie.refreshToken;
          return call(() => server.logout(presented), {
            // The server clears the cookie it was sent, not one set since.
            onArrival: () => {
              if (!inBody && cookie.refreshToken === presented) cookie.refreshToken = null;
            },
          });
        },
      }),
    };
    const fetchImpl = (input: RequestInfo | URL, init?: RequestInit) => {
      const token = new Headers(init?.headers).get('Authorization')?.replace(/^Bearer /, '');
      return call(() => server.api(token ?? null)).then((answer) =>
        answer.status === 200
          ? Response.json({ user: answer.user })
          : Response.json(
              { error: 'invalid_token' },
              { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } },
            ),
      );
    };
    return createFetchClient<AuthUser>({
      server: profile,
      baseURL: 'https://app.sim.invalid',
      runtime: world.runtimeFor(place),
      refreshLeewaySeconds: options.refreshLeewaySeconds ?? options.refreshLeeway ?? 10,
      crossTab: {
        // Without Web Locks, the client falls back to its own election over the channel.
        ...(options.sharedLock !== false && { lock: lockFor(place, shared) }),
        channel: channels.connect(place),
        storage: recordStorage,
      },
      fetch: fetchImpl,
    });
  }

  const newTab = () => {
    const place = world.place();
    return createSimTab({ world, place, client: openTab(place), signOuts, requests, net });
  };
  const tabs = Array.from({ length: options.tabs ?? 2 }, newTab);

  return {
    tabs,
    advance: (ms) => world.advance(ms),
    async sleep(ms) {
      tabs.forEach((tab) => tab.sleep());
      await world.advance(ms);
      tabs.forEach((tab) => tab.wake());
      await world.advance(0);
    },
    jumpClock: world.jumpWallClock,
    now: () => world.mono,
    async openTab() {
      const tab = newTab();
      tabs.push(tab);
      await world.until(tab.client.restore(), 'restore');
      return tab;
    },
    network: {
      offline: (on) => void (net.offline = on),
      failNextRefresh: (...faults) => void net.refreshFaults.push(...faults),
      channel({ delayMs, lossRate }) {
        if (delayMs) net.channelDelayMs = delayMs;
        if (lossRate !== undefined) net.channelLossRate = lossRate;
      },
      heal() {
        Object.assign(net, { offline: false, channelDelayMs: [0, 0], channelLossRate: 0 });
        const dropped = [
          ...net.refreshFaults.splice(0),
          ...[...net.tabFaults.values()].flatMap((faults) => faults.splice(0)),
        ];
        return { refreshFaults: dropped };
      },
    },
    revokeAll: server.revokeAll,
    isLive: (refreshToken) => server.isLive(refreshToken),
    liveSessions: server.liveUsers,
    report: () => ({
      ...server.log,
      presentedAgain: [...server.log.presentedAgain],
      requests: { ...requests, failed: { ...requests.failed } },
      signOuts: [...signOuts],
      messages: { ...channels.stats },
    }),
  };
}
