/**
 * The codes of `BffError`: `config_invalid` (an option the BFF cannot run with),
 * `sealed_value_invalid` (a stored token set no key opens), `store_unavailable` (the session store
 * did not answer), `upstream_unavailable` (the provider did not answer or answered 5xx),
 * `upstream_refused` (the provider refused a grant: the session ends), `login_invalid` (a callback
 * that matches no login of this browser), `session_ended` (server code asked for the token of a
 * session that ended meanwhile: the upstream refused its refresh).
 */
export type BffErrorCode =
  | 'config_invalid'
  | 'sealed_value_invalid'
  | 'store_unavailable'
  | 'upstream_unavailable'
  | 'upstream_refused'
  | 'login_invalid'
  | 'session_ended';

/** An error of the BFF, with a documented `code`. Its message never holds a token or a cookie. */
export class BffError extends Error {
  override readonly name = 'BffError';
  constructor(
    readonly code: BffErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
