/**
 * The code of every error Tokenlane raises itself. An `AuthRequestError` carries the server's
 * `error` field instead (`invalid_credentials`, `invalid_grant`, `rate_limited`, ...), or
 * `network_error` when no answer arrived, or `http_<status>` when the answer named no code.
 */
export type AuthErrorCode =
  | 'session_expired'
  | 'refresh_failed'
  | 'session_changed'
  | 'fresh_token_refused'
  | 'endpoint_misconfigured'
  | 'invalid_token_response'
  | 'option_failed'
  | 'invalid_option'
  | 'not_a_client'
  | 'no_auth_provider'
  | 'idle_already_attached'
  | 'idle_not_configured'
  | 'live_not_configured'
  | 'step_up_required'
  | 'dpop_unsupported'
  | 'oauth_no_pending_login'
  | 'oauth_no_authorization_endpoint'
  | 'oauth_reserved_param';

/** What an `AuthRequestError` says: the server's code, `network_error`, or `http_<status>`. */
// `string & {}` keeps the named ones in editors' completions while any server code fits.
export type AuthRequestCode = 'network_error' | `http_${number}` | (string & {});

/**
 * Base class of every error Tokenlane throws; branch on `code`, not on messages. Each class names
 * itself in a string: an app's minifier renames classes, and `error.name` must survive it.
 * Members are assigned in constructors, not declared as class fields, which bundlers targeting
 * ES2020 (Vite's default) would wrap in a helper.
 */
export class AuthError extends Error {
  /** A stable machine-readable code (see `AuthErrorCode`; a server's own for `AuthRequestError`). */
  declare readonly code: AuthErrorCode | AuthRequestCode;
  constructor(
    code: AuthErrorCode | AuthRequestCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
    this.name = 'AuthError';
  }
}

/**
 * The library was used in a way it does not support (a hook outside `<AuthProvider>`, an object
 * that is not a client, an option out of range, an idle sign-out attached twice): a bug in the
 * app, raised at once.
 */
export class AuthUsageError extends AuthError {
  declare readonly code:
    | 'invalid_option'
    | 'not_a_client'
    | 'no_auth_provider'
    | 'idle_already_attached'
    | 'idle_not_configured'
    | 'live_not_configured';
  constructor(code: AuthUsageError['code'], message: string) {
    super(code, message);
    this.name = 'AuthUsageError';
  }
}

/** The server refused to renew the session (refresh token missing, expired or revoked): sign in again. */
export class SessionExpiredError extends AuthError {
  declare readonly code: 'session_expired';
  constructor(options?: { cause?: unknown }) {
    super('session_expired', 'Session expired', options);
    this.name = 'SessionExpiredError';
  }
}

/** The refresh could not reach a verdict (network error, 5xx) after bounded retries; the session is kept. */
export class RefreshFailedError extends AuthError {
  declare readonly code: 'refresh_failed';
  constructor(options?: { cause?: unknown }) {
    super('refresh_failed', 'Refresh failed', options);
    this.name = 'RefreshFailedError';
  }
}

/**
 * The browser's session changed while the call waited (a sign-in as another user, or a sign-out,
 * in this tab or another): a request begun in one session never goes out in another, and a
 * refresh begun for one never lands in another. Nothing was sent with the new session's token.
 */
export class SessionChangedError extends AuthError {
  declare readonly code: 'session_changed';
  constructor(options?: { cause?: unknown }) {
    super('session_changed', 'The session changed while the request waited', options);
    this.name = 'SessionChangedError';
  }
}

/**
 * The server refused, as expired, a token it had just issued: the request was retried with a
 * fresh token and refused again. Usually a mismatch between the client and the server: the token
 * format (the profile's `scheme`) or the expiry rule (`shouldRefresh`). The session stops
 * refreshing for that token instead of refreshing once per request.
 */
export class FreshTokenRefusedError extends AuthError {
  declare readonly code: 'fresh_token_refused';
  constructor(options?: { cause?: unknown }) {
    super(
      'fresh_token_refused',
      'A fresh token was refused: check the server profile and shouldRefresh',
      options,
    );
    this.name = 'FreshTokenRefusedError';
  }
}

/**
 * An auth endpoint (login, refresh, logout) answered with an error or could not be reached.
 * `code` is the server's `error` field (`invalid_credentials`, `rate_limited`, ...) or `network_error`.
 */
export class AuthRequestError extends AuthError {
  declare readonly code: AuthRequestCode;
  /** The HTTP status; `undefined` when no response arrived. */
  declare readonly status?: number;
  /** Seconds to wait, from `Retry-After`. */
  declare readonly retryAfter?: number;
  constructor(
    code: AuthRequestCode,
    message: string,
    status?: number,
    retryAfter?: number,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = 'AuthRequestError';
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

/**
 * An auth endpoint answered as no auth endpoint does: 404 or 405, or an HTML page where JSON was
 * expected. The app is not wired to its server (a dev-server proxy for `/auth` and `/api`
 * missing, or a wrong `baseURL`): a configuration error, not an outage, so it is not retried. A
 * page-load restore that meets it leaves the app signed out (never "Loading…" forever), and
 * `login()` rejects with it.
 */
export class AuthConfigError extends AuthError {
  declare readonly code: 'endpoint_misconfigured';
  /** The URL that answered. */
  declare readonly url: string;
  /** Its HTTP status. */
  declare readonly status: number;
  constructor(url: string, status: number, options?: { cause?: unknown }) {
    super(
      'endpoint_misconfigured',
      `${url} answered ${status}: not an auth endpoint (proxy /auth and /api to the API, or set baseURL)`,
      options,
    );
    this.name = 'AuthConfigError';
    this.url = url;
    this.status = status;
  }
}

/**
 * Every error the session core raises, told apart by `code` (a `switch` on it narrows to the
 * class). The opt-in entries add theirs: `StepUpRequiredError` (`step_up_required`).
 */
export type TokenlaneError =
  | SessionExpiredError
  | RefreshFailedError
  | SessionChangedError
  | FreshTokenRefusedError
  | AuthConfigError
  | AuthUsageError
  | AuthRequestError;
