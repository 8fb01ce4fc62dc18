import axios, { type AxiosError, type AxiosInstance, type CreateAxiosDefaults } from 'axios';
import './axiosConfig.js';
import { attachInterceptors } from './axios/interceptors.js';
import { createAxiosPost } from './axios/transport.js';
import { registerPort, guarded, wireSession } from '@tokenlane/core/adapter';
import type {
  LoginCredentials,
  RegisteredUser,
  Session,
  SessionClientOptions,
} from '@tokenlane/core';
import type { AxiosLike } from '@tokenlane/core/dpop';

// With the axios client in the app, the hooks hand `queryFn` its instance (unless `Register`
// says otherwise).
declare module '@tokenlane/react-auth' {
  interface TransportApis {
    axios: AxiosInstance;
  }
}

/** Options of `createAuthClient`: the shared ones, plus axios's. */
export interface AuthClientOptions<
  TUser = RegisteredUser,
  TCredentials = LoginCredentials,
> extends SessionClientOptions<TUser, TCredentials> {
  /**
   * An axios instance or config that every call builds on, the auth calls included: adapters,
   * agents (a cookie jar in Node), extra headers. An instance is used as is for the auth calls;
   * `client.axios` is created from its defaults.
   */
  http?: AxiosInstance | CreateAxiosDefaults;
  /** Whether a failed request means the access token expired. @default the profile's rule (Tokenlane's: 401 with `error="invalid_token"`, or 401 without `WWW-Authenticate`) */
  shouldRefresh?: (error: AxiosError) => boolean;
  /** The same rule for `authedFetch(client)`, given its `Response`. @default the same RFC 6750 rule */
  shouldRefreshResponse?: (response: Response) => boolean;
}

/** A session bound to an API: usable from React, router loaders, tests and Node alike. */
export interface AuthClient<
  TUser = RegisteredUser,
  TCredentials = LoginCredentials,
> extends Session<TUser, TCredentials> {
  /** An axios instance that sends the Bearer token and renews it transparently. */
  readonly axios: AxiosInstance;
  /** The same instance as `axios`: the request function `<AuthProvider>`'s hooks hand `queryFn`. */
  readonly api: AxiosInstance;
  /** Wires another axios instance to this session and its single refresh; returns a detach function. */
  attach: (instance: AxiosInstance) => () => void;
}

/** An axios instance as DPoP's interceptors see it (by shape: axios's generic interceptor types do not line up). */
const asAxiosLike = (instance: AxiosInstance) => instance as unknown as AxiosLike;

const isInstance = (http: unknown): http is AxiosInstance =>
  typeof http === 'function' && 'interceptors' in http;

/** Creates a session client; see `AuthClientOptions` for every option. */
export function createAuthClient<TUser = RegisteredUser, TCredentials = LoginCredentials>(
  options: AuthClientOptions<TUser, TCredentials> = {},
): AuthClient<TUser, TCredentials> {
  const { http } = options;
  const defaults = isInstance(http) ? http.defaults : (http ?? {});
  const baseURL = options.baseURL ?? defaults.baseURL ?? '/';
  const api = axios.create({ ...defaults, baseURL });
  const calls = isInstance(http) ? http : axios.create(defaults);
  const wired = wireSession(
    options,
    baseURL,
    createAxiosPost(calls, baseURL),
    options.shouldRefreshResponse,
  );
  // The plug-ins' interceptors (DPoP's) on an instance of this client; returns their removal.
  const attachPlugins = (instance: AxiosInstance) => {
    const detach = wired.hooks.map((hook) =>
      hook.attachAxios?.(asAxiosLike(instance), wired.isAuthEndpoint),
    );
    return () => detach.forEach((remove) => remove?.());
  };
  attachPlugins(calls);
  const interceptorOptions = {
    allowBearer: wired.allowBearer,
    shouldRefresh: options.shouldRefresh
      ? guarded('shouldRefresh', options.shouldRefresh)
      : (error: AxiosError) =>
          wired.isExpired({
            status: error.response?.status,
            challenge: error.response?.headers['www-authenticate'] as string | undefined,
          }),
    isAuthEndpoint: ({ url = '' }: { url?: string | undefined }) => wired.isAuthEndpoint(url),
    authorization: wired.authorization,
    retryAfter: wired.retryAfter,
  };
  // The plug-ins' interceptors (DPoP's) go on first: axios runs request interceptors
  // last-attached first, so a proof is signed after the session's interceptor set the token.
  const attach = (instance: AxiosInstance) => {
    const detachPlugins = attachPlugins(instance);
    const detach = attachInterceptors(instance, wired.port, interceptorOptions);
    return () => {
      detach();
      detachPlugins();
    };
  };
  attach(api);

  const client = { ...wired.session, axios: api, api, attach };
  registerPort(client, wired.port);
  return client;
}
