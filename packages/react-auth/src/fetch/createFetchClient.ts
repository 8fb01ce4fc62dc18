import type { RegisteredUser, Session } from '../core/types.js';
import { absoluteURL, wireSession, type SessionClientOptions } from '../wireSession.js';
import { createFetchTransport } from './transport.js';

/** Options of `createFetchClient`: the shared ones, plus fetch's. */
export interface FetchClientOptions<TUser = RegisteredUser> extends SessionClientOptions<TUser> {
  /** Whether an answer means the access token expired. @default 401 with `error="invalid_token"`, or 401 without `WWW-Authenticate` */
  shouldRefresh?: (response: Response) => boolean;
}

/** A session whose requests go through `fetch`: no axios in the bundle. */
export interface FetchClient<TUser = RegisteredUser> extends Session<TUser> {
  /**
   * `fetch`, with the Bearer token and transparent renewal: one shared refresh for a burst, one
   * retry per request with the same body (a `ReadableStream` body is not retried).
   */
  readonly fetch: typeof fetch;
}

/** Creates a session client over `fetch`; see `FetchClientOptions` for every option. */
export function createFetchClient<TUser = RegisteredUser>(
  options: FetchClientOptions<TUser> = {},
): FetchClient<TUser> {
  const baseURL = options.baseURL ?? '/';
  const wired = wireSession(
    options,
    baseURL,
    (endpoints, parse) =>
      createFetchTransport(
        absoluteURL(baseURL),
        endpoints,
        parse,
        () => options.fetch ?? globalThis.fetch,
      ),
    options.shouldRefresh,
  );
  return { ...wired.session, fetch: wired.fetch };
}
