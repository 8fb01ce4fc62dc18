import type { AuthChannel } from './channel.js';
import { createCrossTabHandler } from './crossTabSync.js';
import { createEmitter } from './emitter.js';
import { FreshTokenRefusedError, RefreshFailedError, SessionExpiredError } from './errors.js';
import { toHeldToken } from './heldToken.js';
import { createWebLock, type LockFunc } from './lock.js';
import type { SessionPort } from './port.js';
import { refreshWithBackoff, toRefreshError } from './refreshCall.js';
import { createRetryTimer } from './retryTimer.js';
import type { Runtime } from './runtime.js';
import { createSingleFlight } from './singleFlight.js';
import { createTokenHolder } from './tokenHolder.js';
import type { TokenStorage } from './tokenStorage.js';
import type { AuthEvents, AuthTransport, RefreshReason, Session, TokenSet } from './types.js';

/** Name of the cross-tab refresh lock. */
export const REFRESH_LOCK_NAME = 'tokenlane:refresh';
/** How long a tab waits for another tab's refresh before refreshing on its own. */
export const LOCK_ACQUIRE_TIMEOUT_MS = 10_000;
/** After a failed proactive refresh, try again this much later (while the token still lives). */
export const PROACTIVE_RETRY_MS = 5_000;
/** While the server is unreachable at restore, try again after these delays (the last repeats). */
export const RESTORE_RETRY_MS = [2_000, 5_000, 10_000, 30_000] as const;
/**
 * How long `logout()` waits for a refresh in flight, so that the refresh token it may still be
 * handed is revoked before `logout()` resolves (it is revoked whenever it lands either way).
 */
export const LOGOUT_FLIGHT_WAIT_MS = 10_000;

/** What `createSession` is built from. */
export interface SessionOptions<TUser, TCredentials> {
  transport: AuthTransport<TUser, TCredentials>;
  /** Where the server keeps the refresh token: a cookie, or the body (then the session holds it). @default 'cookie' */
  refreshTokenIn?: 'cookie' | 'body' | undefined;
  /** Keeps a body refresh token beyond memory, under `storageKey`. */
  storage?: TokenStorage | undefined;
  storageKey?: string | undefined;
  runtime: Runtime;
  /** Seconds before expiry to refresh proactively. */
  refreshLeeway: number;
  lock?: LockFunc | undefined;
  channel?: AuthChannel<TUser> | undefined;
  onSessionExpired?: ((error: SessionExpiredError) => void) | undefined;
}

/** The refresh in flight: the token it began with, and why it began. */
interface FlightMeta {
  startedWith: string | null;
  reason: RefreshReason;
}

/** The session and the port its transport adapters use, sharing one state. */
export function createSession<TUser, TCredentials>(
  options: SessionOptions<TUser, TCredentials>,
): {
  session: Session<TUser, TCredentials>;
  port: SessionPort;
} {
  const { transport, runtime, channel, storage, storageKey = 'tokenlane:refresh' } = options;
  const inBody = options.refreshTokenIn === 'body';
  const lock = options.lock ?? createWebLock();
  const events = createEmitter<AuthEvents<TUser>>();
  const flight = createSingleFlight<string, FlightMeta>();
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
  /** The token the server refused right after issuing it, and the error its requests get. */
  let refused: { token: string; error: FreshTokenRefusedError } | undefined;
  const { store } = held;

  // The decisions, named.
  /**
   * `force` must not join a refresh that began with an older token: it could end by adopting
   * another tab's token, which is not the new one the caller asked for.
   */
  const mustNotJoin = (running: FlightMeta, force: boolean) =>
    force && running.startedWith !== held.token;
  /** Another tab renewed while this one waited for the lock, and its token is still good. */
  const tokenFromAnotherTab = (startedWith: string | null, force: boolean) =>
    !force && held.token !== startedWith && !held.isRenewalDue() ? held.token : null;
  /**
   * Requests queued behind a page-load restore go out unauthenticated when it fails; those queued
   * behind the renewal of a live session share its verdict.
   */
  const sharesVerdict = (error: unknown, running: FlightMeta) =>
    error instanceof SessionExpiredError && running.reason !== 'restore';
  /** The server could not be reached, but the token in hand still lives: keep using it. */
  const canKeepToken = (error: unknown) =>
    error instanceof RefreshFailedError && !held.hasExpired();

  function retryProactiveLater() {
    // Expiry itself is reported through events; a failed proactive refresh only tries again.
    if (held.outlives(PROACTIVE_RETRY_MS)) held.renewAt(runtime.now() + PROACTIVE_RETRY_MS);
  }

  /** Holds a token the server just issued, and hands it to the other tabs. */
  function acceptTokenSet(set: TokenSet<TUser>) {
    const token = toHeldToken(set, store.getState().user, runtime.now());
    held.hold(token);
    channel?.post({ type: 'token', ...token });
  }

  /**
   * A token set that arrived for a session that has ended since (a logout, or another login,
   * began while its refresh was in flight): it is not held, and its refresh token, if the server
   * handed one, must not outlive it. (A cookie is the server's to revoke: logout revoked its
   * family.)
   */
  const revokeDropped = (set: TokenSet<TUser>) =>
    inBody && set.refreshToken
      ? transport.logout(set.refreshToken).catch(() => undefined)
      : Promise.resolve();

  /** Signs out in this tab; if a live session ended, `announce` tells whoever must know, once. */
  function signOut(announce: () => void) {
    const wasSignedIn = held.isSignedIn();
    held.clear();
    if (wasSignedIn) announce();
  }

  /** The server refused to renew: sign out here and in the other tabs, and report it. */
  const expireSession = (error: SessionExpiredError) =>
    signOut(() => {
      channel?.post({ type: 'logout' });
      events.emit('session-expired', { error });
      options.onSessionExpired?.(error);
    });

  const wait = (ms: number) => new Promise<void>((resolve) => runtime.setTimeout(resolve, ms));
  /** Resolves once `promise` settles, or `ms` later, whichever comes first (no timer left behind). */
  async function settledWithin(promise: Promise<unknown>, ms: number) {
    let timer: unknown;
    const late = new Promise<void>((resolve) => (timer = runtime.setTimeout(resolve, ms)));
    await Promise.race([promise.catch(() => undefined), late]);
    runtime.clearTimeout(timer);
  }

  /** Retries of a restore that could not reach the server: on a timer, and on wake (online, focus). */
  const restoreRetry = createRetryTimer(runtime, RESTORE_RETRY_MS, () => {
    if (store.getState().status === 'unreachable') void session.restore();
    else restoreRetry.disarm(true);
  });

  function refresh(reason: RefreshReason, force = false): Promise<string> {
    const running = flight.current;
    if (running && mustNotJoin(running.meta, force)) {
      return running.promise.catch(() => undefined).then(() => refresh(reason, true));
    }
    const startedWith = held.token;
    return flight.run({ startedWith, reason }, () => runRefresh(reason, startedWith, force));
  }

  async function runRefresh(reason: RefreshReason, startedWith: string | null, force: boolean) {
    const startEpoch = held.epoch;
    events.emit('refresh:start', { reason });
    try {
      const token = await lock(REFRESH_LOCK_NAME, LOCK_ACQUIRE_TIMEOUT_MS, async ({ waited }) => {
        // The holder posted its token before releasing the lock; let it arrive before deciding.
        if (waited) await channel?.settle?.();
        const reusable = tokenFromAnotherTab(startedWith, force);
        if (reusable !== null) return reusable;
        // Read now, after any other tab's rotation arrived: never present a rotated one.
        const refreshToken = held.refreshToken;
        if (inBody && refreshToken === null) throw new SessionExpiredError();
        const set = await refreshWithBackoff(() => transport.refresh(refreshToken), wait);
        if (held.epoch !== startEpoch) {
          await revokeDropped(set);
          throw new SessionExpiredError();
        }
        acceptTokenSet(set);
        return set.accessToken;
      });
      events.emit('refresh:success', { reason, expiresAt: store.getState().expiresAt });
      return token;
    } catch (error) {
      const typed = toRefreshError(error);
      events.emit('refresh:failure', { reason, error: typed });
      // A refusal ends the session it was meant to renew, not one that began since. (A page-load
      // restore that is refused ends nothing live: it turns `loading` into signed out quietly.)
      if (typed instanceof SessionExpiredError && held.epoch === startEpoch) expireSession(typed);
      throw typed;
    }
  }

  const unsubscribeChannel = channel?.subscribe(
    createCrossTabHandler<TUser>({
      currentToken: () => held.token,
      holdToken: held.hold,
      signOutRemotely: () => signOut(() => events.emit('logout', { remote: true })),
      applied: (type) => events.emit('cross-tab', { type }),
    }),
  );

  async function getAccessToken(): Promise<string | null> {
    const running = flight.current;
    if (running) {
      try {
        await running.promise;
      } catch (error) {
        if (sharesVerdict(error, running.meta)) throw error;
      }
    }
    if (!held.isRenewalDue()) return held.token;
    try {
      return await refresh(held.hasExpired() ? 'expired' : 'scheduled');
    } catch (error) {
      if (canKeepToken(error)) return held.token;
      throw error;
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
      acceptTokenSet(set);
      events.emit('login', { user: store.getState().user });
      return store.getState();
    },
    async logout() {
      const refreshToken = held.refreshToken;
      const inFlight = flight.current?.promise;
      signOut(() => {
        channel?.post({ type: 'logout' });
        events.emit('logout', { remote: false });
      });
      // Best effort: the local session is gone either way, and the server call never fails for
      // a missing cookie.
      await transport.logout(refreshToken).catch(() => undefined);
      // A refresh in flight may still be handed a new refresh token: it revokes it as it lands.
      if (inFlight) await settledWithin(inFlight, LOGOUT_FLIGHT_WAIT_MS);
    },
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
      restoreRetry.disarm(true);
      held.dispose();
      unsubscribeChannel?.();
      channel?.close();
    },
  };

  const port: SessionPort = {
    getAccessToken,
    readyAccessToken: () => (flight.current || held.isRenewalDue() ? undefined : held.token),
    async renewAfterRejection(sentWith) {
      // Refused once already: no second refresh for it (no storm), but one more try as it is. Behind
      // a balancer, one instance may refuse what the others accept (a clock far off, a key not yet
      // deployed there), and the next attempt usually reaches another.
      if (refused?.token === sentWith) return sentWith;
      const running = flight.current;
      if (running) return running.promise;
      if (held.token === null) throw new SessionExpiredError();
      // A refresh finished after this request left: retry with its token, no second refresh.
      if (held.token !== sentWith) return held.token;
      return refresh('rejected');
    },
    expireNow: () => held.expireNow(),
    refusedAfterRenewal(token, cause) {
      if (refused?.token !== token) {
        refused = { token, error: new FreshTokenRefusedError({ cause }) };
        events.emit('token-refused', { error: refused.error });
      }
      return refused.error;
    },
  };

  return { session, port };
}
