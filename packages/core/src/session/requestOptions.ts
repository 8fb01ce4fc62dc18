import { AuthError } from './errors.js';

/**
 * Per-request control, as `tokenlane` in an axios config or in `client.fetch`'s init:
 * `auth: false` sends no token (a public endpoint, a third-party call); `refresh: false` sends the
 * token but never refreshes and retries on an expiry answer (the answer reaches the caller).
 */
export interface TokenlaneRequestOptions {
  /** @default true */
  auth?: boolean;
  /** @default true */
  refresh?: boolean;
}

/**
 * A user-supplied option that runs inside the request pipeline (`shouldRefresh`,
 * `parseTokenResponse`): when it throws, the request fails with a typed error that names it, and
 * the other requests go on.
 */
export function guarded<A extends unknown[], R>(name: string, fn: (...args: A) => R) {
  return (...args: A): R => {
    try {
      return fn(...args);
    } catch (error) {
      throw new AuthError(
        'option_failed',
        `The ${name} option threw: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  };
}
