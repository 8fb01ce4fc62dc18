import type { RegisteredUser, Session } from '../core/types.js';
import { wireSession, type SessionClientOptions } from '../wireSession.js';
import { createAuthedFetch } from './authedFetch.js';
import { createFetchTransport } from './transport.js';

/** Options of `createFetchClient`: the shared ones, plus fetch's. */
export interface FetchClientOptions<TUser = RegisteredUser> extends SessionClientOptions<TUser> {
  /** Whether an answer means the access token expired. @default 401 with `error="invalid_token"`, or 401 without `WWW-Authenticate` */
  shouldRefresh?: (response: Response) => boolean;
  /** The `fetch` underneath, for the auth calls too. @default `globalThis.fetch`, read at call time */
  fetch?: typeof fetch;
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
  const underlying = () => options.fetch ?? globalThis.fetch;
  const wired = wireSession(options, baseURL, (endpoints, parse) =>
    createFetchTransport(absolute(baseURL), endpoints, parse, underlying),
  );
  const authedFetch = createAuthedFetch(wired.port, {
    baseURL: absolute(baseURL),
    allowBearer: (url) => wired.allowBearer({ url: url.href }),
    isAuthEndpoint: (url) => wired.isAuthEndpoint(url.pathname),
    shouldRefresh: options.shouldRefresh,
    fetch: options.fetch,
  });
  return { ...wired.session, fetch: authedFetch };
}

/** `baseURL` resolved against the page, or as is where there is no page (Node needs it absolute). */
const absolute = (baseURL: string) =>
  typeof location === 'undefined' ? baseURL : new URL(baseURL, location.href).href;
