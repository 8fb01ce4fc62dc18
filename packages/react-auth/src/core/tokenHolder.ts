import type { HeldToken } from './heldToken.js';
import { createRefreshScheduler, refreshDueAt } from './refreshScheduler.js';
import type { Runtime } from './runtime.js';
import { createSessionStore, type SessionStore } from './sessionStore.js';

/** What one tab holds: the access token (memory only), the state it publishes, the renewal timer. */
export interface TokenHolder<TUser> {
  /** The access token, or `null` when signed out (or not yet restored). */
  readonly token: string | null;
  /** The refresh token handed in the body (`refreshToken: 'body'` profiles), else `null`. */
  readonly refreshToken: string | null;
  /** Takes a refresh token found in storage (page load), before the restore that uses it. */
  adoptRefreshToken: (refreshToken: string) => void;
  /**
   * Changes on every sign-in and sign-out, so a refresh that began before can tell it must not
   * land: it would bring back a session that ended (or was replaced) meanwhile.
   */
  readonly epoch: number;
  /**
   * Where this tab stands in the browser's order of events: the stamp of the token it holds (or
   * of its sign-out), and of the sign-in its session began with (unknown after a restore).
   */
  readonly order: { at: number; since: number | undefined };
  /**
   * A stamp for what this tab does now, later than any it has seen (a Lamport clock on the wall
   * clock): tabs order each other's tokens and sign-outs by it, even if the system clock jumps.
   */
  stamp: () => number;
  readonly store: SessionStore<TUser>;
  /** Holds `held`, publishes the state and arms the proactive refresh. */
  hold: (held: HeldToken<TUser>) => void;
  /** Starts a new session generation (a login) without changing what is held. */
  beginEpoch: () => void;
  /** Forgets the token and the user; a refresh in flight can no longer land. */
  clear: () => void;
  /** No token, and no verdict either: the server could not be reached to restore the session. */
  markUnreachable: () => void;
  isSignedIn: () => boolean;
  hasExpired: () => boolean;
  /** A token is held, but its proactive refresh is due or it has expired. */
  isRenewalDue: () => boolean;
  /** A token is held and lives at least `ms` longer. */
  outlives: (ms: number) => boolean;
  /** Treats the token as expired now: the state says so, and the next request renews it. */
  expireNow: () => void;
  /** Re-arms the proactive refresh for `dueAt` (epoch ms). */
  renewAt: (dueAt: number) => void;
  dispose: () => void;
}

const SIGNED_OUT = {
  status: 'unauthenticated',
  user: null,
  expiresAt: null,
  sessionEndsAt: null,
} as const;
const UNREACHABLE = { ...SIGNED_OUT, status: 'unreachable' } as const;

/**
 * A token holder whose proactive refresh calls `onDue` (`refreshLeeway` in seconds), and that
 * reports every change of the held refresh token to `onRefreshToken` (for storage).
 */
export function createTokenHolder<TUser>(
  runtime: Runtime,
  refreshLeeway: number,
  onDue: () => void,
  onRefreshToken: (refreshToken: string | null) => void = () => {},
): TokenHolder<TUser> {
  const store = createSessionStore<TUser>();
  const scheduler = createRefreshScheduler(runtime, onDue);
  let token: string | null = null;
  let refreshToken: string | null = null;
  let epoch = 0;
  const order: { at: number; since: number | undefined } = { at: 0, since: undefined };
  let latest = 0;
  const stamp = () => (latest = Math.max(runtime.now(), latest + 1));
  const setRefreshToken = (next: string | null) => {
    if (next === refreshToken) return;
    refreshToken = next;
    onRefreshToken(next);
  };
  const expiresAt = () => store.getState().expiresAt;
  const hasExpired = () => {
    const at = expiresAt();
    return at !== null && runtime.now() >= at;
  };

  return {
    get token() {
      return token;
    },
    get refreshToken() {
      return refreshToken;
    },
    adoptRefreshToken: (found) => void (refreshToken = found),
    get epoch() {
      return epoch;
    },
    order,
    stamp,
    store,
    hold(held) {
      token = held.token;
      order.at = held.at ?? stamp();
      latest = Math.max(latest, order.at);
      order.since = held.since ?? order.since;
      // One assignment: a rotated refresh token replaces the old one at once.
      if (held.refreshToken !== undefined) setRefreshToken(held.refreshToken);
      store.set({
        status: 'authenticated',
        user: held.user,
        expiresAt: held.expiresAt,
        sessionEndsAt: held.sessionEndsAt ?? null,
      });
      scheduler.schedule(
        held.expiresAt === null || held.lifetimeMs === null
          ? null
          : refreshDueAt(held.expiresAt, held.lifetimeMs, refreshLeeway * 1000, runtime.random()),
      );
    },
    beginEpoch: () => void epoch++,
    clear() {
      epoch++;
      token = null;
      order.at = stamp();
      order.since = undefined;
      setRefreshToken(null);
      scheduler.schedule(null);
      store.set(SIGNED_OUT);
    },
    markUnreachable: () => store.set(UNREACHABLE),
    isSignedIn: () => store.getState().status === 'authenticated',
    hasExpired,
    isRenewalDue: () => token !== null && (scheduler.isDue() || hasExpired()),
    outlives(ms) {
      const at = expiresAt();
      return token !== null && at !== null && at > runtime.now() + ms;
    },
    renewAt: (dueAt) => scheduler.schedule(dueAt),
    expireNow() {
      if (token === null) return;
      const now = runtime.now();
      store.set({ ...store.getState(), expiresAt: now });
      // As after a laptop's sleep: nothing renews it until the next request needs it.
      scheduler.schedule(null);
    },
    dispose: () => scheduler.dispose(),
  };
}
