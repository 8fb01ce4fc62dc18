import { sessionEnd, type HeldToken } from './heldToken.js';
import { createRefreshScheduler, refreshDueAt } from './refreshScheduler.js';
import type { Runtime } from './runtime.js';
import { NO_SESSION, type SessionMark } from './sessionMark.js';
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
   * The session this tab belongs to (or the sign-out it saw last): a refresh that began in another
   * session must not land, a request begun in one must not go out in another.
   */
  readonly mark: SessionMark;
  /** Moves to another session (a sign-in, a sign-out, a restore naming one). */
  setMark: (mark: SessionMark) => void;
  /** Whether `token` was held in the current session (a request sent with it may retry in it). */
  heldInSession: (token: string) => boolean;
  /** The stamp of the token it holds: renewals of one session are ordered by it. */
  readonly order: { at: number };
  /**
   * A stamp for a renewal this tab holds now, later than any it has seen (a Lamport clock on the
   * wall clock): it orders renewals of one session only, never one session against another.
   */
  stamp: () => number;
  readonly store: SessionStore<TUser>;
  /** Holds `held`, publishes the state and arms the proactive refresh. */
  hold: (held: HeldToken<TUser>) => void;
  /** Forgets the token and the user (the session says which mark it leaves behind). */
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
 * A token holder whose proactive refresh calls `onDue` (`refreshLeewaySeconds` in seconds), and that
 * reports every change of the held refresh token to `onRefreshToken` (for storage).
 */
export function createTokenHolder<TUser>(
  runtime: Runtime,
  refreshLeewaySeconds: number,
  onDue: () => void,
  onRefreshToken: (refreshToken: string | null) => void = () => {},
): TokenHolder<TUser> {
  const store = createSessionStore<TUser>();
  const scheduler = createRefreshScheduler(runtime, onDue);
  let token: string | null = null;
  let refreshToken: string | null = null;
  let mark = NO_SESSION;
  /** The tokens held in the current session. */
  let sessionTokens = new Set<string>();
  const setMark = (next: SessionMark) => {
    if (next.sid !== mark.sid || next.seq !== mark.seq) sessionTokens = new Set();
    mark = next;
  };
  const order = { at: 0 };
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
    get mark() {
      return mark;
    },
    setMark,
    heldInSession: (candidate) => sessionTokens.has(candidate),
    order,
    stamp,
    store,
    hold(held) {
      const sameSession = held.sid === undefined || held.sid === mark.sid;
      const knownEnd = sameSession ? store.getState().sessionEndsAt : null;
      if (held.seq !== undefined && held.sid !== undefined)
        setMark({ seq: held.seq, sid: held.sid });
      token = held.token;
      sessionTokens.add(token);
      order.at = held.at ?? stamp();
      latest = Math.max(latest, order.at);
      // One assignment: a rotated refresh token replaces the old one at once.
      if (held.refreshToken !== undefined) setRefreshToken(held.refreshToken);
      store.set({
        status: 'authenticated',
        user: held.user,
        expiresAt: held.expiresAt,
        sessionEndsAt: sessionEnd(knownEnd, held.sessionEndsAt ?? null, held.endExact),
      });
      scheduler.schedule(
        held.expiresAt === null || held.lifetimeMs === null
          ? null
          : refreshDueAt(
              held.expiresAt,
              held.lifetimeMs,
              refreshLeewaySeconds * 1000,
              runtime.random(),
            ),
      );
    },
    clear() {
      token = null;
      order.at = 0;
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
