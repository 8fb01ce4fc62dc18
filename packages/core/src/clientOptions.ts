import type { AuthChannel } from './session/channel.js';
import type { SessionRecordStorage } from './session/browserRecord.js';
import type { LockFunc } from './session/lock.js';
import type { TokenlanePlugin } from './session/plugin.js';
import type { Runtime } from './session/runtime.js';
import type { ServerProfile } from './session/serverProfile.js';
import type { AuthEndpoints } from './session/endpoints.js';
import type { SessionExpiredError } from './session/errors.js';
import type { TokenStorage } from './session/tokenStorage.js';
import type { LoginCredentials, RegisteredUser, TokenSet } from './session/types.js';

/** Cross-tab coordination; the defaults are the Web Locks API and a `BroadcastChannel`. */
export interface CrossTabOptions<TUser = RegisteredUser> {
  /** @default Web Locks, falling back to a lock shared within this page */
  lock?: LockFunc;
  /** @default a `BroadcastChannel` named `tokenlane:<baseURL origin>` */
  channel?: AuthChannel<TUser>;
  /**
   * Synchronous storage every tab reads at once, for the browser's order of sign-ins and
   * sign-outs and a sign-out the server has not confirmed (never a token). Without it, tabs order
   * them by their messages alone, and a new page cannot see a pending sign-out.
   * @default `localStorage`
   */
  storage?: SessionRecordStorage;
}

/** The options every client factory shares (`createAuthClient`, `createFetchClient`). */
export interface SessionClientOptions<TUser = RegisteredUser, TCredentials = LoginCredentials> {
  /**
   * The server's profile: its auth calls, token answers, token format, expiry answers and where
   * the refresh token lives. @default tokenlaneServer
   */
  server?: ServerProfile<TUser, TCredentials>;
  /** Where the API lives; the access token is sent only to this origin (and `allowedOrigins`). @default '/' */
  baseURL?: string;
  /** Other origins that may receive the Bearer token. @default [] */
  allowedOrigins?: string[];
  /** Paths of the auth endpoints, over the profile's. @default the profile's (`/auth/login`, `/auth/refresh`, `/auth/logout`) */
  endpoints?: Partial<AuthEndpoints>;
  /**
   * Seconds before expiry to refresh proactively (at most a fifth of the token's lifetime), plus a
   * random extra of up to half of that (at most 5 s), so tabs and clients do not refresh in lockstep.
   * @default 30
   */
  refreshLeewaySeconds?: number;
  /** @deprecated 0.1's name of `refreshLeewaySeconds`. */
  refreshLeeway?: number;
  /** Reads a login or refresh response. @default the profile's (`{ accessToken, expiresIn, user }`) */
  parseTokenResponse?: (data: unknown) => TokenSet<TUser>;
  /**
   * Keeps a refresh token handed in the body beyond memory (`localStorage`, `sessionStorage`, an
   * async store), so that `restore()` after a reload finds it. Readable by any script on the page.
   * @default memory only
   */
  storage?: TokenStorage;
  /** Share refreshes, tokens and logout between tabs. @default true in browsers, false elsewhere */
  crossTab?: boolean | CrossTabOptions<TUser>;
  /** Called once when the server refuses to renew a live session. */
  onSessionExpired?: (error: SessionExpiredError) => void;
  /** Clock, timers, randomness and wake signals; tests inject their own. @default the platform's */
  runtime?: Partial<Runtime>;
  /** The `fetch` under `client.fetch` (and under the auth calls of `createFetchClient`). @default `globalThis.fetch`, read at call time */
  fetch?: typeof fetch;
  /**
   * Opt-in capabilities: `dpop()` (`@tokenlane/core/dpop`), `stepUp()` (`./step-up`),
   * `idleSignOut()` (`./idle`), `otelTracing()` (`./otel`), and your own (`TokenlanePlugin`).
   * @default none
   */
  plugins?: readonly TokenlanePlugin[];
  /** @deprecated Give it in `plugins` (kept for 0.1 options; removed in the next minor). */
  dpop?: TokenlanePlugin;
  /** @deprecated Give it in `plugins` (kept for 0.1 options; removed in the next minor). */
  stepUp?: TokenlanePlugin;
  /** @deprecated Give it in `plugins` (kept for 0.1 options; removed in the next minor). */
  idle?: TokenlanePlugin;
  /** @deprecated Give it in `plugins` (kept for 0.1 options; removed in the next minor). */
  trace?: TokenlanePlugin;
}
