/**
 * Tells every hook, the client and the events your types, once per app: `user`, the user type;
 * `api`, what React's hooks hand `queryFn` and `mutationFn` (the client's `api`; the axios
 * instance unless registered, so a fetch app registers `AuthedFetch`). Augment the module you
 * import from (`@tokenlane/react-auth` in a React app, `@tokenlane/core` elsewhere):
 *
 * ```ts
 * declare module '@tokenlane/react-auth' {
 *   interface Register {
 *     user: MyUser;
 *     api: AuthedFetch;
 *   }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by module augmentation
export interface Register {}

/** The user type an app registered (`Register['user']`), else `AuthUser`. */
export type RegisteredUser = Register extends { user: infer TUser } ? TUser : AuthUser;

/**
 * Where the session stands. `loading` lasts until the first `restore()` settles. `unreachable`:
 * the session could not be restored because the server could not be reached (a network error, a
 * 5xx after the backoff); it is not a sign-out, and the session retries by itself (on `online`,
 * focus, and on a timer) until the server answers.
 */
export type AuthStatus = 'loading' | 'authenticated' | 'unauthenticated' | 'unreachable';

/** The user as Tokenlane's API describes it; register your own type with `Register`. */
export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: string;
}

/** The session as components see it. The access token is not part of it: see `getAccessToken()`. */
export interface AuthState<TUser = RegisteredUser> {
  status: AuthStatus;
  user: TUser | null;
  /** When the access token expires, epoch milliseconds on this machine's clock; `null` when unknown. */
  expiresAt: number | null;
  /**
   * When the session itself ends and a sign-in is needed again (the refresh token's absolute end),
   * epoch ms on this machine's clock; `null` when the server does not say.
   */
  sessionEndsAt: number | null;
}

/** What a login or refresh response yields once parsed. */
export interface TokenSet<TUser = RegisteredUser> {
  accessToken: string;
  /** Lifetime in seconds; when missing, the token's `exp` and `iat` claims are used. */
  expiresIn?: number | undefined;
  user?: TUser | null | undefined;
  /** A refresh token handed in the body (`refreshToken: 'body'` profiles); a new one replaces the old. */
  refreshToken?: string | undefined;
  /**
   * Seconds until the session ends (the refresh token's absolute lifetime), when the server says;
   * else a refresh token that is a JWT says it with its `exp`.
   */
  sessionExpiresIn?: number | undefined;
}

/** The body sent to the login endpoint. */
export interface LoginCredentials {
  email: string;
  password: string;
}

/** The three calls the session makes to the server, built from the profile and a transport. */
export interface AuthTransport<TUser = RegisteredUser, TCredentials = LoginCredentials> {
  login(credentials: TCredentials): Promise<TokenSet<TUser>>;
  /**
   * `refreshToken` is the one the session holds (`null` when the server keeps it in a cookie);
   * `headers` go with the call where the transport can send them (tracing's `traceparent`).
   */
  refresh(refreshToken: string | null, headers?: Record<string, string>): Promise<TokenSet<TUser>>;
  logout(refreshToken: string | null): Promise<void>;
}

/**
 * Why a session was signed out: `user`, by `logout()`; `idle`, by idle sign-out (no activity in
 * any tab for its timeout); `expired`, its end came (the refresh token's absolute lifetime);
 * `remote`, the server refused to renew it before its end (revoked by an admin, another device,
 * reuse detection). Every tab is told the same reason, the one that saw it too.
 */
export type LogoutReason = 'user' | 'idle' | 'expired' | 'remote';

/** Why a refresh started. */
export type RefreshReason = 'restore' | 'scheduled' | 'expired' | 'rejected' | 'manual';

/** Event names and their payloads, for `client.on(event, listener)`. */
export interface AuthEvents<TUser = RegisteredUser> {
  'refresh-start': { reason: RefreshReason };
  'refresh-success': { reason: RefreshReason; expiresAt: number | null };
  'refresh-failure': { reason: RefreshReason; error: Error };
  /** @deprecated 0.1's name of `refresh-start` (listened to as it). */
  'refresh:start': { reason: RefreshReason };
  /** @deprecated 0.1's name of `refresh-success` (listened to as it). */
  'refresh:success': { reason: RefreshReason; expiresAt: number | null };
  /** @deprecated 0.1's name of `refresh-failure` (listened to as it). */
  'refresh:failure': { reason: RefreshReason; error: Error };
  login: { user: TUser | null };
  /** `remote` is true when another tab logged out; `reason` says why the session ended. */
  logout: { remote: boolean; reason: LogoutReason };
  'session-expired': { error: Error };
  /** A freshly issued token was refused as expired (reported once per token); see `FreshTokenRefusedError`. */
  'token-refused': { error: Error };
  /** Another tab said something this tab applied: a new token (login or refresh) or a logout. */
  'cross-tab': { type: 'token' | 'logout' };
}

/** The session as applications use it: state, tokens, sign-in and sign-out, events. */
export interface Session<TUser = RegisteredUser, TCredentials = LoginCredentials> {
  /** The current state snapshot (stable between changes, for `useSyncExternalStore`). */
  getState: () => AuthState<TUser>;
  /** Calls `listener` on every state change; returns an unsubscribe function. */
  subscribe: (listener: () => void) => () => void;
  /** Subscribes to an event; returns an unsubscribe function. */
  on: <K extends keyof AuthEvents<TUser>>(
    event: K,
    listener: (payload: AuthEvents<TUser>[K]) => void,
  ) => () => void;
  /** The access token (in memory only), after any refresh in progress (or due) settles; `null` when signed out. */
  getAccessToken: () => Promise<string | null>;
  /** Signs in; rejects with `AuthRequestError` (`invalid_credentials`, `rate_limited`, ...). */
  login: (credentials: TCredentials) => Promise<AuthState<TUser>>;
  /** Signs out here and in other tabs, then tells the server. Never rejects. */
  logout: () => Promise<void>;
  /**
   * Silent sign-in through the refresh cookie, for page load. Never rejects; resolves with the new
   * state (`unreachable` when the server cannot be reached: it retries by itself). With
   * `serverSession`, the session a server rendered the page with (a BFF's `ServerSession.facts`),
   * it holds that one at once, synchronously and with no call, unless this tab is signed in or a
   * sign-out still waits for the server; `null` (rendered signed out), or a value that is not a
   * session answer, restores as usual.
   */
  restore: (serverSession?: unknown) => Promise<AuthState<TUser>>;
  /**
   * Renews the access token, sharing any refresh in progress. `force` never reuses a refresh that
   * began with an older token. Rejects with `SessionExpiredError` or `RefreshFailedError`.
   */
  refresh: (options?: { force?: boolean }) => Promise<string>;
  /**
   * Stops timers and closes the cross-tab channel, for good: a refresh still in flight gives its
   * caller the token (and a rotated refresh token is still stored) but arms nothing after.
   */
  dispose: () => void;
}
