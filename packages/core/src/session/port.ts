import type { Session } from './types.js';

/**
 * What a transport adapter (axios, fetch) may ask the session: the token to send now (or after
 * waiting), and what to retry with after a rejection. Every decision stays in the session.
 */
export interface SessionPort extends Pick<Session<unknown>, 'getAccessToken'> {
  /**
   * The token when it can be used right away (no refresh running or due): the fast path of every
   * request. `undefined` means "call `getAccessToken()` and wait".
   */
  readyAccessToken(): string | null | undefined;
  /**
   * A token to retry with after the server rejected `sentWith` as expired: the newer one if a
   * refresh already replaced it (no second refresh), else the result of one shared refresh.
   */
  renewAfterRejection(sentWith: string): Promise<string>;
  /**
   * The request retried with `token` was refused as expired again: returns the error to fail it
   * with, and from then on `renewAfterRejection(token)` answers `token` itself (one more try as it
   * is, no second refresh for it).
   */
  refusedAfterRenewal(token: string, cause: unknown): Error;
  /** Treats the access token as expired now (devtools, demos, tests): the next request renews it, with one refresh. */
  expireNow(): void;
}
