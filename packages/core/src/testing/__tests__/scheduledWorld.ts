import type fc from 'fast-check';
import type { AuthChannel, CrossTabMessage } from '../../session/channel.js';
import type { Runtime } from '../../session/runtime.js';
import type { AuthUser } from '../../session/types.js';

// The world of interleavings.property.test.ts: a token server with a family of tokens per sign-in,
// and a cross-tab channel whose messages arrive when fast-check's scheduler says.

export const userOf = (name: string): AuthUser => ({
  id: name,
  email: `${name}@tokenlane.dev`,
  name,
  role: 'user',
});

/** A clock that never moves, and timers that never fire. */
export const stillTime: Runtime = {
  now: () => Date.UTC(2026, 10, 30),
  setTimeout: () => 0,
  clearTimeout: () => {},
  random: () => 0.5,
  onWake: () => () => {},
};

interface Family {
  user: string;
  generation: number;
  expired: boolean;
  revoked: boolean;
  rotations: number;
}
type Answer = { status: number; json?: Record<string, unknown> };

/**
 * The token server: a family of tokens per sign-in (`a<family>.<generation>`,
 * `r<family>.<generation>`), the refresh token rotated on every use, a rotated one presented again
 * refused (no grace) and counted; a sign-in revokes the family of the refresh token it is shown, a
 * sign-out the one it is handed. An access token of a revoked family still works until it expires,
 * as a JWT does: each answer says whom it ran as.
 */
export function createServer(refreshTokenIn: 'cookie' | 'body') {
  const families: Family[] = [];
  const log = { presentedAgain: 0 };
  const cookie = { value: null as string | null };
  const parse = (token: string | null | undefined) => {
    const [f, g] = (token ?? '').slice(1).split('.').map(Number);
    const family = families[f ?? -1];
    return family && { id: f!, family, current: g === family.generation };
  };
  const tokens = (id: number): Answer => {
    const { user, generation } = families[id]!;
    const [access, refresh] = [`a${id}.${generation}`, `r${id}.${generation}`];
    if (refreshTokenIn === 'cookie') cookie.value = refresh;
    return refreshTokenIn === 'body'
      ? { status: 200, json: { access, refresh, user: userOf(user) } }
      : { status: 200, json: { accessToken: access, user: userOf(user) } };
  };
  const revoke = (token: string | null | undefined) => {
    const found = parse(token);
    if (found) found.family.revoked = true;
  };
  return {
    log,
    families,
    /** Every access token handed out so far stops being accepted, as at its expiry. */
    expire: () => families.forEach((family) => (family.expired = true)),
    handle(path: string, body: Record<string, string>, authorization: string | null): Answer {
      const presented = refreshTokenIn === 'body' ? body.refresh : cookie.value;
      if (path === '/api/data') {
        const found = parse(authorization?.replace('Bearer ', ''));
        if (!found?.current || found.family.expired) return { status: 401 };
        return { status: 200, json: { ranAs: found.family.user } };
      }
      if (path === '/auth/login') {
        revoke(presented);
        const user = body.email!.split('@')[0]!;
        families.push({ user, generation: 0, expired: false, revoked: false, rotations: 0 });
        return tokens(families.length - 1);
      }
      if (path === '/auth/logout') {
        revoke(presented);
        return { status: 204 };
      }
      const found = parse(presented);
      if (!found || found.family.revoked || !found.current) {
        if (found && !found.family.revoked) log.presentedAgain++;
        return { status: 401 };
      }
      Object.assign(found.family, { expired: false, rotations: found.family.rotations + 1 });
      found.family.generation++;
      return tokens(found.id);
    },
  };
}

/** A hub whose messages arrive when the scheduler says; `settle()` waits for those on their way. */
export function scheduledChannels(s: fc.Scheduler) {
  const members = new Set<(message: CrossTabMessage<AuthUser>) => void>();
  const onTheirWay = new Set<Promise<void>>();
  return (): AuthChannel<AuthUser> => {
    let mine: ((message: CrossTabMessage<AuthUser>) => void) | undefined;
    return {
      post(message) {
        for (const deliver of members) {
          if (deliver === mine) continue;
          const copy = structuredClone(message);
          const arrival = s.schedule(Promise.resolve(), 'message').then(() => deliver(copy));
          onTheirWay.add(arrival);
          void arrival.finally(() => onTheirWay.delete(arrival));
        }
      },
      subscribe(listener) {
        mine = listener;
        members.add(listener);
        return () => members.delete(listener);
      },
      close: () => mine && members.delete(mine),
      settle: () => Promise.all([...onTheirWay]).then(() => {}),
    };
  };
}
