import { createAuthCalls, type PostJson } from './session/authCalls.js';
import {
  createBrowserRecord,
  defaultRecordStorage,
  type SessionRecordStorage,
} from './session/browserRecord.js';
import { createBroadcastChannel, type AuthChannel } from './session/channel.js';
import type { DpopBinding } from './session/dpopBinding.js';
import type { IdleBinding } from './session/idleBinding.js';
import type { TraceBinding } from './session/traceBinding.js';
import type { StepUpBinding } from './session/stepUpBinding.js';
import type { AuthEndpoints } from './session/endpoints.js';
import type { SessionExpiredError } from './session/errors.js';
import { browserLock } from './session/browserLock.js';
import { createMemoryLock, type LockFunc } from './session/lock.js';
import { createOriginGuard, originOf } from './session/originGuard.js';
import type { SessionPort } from './session/port.js';
import { defaultRuntime, type Runtime } from './session/runtime.js';
import { createSession } from './session/session.js';
import { tokenlaneServer, type AnswerInfo, type ServerProfile } from './session/serverProfile.js';
import type { TokenStorage } from './session/tokenStorage.js';
import { guarded } from './session/requestOptions.js';
import type { LoginCredentials, RegisteredUser, Session, TokenSet } from './session/types.js';

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
   * DPoP (RFC 9449): `dpop()` from `@tokenlane/react-auth/dpop`. Tokens are bound to a key pair
   * the browser keeps non-extractable, and requests use the `DPoP` scheme with a proof each.
   * @default off
   */
  dpop?: DpopBinding;
  /**
   * Step-up (RFC 9470): `stepUp()` from `@tokenlane/react-auth/step-up`. A request answered
   * `insufficient_user_authentication` waits for the user to sign in again, then is sent once
   * more. @default off (such a request fails with its 401)
   */
  stepUp?: StepUpBinding;
  /**
   * Idle sign-out: `idleSignOut({ timeoutMs, warnBeforeMs })` from `@tokenlane/react-auth/idle`.
   * Activity in any tab keeps the session; after a warning, no activity signs it out everywhere
   * (reason `idle`). @default off
   */
  idle?: IdleBinding;
  /**
   * OpenTelemetry: `otelTracing({ tracer })` from `@tokenlane/react-auth/otel`. A span per
   * refresh, cross-tab wait and restore, and `traceparent` on the refresh call. @default off
   */
  trace?: TraceBinding;
}

/** A session wired from the shared options, and what its transport adapters need. */
export interface WiredSession<TUser, TCredentials> {
  session: Session<TUser, TCredentials>;
  port: SessionPort;
  baseURL: string;
  /** Whether a request may carry the Bearer token (the baseURL origin and `allowedOrigins`). */
  allowBearer: (request: { url?: string | undefined; baseURL?: string | undefined }) => boolean;
  /** Whether a URL or path names one of the auth endpoints (never refreshed, never retried). */
  isAuthEndpoint: (url: string) => boolean;
  /** The header and value that carry `token` (the profile's scheme). */
  authorization: (token: string) => [name: string, value: string];
  /** The profile's expiry rule. */
  isExpired: (answer: AnswerInfo) => boolean;
  /** The app's expiry rule for a `fetch` answer (`shouldRefresh` of a fetch client), if any. */
  shouldRefreshResponse: ((response: Response) => boolean) | undefined;
  /** The `fetch` under a fetch adapter on this session (`options.fetch`, with DPoP when on). */
  fetch: typeof fetch | undefined;
  /** Step-up, when on. */
  stepUp: StepUpBinding | undefined;
}

/**
 * Builds the session every client factory shares: the auth calls (the profile's, sent by `post`),
 * the runtime, the proactive leeway, the refresh token's storage and the cross-tab lock and
 * channel; and what a transport adapter on it needs. Kept by port (`wiringOf`), so that
 * `authedFetch(client)` can build a fetch adapter later and a client that never calls it never
 * carries the adapter.
 */
export function wireSession<TUser, TCredentials>(
  options: SessionClientOptions<TUser, TCredentials>,
  baseURL: string,
  post: PostJson,
  shouldRefresh?: (response: Response) => boolean,
): WiredSession<TUser, TCredentials> {
  const profile =
    options.server ?? (tokenlaneServer as unknown as ServerProfile<TUser, TCredentials>);
  const endpoints = { ...profile.endpoints, ...options.endpoints };
  const crossTab = options.crossTab ?? typeof document !== 'undefined';
  const tabs = typeof crossTab === 'object' ? crossTab : {};
  const runtime = { ...defaultRuntime(), ...options.runtime };
  const channel = crossTab
    ? (tabs.channel ?? createBroadcastChannel<TUser>(`tokenlane:${originOf(baseURL)}`))
    : undefined;
  const lock = crossTab ? (tabs.lock ?? browserLock(channel, runtime)) : createMemoryLock();
  const parts = {
    transport:
      profile.calls?.(post, options.dpop) ??
      createAuthCalls(
        profile,
        endpoints,
        options.parseTokenResponse
          ? guarded('parseTokenResponse', options.parseTokenResponse)
          : profile.parseTokenResponse,
        post,
      ),
    lock,
  };
  const { trace } = options;
  const { transport, lock: refreshLock } = trace ? trace.wrap(parts) : parts;
  const record = createBrowserRecord(
    `tokenlane:session:${originOf(baseURL)}`,
    crossTab ? (tabs.storage ?? defaultRecordStorage()) : undefined,
  );
  const { session, port, end } = createSession<TUser, TCredentials>({
    record,
    transport,
    refreshTokenIn: profile.refreshToken,
    storage: options.storage,
    storageKey: `tokenlane:refresh:${originOf(baseURL)}`,
    runtime,
    refreshLeeway: options.refreshLeeway ?? 30,
    lock: refreshLock,
    channel,
    onSessionExpired: options.onSessionExpired,
  });
  const authPaths = Object.values(endpoints).filter((path): path is string => Boolean(path));
  const allowBearer = createOriginGuard(baseURL, options.allowedOrigins);
  const isAuthEndpoint = (url: string) => {
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    return authPaths.some((authPath) => path.endsWith(authPath));
  };
  const { dpop } = options;
  dpop?.check(profile);
  options.stepUp?.attach(session);
  options.idle?.attach({ session, port, runtime, channel, lock, end });
  trace?.attach({ session, port });
  const wired = {
    session,
    port,
    baseURL,
    allowBearer,
    isAuthEndpoint,
    authorization: dpop?.authorization ?? profile.authorization,
    isExpired: profile.isExpired,
    shouldRefreshResponse: shouldRefresh && guarded('shouldRefresh', shouldRefresh),
    fetch: dpop
      ? dpop.wrapFetch(() => options.fetch ?? globalThis.fetch, isAuthEndpoint)
      : options.fetch,
    stepUp: options.stepUp,
  };
  wirings.set(port, wired as WiredSession<unknown, unknown>);
  return wired;
}

const wirings = new WeakMap<SessionPort, WiredSession<unknown, unknown>>();

/** What `wireSession` built around `port` (read by `authedFetch(client)`). */
export const wiringOf = (port: SessionPort) => wirings.get(port)!;

/** `baseURL` resolved against the page, or as is where there is no page (Node needs it absolute). */
export const absoluteURL = (baseURL: string) =>
  typeof location === 'undefined' ? baseURL : new URL(baseURL, location.href).href;
