import type { AuthChannel, CrossTabMessage } from './channel.js';
import { createEmitter } from './emitter.js';
import { AuthRequestError, RefreshFailedError, SessionExpiredError } from './errors.js';
import { decodeJwt } from './jwt.js';
import { createWebLock, type LockFunc } from './lock.js';
import { createRefreshScheduler, refreshDueAt } from './refreshScheduler.js';
import type { Runtime } from './runtime.js';
import { createSessionStore } from './sessionStore.js';
import { createSingleFlight } from './singleFlight.js';
import type {
  AuthEvents,
  AuthState,
  AuthTransport,
  LoginCredentials,
  RefreshReason,
  TokenSet,
} from './types.js';

/** Name of the cross-tab refresh lock. */
export const REFRESH_LOCK_NAME = 'tokenlane:refresh';
/** How long a tab waits for another tab's refresh before refreshing on its own. */
export const LOCK_ACQUIRE_TIMEOUT_MS = 10_000;
/** Pauses between refresh attempts after a network error or 5xx; then `RefreshFailedError`. */
export const REFRESH_RETRY_DELAYS_MS = [250, 750, 1_500] as const;
/** After a failed proactive refresh, try again this much later (while the token still lives). */
export const PROACTIVE_RETRY_MS = 5_000;

export interface SessionOptions<TUser> {
  transport: AuthTransport<TUser>;
  runtime: Runtime;
  /** Seconds before expiry to refresh proactively. */
  refreshLeeway: number;
  lock?: LockFunc | undefined;
  channel?: AuthChannel<TUser> | undefined;
  onSessionExpired?: ((error: SessionExpiredError) => void) | undefined;
}

/** The framework-free session: state, tokens, single-flight refresh, scheduling and cross-tab sync. */
export interface Session<TUser> {
  getState: () => AuthState<TUser>;
  subscribe: (listener: () => void) => () => void;
  on: <K extends keyof AuthEvents<TUser>>(
    event: K,
    listener: (payload: AuthEvents<TUser>[K]) => void,
  ) => () => void;
  /** The current token, after any refresh in progress (or due) settles; `null` when signed out. */
  getAccessToken: () => Promise<string | null>;
  /**
   * The token when it can be used right away (no refresh running or due): the fast path of every
   * request. `undefined` means "call `getAccessToken()` and wait".
   */
  readyAccessToken: () => string | null | undefined;
  /** A token to retry with after `sentWith` was rejected: the newer one if it exists, else a refresh. */
  renewAfterRejection: (sentWith: string) => Promise<string>;
  login: (credentials: LoginCredentials) => Promise<AuthState<TUser>>;
  logout: () => Promise<void>;
  restore: () => Promise<AuthState<TUser>>;
  refresh: (options?: { force?: boolean }) => Promise<string>;
  dispose: () => void;
}

export function createSession<TUser>(options: SessionOptions<TUser>): Session<TUser> {
  const { transport, runtime, channel } = options;
  const lock = options.lock ?? createWebLock();
  const store = createSessionStore<TUser>();
  const events = createEmitter<AuthEvents<TUser>>();
  const flight = createSingleFlight<
    string,
    { startedWith: string | null; reason: RefreshReason }
  >();
  const scheduler = createRefreshScheduler(runtime, () => {
    refresh('scheduled').catch(() => {
      // A failed proactive refresh is retried while the token lives; expiry is reported by events.
      const { expiresAt } = store.getState();
      if (accessToken && expiresAt !== null && expiresAt > runtime.now() + PROACTIVE_RETRY_MS) {
        scheduler.schedule(runtime.now() + PROACTIVE_RETRY_MS);
      }
    });
  });
  let accessToken: string | null = null;
  // Bumped on every login and logout, so a refresh that was already in flight can never bring
  // back a session that ended (or was replaced) meanwhile.
  let epoch = 0;

  const isExpired = () => {
    const { expiresAt } = store.getState();
    return expiresAt !== null && runtime.now() >= expiresAt;
  };
  /** A token is held, but its proactive refresh is due or it has expired. */
  const renewalDue = () => accessToken !== null && (scheduler.isDue() || isExpired());

  function apply(
    token: string,
    user: TUser | null,
    expiresAt: number | null,
    lifetimeMs: number | null,
  ) {
    accessToken = token;
    store.set({ status: 'authenticated', user, expiresAt });
    scheduler.schedule(
      expiresAt === null || lifetimeMs === null
        ? null
        : refreshDueAt(expiresAt, lifetimeMs, options.refreshLeeway * 1000, runtime.random()),
    );
  }

  function adopt(set: TokenSet<TUser>) {
    const claims = decodeJwt(set.accessToken);
    const lifetimeMs =
      set.expiresIn !== undefined
        ? set.expiresIn * 1000
        : claims.exp !== undefined
          ? (claims.exp - (claims.iat ?? runtime.now() / 1000)) * 1000
          : null;
    const expiresAt = lifetimeMs === null ? null : runtime.now() + lifetimeMs;
    const user = set.user !== undefined ? set.user : store.getState().user;
    apply(set.accessToken, user, expiresAt, lifetimeMs);
    channel?.post({ type: 'token', token: set.accessToken, user, expiresAt, lifetimeMs });
  }

  /** Signs out locally; tells the other tabs only when a live session ended here. */
  function end(broadcast: boolean): boolean {
    epoch++;
    accessToken = null;
    scheduler.schedule(null);
    const wasAuthenticated = store.getState().status === 'authenticated';
    store.set({ status: 'unauthenticated', user: null, expiresAt: null });
    if (broadcast && wasAuthenticated) channel?.post({ type: 'logout' });
    return wasAuthenticated;
  }

  function expire(error: SessionExpiredError) {
    if (end(true)) {
      events.emit('session-expired', { error });
      options.onSessionExpired?.(error);
    }
  }

  const wait = (ms: number) => new Promise<void>((resolve) => runtime.setTimeout(resolve, ms));

  /** One refresh call, retried with backoff on network errors and 5xx, never on a rejection. */
  async function callRefresh(): Promise<TokenSet<TUser>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await transport.refresh();
      } catch (error) {
        const rejected =
          error instanceof AuthRequestError && [400, 401, 403].includes(error.status ?? 0);
        if (rejected) throw new SessionExpiredError({ cause: error });
        const delay = REFRESH_RETRY_DELAYS_MS[attempt];
        if (delay === undefined) throw new RefreshFailedError({ cause: error });
        await wait(delay);
      }
    }
  }

  function refresh(reason: RefreshReason, force = false): Promise<string> {
    const running = flight.current;
    // `force` must not merge into a refresh that began with an older token: it could end by
    // adopting another tab's token, which is not the new one the caller asked for.
    if (running && force && running.meta.startedWith !== accessToken) {
      return running.promise.catch(() => undefined).then(() => refresh(reason, true));
    }
    const startedWith = accessToken;
    return flight.run({ startedWith, reason }, async () => {
      const startEpoch = epoch;
      events.emit('refresh:start', { reason });
      try {
        const asked = runtime.now();
        const token = await lock(REFRESH_LOCK_NAME, LOCK_ACQUIRE_TIMEOUT_MS, async () => {
          // The lock was busy: let the token its holder posted arrive before deciding.
          if (runtime.now() > asked) await channel?.settle?.();
          // Another tab may have refreshed while this one waited for the lock: reuse its token.
          if (!force && accessToken !== null && accessToken !== startedWith && !renewalDue()) {
            return accessToken;
          }
          const set = await callRefresh();
          if (epoch !== startEpoch) throw new SessionExpiredError();
          adopt(set);
          return set.accessToken;
        });
        events.emit('refresh:success', { reason, expiresAt: store.getState().expiresAt });
        return token;
      } catch (error) {
        const typed =
          error instanceof SessionExpiredError || error instanceof RefreshFailedError
            ? error
            : new RefreshFailedError({ cause: error });
        events.emit('refresh:failure', { reason, error: typed });
        if (typed instanceof SessionExpiredError && epoch === startEpoch) {
          if (reason === 'restore' && store.getState().status === 'loading') end(false);
          else expire(typed);
        }
        throw typed;
      }
    });
  }

  const unsubscribeChannel = channel?.subscribe((message: CrossTabMessage<TUser>) => {
    // Handled without broadcasting, so tabs never echo each other.
    if (message.type === 'logout') {
      if (end(false)) events.emit('logout', { remote: true });
    } else if (message.token !== accessToken) {
      apply(message.token, message.user, message.expiresAt, message.lifetimeMs);
    }
  });

  async function getAccessToken(): Promise<string | null> {
    const running = flight.current;
    if (running) {
      try {
        await running.promise;
      } catch (error) {
        // Requests queued behind a page-load restore go out unauthenticated; those queued
        // behind the renewal of a live session share its verdict.
        if (error instanceof SessionExpiredError && running.meta.reason !== 'restore') throw error;
        if (!accessToken) return null;
      }
    }
    if (renewalDue()) {
      try {
        return await refresh(isExpired() ? 'expired' : 'scheduled');
      } catch (error) {
        if (error instanceof RefreshFailedError && !isExpired() && accessToken) return accessToken;
        throw error;
      }
    }
    return accessToken;
  }

  return {
    getState: store.getState,
    subscribe: store.subscribe,
    on: events.on,
    getAccessToken,
    readyAccessToken: () => (flight.current || renewalDue() ? undefined : accessToken),
    async renewAfterRejection(sentWith) {
      const running = flight.current;
      if (running) return running.promise;
      if (!accessToken) throw new SessionExpiredError();
      // A refresh finished after this request left: retry with its token, no second refresh.
      if (accessToken !== sentWith) return accessToken;
      return refresh('rejected');
    },
    async login(credentials) {
      const set = await transport.login(credentials);
      epoch++;
      adopt(set);
      events.emit('login', { user: store.getState().user });
      return store.getState();
    },
    async logout() {
      if (end(true)) events.emit('logout', { remote: false });
      // Best effort: the local session is gone either way, and the server call never fails for
      // a missing cookie.
      await transport.logout().catch(() => undefined);
    },
    async restore() {
      if (store.getState().status === 'authenticated') return store.getState();
      await refresh('restore').catch(() => {
        if (!accessToken) end(false);
      });
      return store.getState();
    },
    refresh: ({ force = false } = {}) => refresh('manual', force),
    dispose() {
      scheduler.dispose();
      unsubscribeChannel?.();
      channel?.close();
    },
  };
}
