import { isExpiryAnswer } from '../session/expiry.js';
import { ABSOLUTE, pageHref } from '../session/originGuard.js';
import type { SessionPort } from '../session/port.js';
import type { PluginHooks } from '../session/plugin.js';
import type { AnswerInfo } from '../session/serverProfile.js';
import type { TokenlaneRequestOptions } from '../session/requestOptions.js';

/** `fetch`'s init, plus per-request control (`tokenlane: { auth, refresh }`). */
export interface TokenlaneRequestInit extends RequestInit {
  tokenlane?: TokenlaneRequestOptions;
}

/** The global `fetch`'s signature, with `TokenlaneRequestInit`: assignable wherever a `fetch` goes. */
export type AuthedFetch = (
  input: RequestInfo | URL,
  init?: TokenlaneRequestInit,
) => Promise<Response>;

/** What the fetch adapter needs to know besides the session. */
export interface AuthedFetchOptions {
  /** Whether a request to `url` (absolute) may carry the Bearer token. */
  allowBearer(url: string): boolean;
  /** Whether `url` (absolute) is an auth endpoint (never refreshed, never retried). */
  isAuthEndpoint(url: string): boolean;
  /** Whether this answer means the access token expired. @default RFC 6750's rule */
  shouldRefresh?: ((response: Response) => boolean) | undefined;
  /** The header and value that carry a token. @default `Authorization: Bearer <token>` */
  authorization?: ((token: string) => [name: string, value: string]) | undefined;
  /** The `fetch` underneath. @default globalThis.fetch, read at call time */
  fetch?: typeof fetch | undefined;
  /** What relative URLs are joined to, as axios joins them to its `baseURL`. */
  baseURL: string;
  /** The plug-ins' hold on a refused answer (step-up): the request is sent once more after it. */
  retryAfter?: PluginHooks['retryAfter'];
}

/**
 * A `Response` as a profile's expiry rule sees it. The challenge is read only when the rule asks
 * (the default asks only on a 401): most answers never touch their headers, whose first read
 * costs more than the rest of the adapter. A class, not an object literal with a getter, which V8
 * builds slowly enough to double the adapter's CPU per request.
 */
export class ResponseAnswer implements AnswerInfo {
  // Assigned, not a class field: bundlers targeting ES2020 wrap class fields in a helper.
  declare private readonly response: Response;
  constructor(response: Response) {
    this.response = response;
  }
  get status() {
    return this.response.status;
  }
  get challenge() {
    return this.response.headers.get('www-authenticate') ?? undefined;
  }
}

/** The RFC 6750 rule, on a `Response`. */
export const defaultShouldRefreshResponse = (response: Response): boolean =>
  isExpiryAnswer(new ResponseAnswer(response));

/** Rejects with the signal's reason (an `AbortError`, as `fetch` does) as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | null | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A request as the adapter handles it: where it goes, and how to send it with a token. */
interface Outgoing {
  url: string;
  signal: AbortSignal | null | undefined;
  /** The caller set the token's header (`Authorization`) itself: the request is sent as is. */
  authorized: boolean;
  /** Whether it can be sent a second time with the same body. */
  replayable: boolean;
  send(token: string | null): Promise<Response>;
}

const bearer = (token: string): [string, string] => ['Authorization', `Bearer ${token}`];
const isStream = (body: unknown) =>
  typeof ReadableStream !== 'undefined' && body instanceof ReadableStream;
const isForm = (body: unknown) => typeof FormData !== 'undefined' && body instanceof FormData;

/**
 * A `fetch` wired to the session: Bearer on allowed requests (after any refresh in progress or
 * due), and on an expiry answer one shared refresh and one retry, with the very same body. A
 * caller's own `Authorization` header wins; auth endpoints pass through untouched.
 *
 * A URL with a string, `URLSearchParams`, `Blob` or buffer body is sent as `fetch(url, init)`,
 * which serialises those bodies the same way twice, and no `Request` is built (the cheap path).
 * A `Request`, or a `FormData` body (whose multipart boundary is chosen per serialisation), is
 * built into a `Request` and cloned before it is sent. A `ReadableStream` body is not retried.
 */
export function createAuthedFetch(port: SessionPort, options: AuthedFetchOptions): AuthedFetch {
  const shouldRefresh = options.shouldRefresh ?? defaultShouldRefreshResponse;
  const authorization = options.authorization ?? bearer;
  // The header the token travels in; a caller who sets it keeps it.
  const [header] = authorization('');
  const underlying = () => options.fetch ?? globalThis.fetch;
  // A relative path is joined to baseURL (resolved once, against the page where there is one).
  const base = new URL(options.baseURL, pageHref()).href.replace(/\/+$/, '');
  const isRelative = (input: RequestInfo | URL): input is string =>
    typeof input === 'string' && !ABSOLUTE.test(input);
  const resolve = (input: string | URL, relative: boolean) =>
    typeof input !== 'string'
      ? input.href
      : relative
        ? `${base}/${input.replace(/^\/+/, '')}`
        : input;
  // A relative path goes to baseURL's origin: its verdict is decided once.
  const baseAllowed = options.allowBearer(`${base}/`);

  /** `fetch(url, init)`: the body is sent from `init` each time. */
  function plain(url: string, init: RequestInit | undefined): Outgoing {
    const headers = init?.headers === undefined ? undefined : new Headers(init.headers);
    return {
      url,
      signal: init?.signal,
      authorized: headers?.has(header) ?? false,
      replayable: !isStream(init?.body),
      send(token) {
        if (!token) return underlying()(url, init);
        const [name, value] = authorization(token);
        if (!headers) return underlying()(url, { ...init, headers: { [name]: value } });
        headers.set(name, value);
        return underlying()(url, { ...init, headers });
      },
    };
  }

  /** A `Request`, cloned before its first send so that a retry has the same body. */
  function built(input: RequestInfo | URL, init: RequestInit | undefined): Outgoing {
    const request = new Request(
      input instanceof Request ? input : resolve(input, isRelative(input)),
      init,
    );
    const replayable = !isStream(init?.body);
    let next: Request | undefined = request;
    return {
      url: request.url,
      signal: request.signal,
      authorized: request.headers.has(header),
      replayable,
      send(token) {
        const sending = next ?? request;
        next = next === request && replayable ? request.clone() : undefined;
        if (!token) return underlying()(sending);
        const headers = new Headers(sending.headers);
        headers.set(...authorization(token));
        return underlying()(new Request(sending, { headers }));
      },
    };
  }

  return async (input, init) => {
    const relative = isRelative(input);
    const out =
      input instanceof Request || isForm(init?.body)
        ? built(input, init)
        : plain(resolve(input, relative), init);
    const flags = init?.tokenlane;
    if (
      flags?.auth === false ||
      out.authorized ||
      !(relative ? baseAllowed : options.allowBearer(out.url)) ||
      options.isAuthEndpoint(out.url)
    ) {
      return out.send(null);
    }
    const token =
      port.readyAccessToken() ?? (await untilAborted(port.getAccessToken(), out.signal));
    if (!token) return out.send(null);
    const response = await out.send(token);
    const stepping = out.replayable
      ? options.retryAfter?.(new ResponseAnswer(response))
      : undefined;
    if (stepping) {
      void response.body?.cancel().catch(() => undefined);
      await untilAborted(stepping, out.signal);
      return out.send(port.readyAccessToken() ?? (await port.getAccessToken()));
    }
    if (flags?.refresh === false || !out.replayable || !shouldRefresh(response)) return response;
    const renewed = await untilAborted(port.renewAfterRejection(token), out.signal);
    // The first answer is dropped; its body is released without waiting for it.
    void response.body?.cancel().catch(() => undefined);
    const fresh = port.readyAccessToken() ?? renewed;
    const retried = await out.send(fresh);
    if (!shouldRefresh(retried)) return retried;
    // Refused again right after a renewal: no second refresh, for this request or the next ones.
    void retried.body?.cancel().catch(() => undefined);
    throw port.refusedAfterRenewal(fresh, retried);
  };
}
