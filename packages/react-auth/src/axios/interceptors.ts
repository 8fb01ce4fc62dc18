import {
  CanceledError,
  isAxiosError,
  type AxiosError,
  type AxiosInstance,
  type InternalAxiosRequestConfig,
} from 'axios';
import type { SessionPort } from '@tokenlane/core/adapter';
import type { PluginHooks } from '@tokenlane/core';

/** What the adapter remembers on a request config across its retry. */
interface Marked extends InternalAxiosRequestConfig {
  _tokenlane?: { token?: string; retried?: boolean; stepped?: boolean };
}

/** What the interceptors need to know. */
export interface InterceptorOptions {
  /** Whether this request may carry the Bearer token. */
  allowBearer(config: InternalAxiosRequestConfig): boolean;
  /** Whether this failure means the access token expired. */
  shouldRefresh(error: AxiosError): boolean;
  /** Whether the request targets an auth endpoint (never refreshed, never retried). */
  isAuthEndpoint(config: InternalAxiosRequestConfig): boolean;
  /** The header and value that carry a token (the server profile's scheme). */
  authorization(token: string): [name: string, value: string];
  /** The plug-ins' hold on a refused answer (step-up): the request is sent once more after it. */
  retryAfter?: PluginHooks['retryAfter'];
}

/** Waits for `promise`, but rejects at once, as axios would, when the request is aborted. */
function untilAborted<T>(promise: Promise<T>, config: InternalAxiosRequestConfig): Promise<T> {
  // axios also takes signal-like objects without listeners: those are not watched while waiting.
  const signal = config.signal as AbortSignal | undefined;
  if (typeof signal?.addEventListener !== 'function') return promise;
  const canceled = () => new CanceledError(undefined, undefined, config);
  if (signal.aborted) return Promise.reject(canceled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(canceled());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', onAbort);
    });
  });
}

/**
 * Wires an axios instance to a session: Bearer on allowed requests (after any refresh in
 * progress or due), and one refresh-then-retry for a request whose token expired in flight.
 * Returns a function that removes both interceptors.
 */
export function attachInterceptors(
  instance: AxiosInstance,
  session: SessionPort,
  options: InterceptorOptions,
): () => void {
  // The header the token travels in (Authorization unless the profile says otherwise).
  const [header] = options.authorization('');
  const withToken = (config: Marked, token: string | null) => {
    if (token) {
      config.headers.set(...options.authorization(token));
      config._tokenlane = { ...config._tokenlane, token };
    } else {
      config.headers.delete(header);
    }
    return config;
  };
  const request = instance.interceptors.request.use((config: Marked) => {
    if (
      config.tokenlane?.auth === false ||
      !options.allowBearer(config) ||
      options.isAuthEndpoint(config)
    ) {
      return config;
    }
    // A caller's own Authorization header wins; ours is replaced with the current token.
    if (config.headers.has(header) && !config._tokenlane?.token) return config;
    // Fast path: a usable token in memory, no promise to wait for.
    const ready = session.readyAccessToken();
    if (ready !== undefined) return withToken(config, ready);
    return untilAborted(session.getAccessToken(), config).then((token) => withToken(config, token));
  });

  const response = instance.interceptors.response.use(undefined, async (error: unknown) => {
    const config = isAxiosError(error) ? (error.config as Marked | undefined) : undefined;
    const sentWith = config?._tokenlane?.token;
    const answer = isAxiosError(error) ? error.response : undefined;
    const stepping =
      sentWith && !config._tokenlane?.stepped
        ? options.retryAfter?.({
            status: answer?.status,
            challenge: answer?.headers['www-authenticate'] as string | undefined,
          })
        : undefined;
    if (stepping && config) {
      await untilAborted(stepping, config);
      config._tokenlane = { ...config._tokenlane, stepped: true };
      // The request interceptor runs again and sends the token of the new sign-in.
      return instance.request(config);
    }
    if (
      !config ||
      !sentWith ||
      config.tokenlane?.refresh === false ||
      options.isAuthEndpoint(config) ||
      !options.shouldRefresh(error as AxiosError)
    ) {
      throw error;
    }
    // Refused again right after a renewal: no second refresh, for this request or the next ones.
    if (config._tokenlane?.retried) throw session.refusedAfterRenewal(sentWith, error);
    await untilAborted(session.renewAfterRejection(sentWith), config);
    config._tokenlane = { token: sentWith, retried: true };
    // The request interceptor runs again and reads the current token at send time.
    return instance.request(config);
  });

  return () => {
    instance.interceptors.request.eject(request);
    instance.interceptors.response.eject(response);
  };
}
