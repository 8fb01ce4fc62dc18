import type { LoginCredentials, RegisteredUser, Session } from '../session/types.js';
import {
  absoluteURL,
  wireSession,
  type SessionClientOptions,
  type WiredSession,
} from '../wireSession.js';
import { registerPort } from '../session/devHandle.js';
import type { AuthedFetch } from './authedFetch.js';
import { wiredFetch } from './wiredFetch.js';
import { createFetchPost } from './transport.js';

/** Options of `createFetchClient`: the shared ones, plus fetch's. */
export interface FetchClientOptions<
  TUser = RegisteredUser,
  TCredentials = LoginCredentials,
> extends SessionClientOptions<TUser, TCredentials> {
  /** Whether an answer means the access token expired. @default the profile's rule (Tokenlane's: 401 with `error="invalid_token"`, or 401 without `WWW-Authenticate`) */
  shouldRefresh?: (response: Response) => boolean;
}

/** A session whose requests go through `fetch`: no axios in the bundle. */
export interface FetchClient<
  TUser = RegisteredUser,
  TCredentials = LoginCredentials,
> extends Session<TUser, TCredentials> {
  /**
   * `fetch`, with the Bearer token and transparent renewal: one shared refresh for a burst, one
   * retry per request with the same body (a `ReadableStream` body is not retried).
   */
  readonly fetch: AuthedFetch;
  /** The same function as `fetch`: the request function React's hooks hand `queryFn`. */
  readonly api: AuthedFetch;
}

/** Creates a session client over `fetch`; see `FetchClientOptions` for every option. */
export function createFetchClient<TUser = RegisteredUser, TCredentials = LoginCredentials>(
  options: FetchClientOptions<TUser, TCredentials> = {},
): FetchClient<TUser, TCredentials> {
  const baseURL = options.baseURL ?? '/';
  // The auth calls go through the same `fetch` as the requests (with DPoP's proofs when on).
  const wired: WiredSession<TUser, TCredentials> = wireSession(
    options,
    baseURL,
    createFetchPost(absoluteURL(baseURL), (): typeof fetch => wired.fetch ?? globalThis.fetch),
    options.shouldRefresh,
  );
  const fetch = wiredFetch(wired);
  const client = { ...wired.session, fetch, api: fetch };
  registerPort(client, wired.port);
  return client;
}
