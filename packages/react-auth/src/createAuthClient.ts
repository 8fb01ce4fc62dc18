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
import type { RegisteredUser, Session, TokenSet } from './core/types.js';

/** Cross-tab coordination; the defaults are the Web Locks API and a `BroadcastChannel`. */
export interface CrossTabOptions<TUser = RegisteredUser> {
  /** @default Web Locks, falling back to a lock shared within this page */
  lock?: LockFunc;
  /** @default a `BroadcastChannel` named `tokenlane:<baseURL origin>` */
  channel?: AuthChannel<TUser>;
}

/** Options of `createAuthClient`. */
export interface AuthClientOptions<TUser = RegisteredUser> {
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
  /**
   * Seconds before expiry to refresh proactively (at most a fifth of the token's lifetime), plus a
   * random extra of up to half of that (at most 5 s), so tabs and clients do not refresh in lockstep.
   * @default 30
   */
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
export interface AuthClient<TUser = RegisteredUser> extends Session<TUser> {
  /** An axios instance that sends the Bearer token and renews it transparently. */
  readonly axios: AxiosInstance;
  /** Wires another axios instance to this session and its single refresh; returns a detach function. */
  attach: (instance: AxiosInstance) => () => void;
}

const isInstance = (http: unknown): http is AxiosInstance =>
  typeof http === 'function' && 'interceptors' in http;

/** Creates a session client; see `AuthClientOptions` for every option. */
export function createAuthClient<TUser = RegisteredUser>(
  options: AuthClientOptions<TUser> = {},
): AuthClient<TUser> {
  const { http } = options;
  const defaults = isInstance(http) ? http.defaults : (http ?? {});
  const baseURL = options.baseURL ?? defaults.baseURL ?? '/';
  const api = axios.create({ ...defaults, baseURL });
  const endpoints = { ...DEFAULT_ENDPOINTS, ...options.endpoints };

  const crossTab = options.crossTab ?? typeof document !== 'undefined';
  const tabs = typeof crossTab === 'object' ? crossTab : {};
  const { session, port } = createSession<TUser>({
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
    attachInterceptors(instance, port, interceptorOptions);
  attach(api);

  return { ...session, axios: api, attach };
}
