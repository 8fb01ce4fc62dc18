import axios, { type AxiosError, type AxiosInstance, type CreateAxiosDefaults } from 'axios';
import { attachInterceptors } from './axios/interceptors.js';
import { createOriginGuard, originOf } from './axios/originGuard.js';
import { defaultShouldRefresh } from './axios/shouldRefresh.js';
import {
  createAxiosTransport,
  DEFAULT_ENDPOINTS,
  parseTokenResponse,
  type AuthEndpoints,
} from './axios/transport.js';
import { createBroadcastChannel, type AuthChannel } from './core/channel.js';
import type { SessionExpiredError } from './core/errors.js';
import { createMemoryLock, createWebLock, type LockFunc } from './core/lock.js';
import { defaultRuntime, type Runtime } from './core/runtime.js';
import { createSession } from './core/session.js';
import type { AuthEvents, AuthState, AuthUser, LoginCredentials, TokenSet } from './core/types.js';

/** Cross-tab coordination; the defaults are the Web Locks API and a `BroadcastChannel`. */
export interface CrossTabOptions<TUser = AuthUser> {
  /** @default Web Locks, falling back to a lock shared within this page */
  lock?: LockFunc;
  /** @default a `BroadcastChannel` named `tokenlane:<baseURL origin>` */
  channel?: AuthChannel<TUser>;
}

/** Options of `createAuthClient`. */
export interface AuthClientOptions<TUser = AuthUser> {
  /** Where the API lives; the Bearer token is sent only to this origin (and `allowedOrigins`). @default '/' */
  baseURL?: string;
  /** Other origins that may receive the Bearer token. @default [] */
  allowedOrigins?: string[];
  /**
   * An axios instance or config that every call builds on, the auth calls included: adapters,
   * agents (a cookie jar in Node), extra headers. An instance is used as is for the auth calls;
   * `client.axios` is created from its defaults.
   */
  http?: AxiosInstance | CreateAxiosDefaults;
  /** Paths of the auth endpoints. @default { login: '/auth/login', refresh: '/auth/refresh', logout: '/auth/logout' } */
  endpoints?: Partial<AuthEndpoints>;
  /** Seconds before expiry to refresh proactively (at most a fifth of the token's lifetime, plus jitter). @default 30 */
  refreshLeeway?: number;
  /** Whether a failed request means the access token expired. @default 401 with `error="invalid_token"`, or 401 without `WWW-Authenticate` */
  shouldRefresh?: (error: AxiosError) => boolean;
  /** Reads a login or refresh response. @default reads `{ accessToken, expiresIn, user }` */
  parseTokenResponse?: (data: unknown) => TokenSet<TUser>;
  /** Share refreshes, tokens and logout between tabs. @default true in browsers, false elsewhere */
  crossTab?: boolean | CrossTabOptions<TUser>;
  /** Called once when the server refuses to renew a live session. */
  onSessionExpired?: (error: SessionExpiredError) => void;
  /** Clock, timers, randomness and wake signals; tests inject their own. @default the platform's */
  runtime?: Partial<Runtime>;
}

/** A session bound to an API: usable from React, router loaders, tests and Node alike. */
export interface AuthClient<TUser = AuthUser> {
  /** An axios instance that sends the Bearer token and renews it transparently. */
  readonly axios: AxiosInstance;
  /** Wires another axios instance to this session and its single refresh; returns a detach function. */
  attach: (instance: AxiosInstance) => () => void;
  /** The current state snapshot (stable between changes, for `useSyncExternalStore`). */
  getState: () => AuthState<TUser>;
  /** Calls `listener` on every state change; returns an unsubscribe function. */
  subscribe: (listener: () => void) => () => void;
  /** The access token (in memory only), after any refresh in progress settles; `null` when signed out. */
  getAccessToken: () => Promise<string | null>;
  /** Signs in; rejects with `AuthRequestError` (`invalid_credentials`, `rate_limited`, ...). */
  login: (credentials: LoginCredentials) => Promise<AuthState<TUser>>;
  /** Signs out here and in other tabs, then tells the server. Never rejects. */
  logout: () => Promise<void>;
  /** Silent sign-in through the refresh cookie, for page load. Never rejects; resolves with the new state. */
  restore: () => Promise<AuthState<TUser>>;
  /**
   * Renews the access token, sharing any refresh in progress. `force` never reuses a refresh that
   * began with an older token. Rejects with `SessionExpiredError` or `RefreshFailedError`.
   */
  refresh: (options?: { force?: boolean }) => Promise<string>;
  /** Subscribes to an event; returns an unsubscribe function. */
  on: <K extends keyof AuthEvents<TUser>>(
    event: K,
    listener: (payload: AuthEvents<TUser>[K]) => void,
  ) => () => void;
  /** Stops timers and closes the cross-tab channel. */
  dispose: () => void;
}

const isInstance = (http: unknown): http is AxiosInstance =>
  typeof http === 'function' && 'interceptors' in http;

/** Creates a session client; see `AuthClientOptions` for every option. */
export function createAuthClient<TUser = AuthUser>(
  options: AuthClientOptions<TUser> = {},
): AuthClient<TUser> {
  const { http } = options;
  const defaults = isInstance(http) ? http.defaults : (http ?? {});
  const baseURL = options.baseURL ?? defaults.baseURL ?? '/';
  const api = axios.create({ ...defaults, baseURL });
  const endpoints = { ...DEFAULT_ENDPOINTS, ...options.endpoints };

  const crossTab = options.crossTab ?? typeof document !== 'undefined';
  const tabs = typeof crossTab === 'object' ? crossTab : {};
  const session = createSession<TUser>({
    transport: createAxiosTransport(
      isInstance(http) ? http : axios.create(defaults),
      baseURL,
      endpoints,
      options.parseTokenResponse ?? parseTokenResponse<TUser>,
    ),
    runtime: { ...defaultRuntime(), ...options.runtime },
    refreshLeeway: options.refreshLeeway ?? 30,
    lock: crossTab ? (tabs.lock ?? createWebLock()) : createMemoryLock(),
    channel: crossTab
      ? (tabs.channel ?? createBroadcastChannel<TUser>(`tokenlane:${originOf(baseURL)}`))
      : undefined,
    onSessionExpired: options.onSessionExpired,
  });

  const authPaths = Object.values(endpoints);
  const interceptorOptions = {
    allowBearer: createOriginGuard(baseURL, options.allowedOrigins),
    shouldRefresh: options.shouldRefresh ?? defaultShouldRefresh,
    isAuthEndpoint: ({ url = '' }: { url?: string | undefined }) =>
      authPaths.some((path) => url.endsWith(path)),
  };
  const attach = (instance: AxiosInstance) =>
    attachInterceptors(instance, session, interceptorOptions);
  attach(api);

  return {
    axios: api,
    attach,
    getState: session.getState,
    subscribe: session.subscribe,
    getAccessToken: session.getAccessToken,
    login: session.login,
    logout: session.logout,
    restore: session.restore,
    refresh: session.refresh,
    on: session.on,
    dispose: session.dispose,
  };
}
