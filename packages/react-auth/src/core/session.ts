import { createCrossTabHandler } from './crossTabSync.js';
import { createEmitter } from './emitter.js';
import { RefreshFailedError, type SessionExpiredError } from './errors.js';
import { toHeldToken } from './heldToken.js';
import { createWebLock } from './lock.js';
import type { SessionPort } from './port.js';
import { createRefreshFlight } from './refreshFlight.js';
import { createRequestTokens } from './requestTokens.js';
import { createRetryTimer } from './retryTimer.js';
import { createTokenHolder } from './tokenHolder.js';
import {
  LOGOUT_FLIGHT_WAIT_MS,
  PROACTIVE_RETRY_MS,
  RESTORE_RETRY_MS,
  type SessionOptions,
} from './sessionOptions.js';
import type { AuthEvents, LogoutReason, Session, TokenSet } from './types.js';
import { within } from './within.js';

/** The session and the port its transport adapters use, sharing one state. */
export function createSession<TUser, TCredentials>(
  options: SessionOptions<TUser, TCredentials>,
): {
  session: Session<TUser, TCredentials>;
  port: SessionPort;
  /** Signs out (here, in the other tabs, at the server) for `reason`: what `logout()` does for `user`. */
  end: (reason: LogoutReason) => Promise<void>;
} {
  const { transport, runtime, channel, storage, storageKey = 'tokenlane:refresh' } = options;
  const inBody = options.refreshTokenIn === 'body';
  const events = createEmitter<AuthEvents<TUser>>();
  const held = createTokenHolder<TUser>(
    runtime,
    options.refreshLeeway,
    () => {
      refresh('scheduled').catch(retryProactiveLater);
    },
    (refreshToken) => {
      // Storage is best effort: the session lives in memory either way.
      const write = () =>
        refreshToken === null
          ? storage?.removeItem(storageKey)
          : storage?.setItem(storageKey, refreshToken);
      void Promise.resolve()
        .then(write)
        .catch(() => undefined);
    },
  );
  const { store } = held;

  function retryProactiveLater() {
    // Expiry itself is reported through events; a failed proactive refresh only tries again.
    if (held.outlives(PROACTIVE_RETRY_MS)) held.renewAt(runtime.now() + PROACTIVE_RETRY_MS);
  }

  /** Holds a token the server just issued (by a sign-in: its session's first), and tells the other tabs. */
  function acceptTokenSet(set: TokenSet<TUser>, signIn?: boolean) {
    const at = held.stamp();
    const { user, sessionEndsAt } = store.getState();
    const token = {
      // A renewal that does not say when the session ends keeps the end its session had.
      ...(!signIn && sessionEndsAt !== null && { sessionEndsAt }),
      ...toHeldToken(set, user, runtime.now()),
      at,
      since: signIn ? at : held.order.since,
    };
    held.hold(token);
    channel?.post({ type: 'token', ...token });
  }

  /** Signs out in this tab; if a live session ended, `announce` tells whoever must know, once. */
  function signOut(announce: () => void) {
    const wasSignedIn = held.isSignedIn();
    held.clear();
    if (wasSignedIn) announce();
  }

  /** The server refused to renew: sign out here and in the other tabs, and report it. */
  const expireSession = (error: SessionExpiredError) =>
    signOut(() => {
      channel?.post({ type: 'logout', at: held.order.at });
      events.emit('session-expired', { error });
      options.onSessionExpired?.(error);
    });

  const { flight, refresh } = createRefreshFlight<TUser>({
    transport,
    held,
    runtime,
    lock: options.lock ?? createWebLock(),
    channel,
    events,
    inBody,
    accept: acceptTokenSet,
    expire: expireSession,
  });
  /** Retries of a restore that could not reach the server: on a timer, and on wake (online, focus). */
  const restoreRetry = createRetryTimer(runtime, RESTORE_RETRY_MS, () => {
    if (store.getState().status === 'unreachable') void session.restore();
    else restoreRetry.disarm(true);
  });

  const unsubscribeChannel = channel?.subscribe(
    createCrossTabHandler<TUser>({
      currentToken: () => held.token,
      order: held.order,
      holdToken: held.hold,
      signOutRemotely: (reason) => signOut(() => events.emit('logout', { remote: true, reason })),
      applied: (type) => events.emit('cross-tab', { type }),
    }),
  );

  const { getAccessToken, port } = createRequestTokens({ runtime, held, flight, refresh, events });

  /** Signs out here and in the other tabs (saying why), then tells the server. Never rejects. */
  async function end(reason: LogoutReason) {
    const refreshToken = held.refreshToken;
    const inFlight = flight.current?.promise;
    signOut(() => events.emit('logout', { remote: false, reason }));
    // Told even by a tab that had not heard of the sign-in yet: the user means the browser's.
    channel?.post({ type: 'logout', at: held.order.at, reason });
    // Best effort: the local session is gone either way, and the server call never fails for
    // a missing cookie.
    await transport.logout(refreshToken).catch(() => undefined);
    // A refresh in flight may still be handed a new refresh token: it revokes it as it lands.
    if (inFlight) {
      await within(
        runtime,
        inFlight.catch(() => ''),
        LOGOUT_FLIGHT_WAIT_MS,
        () => Promise.resolve(''),
      );
    }
  }

  const session: Session<TUser, TCredentials> = {
    getState: store.getState,
    subscribe: store.subscribe,
    on: events.on,
    getAccessToken,
    async login(credentials) {
      const set = await transport.login(credentials);
      held.beginEpoch();
      acceptTokenSet(set, true);
      events.emit('login', { user: store.getState().user });
      return store.getState();
    },
    logout: () => end('user'),
    async restore() {
      if (held.isSignedIn()) return store.getState();
      if (inBody && held.refreshToken === null) {
        const stored = await Promise.resolve(storage?.getItem(storageKey)).catch(() => null);
        if (stored) held.adoptRefreshToken(stored);
        // Nothing to restore from: signed out, without asking the server.
        else if (held.token === null) {
          held.clear();
          return store.getState();
        }
        // A login may have finished while storage answered.
        if (held.isSignedIn()) return store.getState();
      }
      await refresh('restore').then(
        () => restoreRetry.disarm(true),
        (error: unknown) => {
          if (held.token !== null) return restoreRetry.disarm(true);
          // No verdict is not a sign-out: say so, and try again by itself.
          if (error instanceof RefreshFailedError) {
            held.markUnreachable();
            restoreRetry.arm();
          } else {
            restoreRetry.disarm(true);
            held.clear();
          }
        },
      );
      return store.getState();
    },
    refresh: ({ force = false } = {}) => refresh('manual', force),
    dispose() {
      restoreRetry.dispose();
      held.dispose();
      unsubscribeChannel?.();
      channel?.close();
    },
  };

  return { session, port, end };
}
