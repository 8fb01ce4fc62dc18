/**
 * Base class of every error Tokenlane throws; branch on `code`, not on messages. Each class names
 * itself in a string: an app's minifier renames classes, and `error.name` must survive it.
 */
export class AuthError extends Error {
  override name = 'AuthError';
  constructor(
    /** A stable machine-readable code. */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The server refused to renew the session (refresh token missing, expired or revoked): sign in again. */
export class SessionExpiredError extends AuthError {
  override name = 'SessionExpiredError';
  constructor(options?: { cause?: unknown }) {
    super('session_expired', 'Session expired', options);
  }
}

/** The refresh could not reach a verdict (network error, 5xx) after bounded retries; the session is kept. */
export class RefreshFailedError extends AuthError {
  override name = 'RefreshFailedError';
  constructor(options?: { cause?: unknown }) {
    super('refresh_failed', 'Refresh failed', options);
  }
}

/**
 * The server refused, as expired, a token it had just issued: the request was retried with a
 * fresh token and refused again. Usually a mismatch between the client and the server: the token
 * format (the profile's `scheme`) or the expiry rule (`shouldRefresh`). The session stops
 * refreshing for that token instead of refreshing once per request.
 */
export class FreshTokenRefusedError extends AuthError {
  override name = 'FreshTokenRefusedError';
  constructor(options?: { cause?: unknown }) {
    super(
      'fresh_token_refused',
      'A fresh token was refused: check the server profile and shouldRefresh',
      options,
    );
  }
}

/**
 * An auth endpoint (login, refresh, logout) answered with an error or could not be reached.
 * `code` is the server's `error` field (`invalid_credentials`, `rate_limited`, ...) or `network_error`.
 */
export class AuthRequestError extends AuthError {
  override name = 'AuthRequestError';
  constructor(
    code: string,
    message: string,
    /** The HTTP status; `undefined` when no response arrived. */
    readonly status?: number,
    /** Seconds to wait, from `Retry-After`. */
    readonly retryAfter?: number,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}
