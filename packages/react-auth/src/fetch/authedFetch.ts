import { isExpiryAnswer } from '../core/expiry.js';
import { ABSOLUTE, pageHref } from '../core/originGuard.js';
import type { SessionPort } from '../core/port.js';

/** What the fetch adapter needs to know besides the session. */
export interface AuthedFetchOptions {
  /** Whether a request to `url` may carry the Bearer token. */
  allowBearer(url: URL): boolean;
  /** Whether `url` is an auth endpoint (never refreshed, never retried). */
  isAuthEndpoint(url: URL): boolean;
  /** Whether this answer means the access token expired. @default RFC 6750's rule */
  shouldRefresh?: ((response: Response) => boolean) | undefined;
  /** The `fetch` underneath. @default globalThis.fetch, read at call time */
  fetch?: typeof fetch | undefined;
  /** What relative URLs are joined to, as axios joins them to its `baseURL`. */
  baseURL: string;
}

/** The RFC 6750 rule, on a `Response`. */
export const defaultShouldRefreshResponse = (response: Response): boolean =>
  isExpiryAnswer(response.status, response.headers.get('www-authenticate') ?? undefined);

/** Rejects with the signal's reason (an `AbortError`, as `fetch` does) as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A stream body is read as it is sent: it cannot be sent twice. */
const isReplayable = (init: RequestInit | undefined) =>
  !(typeof ReadableStream !== 'undefined' && init?.body instanceof ReadableStream);

/**
 * A `fetch` wired to the session: Bearer on allowed requests (after any refresh in progress or
 * due), and on an expiry answer one shared refresh and one retry, with the very same body (the
 * request is cloned before it is sent; a `ReadableStream` body is not retried). A caller's own
 * `Authorization` header wins; auth endpoints pass through untouched.
 */
export function createAuthedFetch(port: SessionPort, options: AuthedFetchOptions): typeof fetch {
  const shouldRefresh = options.shouldRefresh ?? defaultShouldRefreshResponse;
  const send = (request: Request) => (options.fetch ?? globalThis.fetch)(request);
  const withToken = (request: Request, token: string | null) => {
    const headers = new Headers(request.headers);
    if (token) headers.set('Authorization', `Bearer ${token}`);
    return new Request(request, { headers });
  };

  // A relative path is joined to baseURL (resolved once, against the page where there is one).
  const base = new URL(options.baseURL, pageHref()).href.replace(/\/+$/, '');
  const resolve = (input: string | URL) =>
    typeof input !== 'string' || ABSOLUTE.test(input)
      ? input
      : `${base}/${input.replace(/^\/+/, '')}`;

  return async (input, init) => {
    const request = new Request(input instanceof Request ? input : resolve(input), init);
    const url = new URL(request.url);
    if (
      !options.allowBearer(url) ||
      options.isAuthEndpoint(url) ||
      request.headers.has('Authorization')
    ) {
      return send(request);
    }
    const signal = request.signal;
    const token = port.readyAccessToken() ?? (await untilAborted(port.getAccessToken(), signal));
    const replay = token && isReplayable(init) ? request.clone() : undefined;
    const response = await send(withToken(request, token));
    if (!token || !replay || !shouldRefresh(response)) return response;
    const renewed = await untilAborted(port.renewAfterRejection(token), signal);
    // The first answer is dropped; its body is released without waiting for it.
    void response.body?.cancel().catch(() => undefined);
    return send(withToken(replay, port.readyAccessToken() ?? renewed));
  };
}
