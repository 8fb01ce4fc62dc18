import { createBrowserRecord } from '../browserRecord.js';
import type { AuthChannel } from '../channel.js';
import { AuthRequestError } from '../errors.js';
import { createMemoryChannelHub } from '../memoryChannel.js';
import { createMemoryLock, type LockFunc } from '../lock.js';
import type { AuthTransport, AuthUser, TokenSet } from '../types.js';
import { createTestSession, fakeRuntime, settle } from '@tokenlane/test-kit/fakes';

export const person = (name: string): AuthUser => ({
  id: name,
  email: `${name}@tokenlane.dev`,
  name,
  role: 'user',
});
export const as = (name: string) => ({ email: `${name}@tokenlane.dev`, password: 'pw' });
/** Whose token this is (`<user>-a<n>`). */
export const ownerOf = (token: string | null) => token?.split('-')[0] ?? null;

/**
 * A token server with users: each sign-in starts a family, every refresh rotates it (a rotated
 * token presented again revokes the family), logout revokes the presented family. With a cookie,
 * the browser's jar is read when a call is sent and written when its answer arrives. `hold()`
 * keeps refresh answers (the server acted already) back until `release()`.
 */
export function usersServer(where: 'cookie' | 'body') {
  let issued = 0;
  const family = new Map<string, { id: number; user: string; rotated: boolean }>();
  const revoked = new Set<number>();
  const jar = { cookie: null as string | null };
  const presented: Array<string | null> = [];
  const loggedOut: Array<string | null> = [];
  let gate: { promise: Promise<void>; open: () => void } | null = null;
  let failLogout: AuthRequestError | Error | null = null;

  const issue = (id: number, user: string): TokenSet<AuthUser> => {
    const refreshToken = `${user}-r${++issued}`;
    family.set(refreshToken, { id, user, rotated: false });
    return { accessToken: `${user}-a${issued}`, expiresIn: 600, user: person(user), refreshToken };
  };
  const answer = (set: TokenSet<AuthUser>) => {
    if (where === 'body') return set;
    jar.cookie = set.refreshToken ?? null;
    return { ...set, refreshToken: undefined };
  };
  let families = 0;
  const transport = {
    login: async (credentials: { email: string }) => {
      await Promise.resolve();
      return answer(issue(++families, credentials.email.split('@')[0]!));
    },
    refresh: async (token: string | null) => {
      const sent = where === 'cookie' ? jar.cookie : token;
      presented.push(sent);
      const outcome = ((): TokenSet<AuthUser> | AuthRequestError => {
        const found = family.get(sent ?? '');
        if (!found || revoked.has(found.id))
          return new AuthRequestError('invalid_grant', 'no', 401);
        if (found.rotated) {
          revoked.add(found.id);
          return new AuthRequestError('invalid_grant', 'reused', 401);
        }
        found.rotated = true;
        return issue(found.id, found.user);
      })();
      // The server has answered; the answer may be held on its way back.
      if (gate) await gate.promise;
      if (outcome instanceof AuthRequestError) throw outcome;
      return answer(outcome);
    },
    logout: async (token: string | null) => {
      const sent = where === 'cookie' ? jar.cookie : token;
      await Promise.resolve();
      if (failLogout) throw failLogout;
      loggedOut.push(sent);
      const found = family.get(sent ?? '');
      if (found) revoked.add(found.id);
      if (where === 'cookie') jar.cookie = null;
    },
  } satisfies AuthTransport<AuthUser, { email: string }>;
  return {
    transport,
    jar,
    presented,
    loggedOut,
    hold() {
      let open = () => {};
      gate = { promise: new Promise<void>((resolve) => (open = resolve)), open };
    },
    release() {
      gate?.open();
      gate = null;
    },
    failLogoutWith: (error: AuthRequestError | Error | null) => void (failLogout = error),
    /** Whether `user` has a family the server would still renew. */
    liveFamilies: () =>
      [...family.entries()]
        .filter(([, f]) => !f.rotated && !revoked.has(f.id))
        .map(([, f]) => f.user)
        .sort(),
  };
}

/** A channel whose messages wait in the receiving tab until `deliver()` (a late message). */
export function laggingChannel(channel: AuthChannel<AuthUser>) {
  const inbox: Array<() => void> = [];
  const subscribe = channel.subscribe.bind(channel);
  channel.subscribe = (listener) =>
    subscribe((message) => void inbox.push(() => listener(message)));
  channel.settle = () => settle();
  return { channel, deliver: () => inbox.splice(0).forEach((handle) => handle()) };
}

/**
 * Tabs of one browser on `server`: one clock, one `localStorage` for the browser's record, and
 * each its own lock (`sharedLock`: one for all) and a lagging channel.
 */
export function browser(
  server: ReturnType<typeof usersServer>,
  where: 'cookie' | 'body',
  { sharedLock = false, storage = true } = {},
) {
  const clock = fakeRuntime();
  const hub = createMemoryChannelHub<AuthUser>();
  const localStorage = new Map<string, string>();
  const lock: LockFunc = createMemoryLock(clock.runtime);
  const open = () => {
    const { channel, deliver } = laggingChannel(hub.connect());
    const session = createTestSession<AuthUser>({
      transport: server.transport,
      refreshTokenIn: where,
      runtime: clock.runtime,
      refreshLeewaySeconds: 30,
      lock: sharedLock ? lock : createMemoryLock(clock.runtime),
      channel,
      record: createBrowserRecord(
        'tokenlane:session',
        storage
          ? {
              getItem: (key) => localStorage.get(key) ?? null,
              setItem: (key, value) => void localStorage.set(key, value),
            }
          : undefined,
      ),
    });
    return Object.assign(session, { deliver, user: () => session.getState().user?.id ?? null });
  };
  return { clock, open, localStorage };
}
