import { createAuthCalls, type PostJson } from './session/authCalls.js';
import type { SessionClientOptions } from './clientOptions.js';
import { createBrowserRecord, defaultRecordStorage } from './session/browserRecord.js';
import { createBroadcastChannel } from './session/channel.js';
import type { DpopKeys, PluginHooks, TokenlanePlugin } from './session/plugin.js';
import { browserLock } from './session/browserLock.js';
import { createMemoryLock } from './session/lock.js';
import { createOriginGuard, originOf } from './session/originGuard.js';
import type { SessionPort } from './session/port.js';
import { defaultRuntime } from './session/runtime.js';
import { createSession } from './session/session.js';
import { tokenlaneServer, type AnswerInfo, type ServerProfile } from './session/serverProfile.js';
import { guarded } from './session/requestOptions.js';
import type { Session } from './session/types.js';

export type { CrossTabOptions, SessionClientOptions } from './clientOptions.js';

/** A session wired from the shared options, and what its transport adapters need. */
export interface WiredSession<TUser, TCredentials> {
  session: Session<TUser, TCredentials>;
  port: SessionPort;
  baseURL: string;
  /** Whether a request may carry the Bearer token (the baseURL origin and `allowedOrigins`). */
  allowBearer: (request: { url?: string | undefined; baseURL?: string | undefined }) => boolean;
  /** Whether a URL or path names one of the auth endpoints (never refreshed, never retried). */
  isAuthEndpoint: (url: string) => boolean;
  /** The header and value that carry `token` (the profile's scheme). */
  authorization: (token: string) => [name: string, value: string];
  /** The profile's expiry rule. */
  isExpired: (answer: AnswerInfo) => boolean;
  /** The app's expiry rule for a `fetch` answer (`shouldRefresh` of a fetch client), if any. */
  shouldRefreshResponse: ((response: Response) => boolean) | undefined;
  /** The `fetch` under a fetch adapter on this session (`options.fetch`, wrapped by plug-ins). */
  fetch: typeof fetch | undefined;
  /** Whether a plug-in resolves a refused answer (step-up), and when to send it again. */
  retryAfter: PluginHooks['retryAfter'];
  /** What the client's plug-ins hook in (an adapter applies the ones of its transport). */
  hooks: readonly PluginHooks[];
  /** The client's plug-ins, by the order given. */
  plugins: readonly TokenlanePlugin[];
}

/**
 * Builds the session every client factory shares: the auth calls (the profile's, sent by `post`),
 * the runtime, the proactive leeway, the refresh token's storage and the cross-tab lock and
 * channel; and what a transport adapter on it needs. Kept by port (`wiringOf`), so that
 * `authedFetch(client)` can build a fetch adapter later and a client that never calls it never
 * carries the adapter.
 */
export function wireSession<TUser, TCredentials>(
  options: SessionClientOptions<TUser, TCredentials>,
  baseURL: string,
  post: PostJson,
  shouldRefresh?: (response: Response) => boolean,
): WiredSession<TUser, TCredentials> {
  const profile =
    options.server ?? (tokenlaneServer as unknown as ServerProfile<TUser, TCredentials>);
  const endpoints = { ...profile.endpoints, ...options.endpoints };
  const crossTab = options.crossTab ?? typeof document !== 'undefined';
  const tabs = typeof crossTab === 'object' ? crossTab : {};
  const runtime = { ...defaultRuntime(), ...options.runtime };
  const channel = crossTab
    ? (tabs.channel ?? createBroadcastChannel<TUser>(`tokenlane:${originOf(baseURL)}`))
    : undefined;
  const lock = crossTab ? (tabs.lock ?? browserLock(channel, runtime)) : createMemoryLock();
  const { dpop, stepUp, idle, trace } = options;
  const plugins = [...(options.plugins ?? []), dpop, stepUp, idle, trace].filter(
    Boolean,
  ) as TokenlanePlugin[];
  const parse = options.parseTokenResponse
    ? guarded('parseTokenResponse', options.parseTokenResponse)
    : profile.parseTokenResponse;
  let parts = {
    transport:
      profile.calls?.(
        post,
        plugins.find((plugin): plugin is TokenlanePlugin & DpopKeys => !!plugin.keyPair),
      ) ?? createAuthCalls(profile, endpoints, parse, post),
    lock,
  };
  for (const plugin of plugins) {
    parts = (plugin.wrap?.(parts) as typeof parts | undefined) ?? parts;
  }
  const record = createBrowserRecord(
    `tokenlane:session:${originOf(baseURL)}`,
    crossTab ? (tabs.storage ?? defaultRecordStorage()) : undefined,
  );
  const { session, port, end } = createSession<TUser, TCredentials>({
    record,
    transport: parts.transport,
    refreshTokenIn: profile.refreshToken,
    storage: options.storage,
    storageKey: `tokenlane:refresh:${originOf(baseURL)}`,
    runtime,
    refreshLeewaySeconds: options.refreshLeewaySeconds ?? options.refreshLeeway ?? 30,
    lock: parts.lock,
    channel,
    onSessionExpired: options.onSessionExpired,
    parseTokenResponse: parse,
  });
  const authPaths = Object.values(endpoints).filter((path): path is string => Boolean(path));
  const allowBearer = createOriginGuard(baseURL, options.allowedOrigins);
  const isAuthEndpoint = (url: string) => {
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    return authPaths.some((authPath) => path.endsWith(authPath));
  };
  const context = { session, port, runtime, channel, lock, end, profile };
  const hooks: PluginHooks[] = plugins.map((plugin) => plugin.setup?.(context) ?? {});
  let fetch = options.fetch;
  for (const { wrapFetch } of hooks) {
    const underlying = fetch;
    if (wrapFetch) fetch = wrapFetch(() => underlying ?? globalThis.fetch, isAuthEndpoint);
  }
  const { dispose } = session;
  session.dispose = () => {
    dispose();
    for (const hook of hooks) hook.dispose?.();
  };
  const wired = {
    session,
    port,
    baseURL,
    allowBearer,
    isAuthEndpoint,
    authorization: hooks.find((hook) => hook.authorization)?.authorization ?? profile.authorization,
    isExpired: profile.isExpired,
    shouldRefreshResponse: shouldRefresh && guarded('shouldRefresh', shouldRefresh),
    fetch,
    // Only when a plug-in holds answers: the adapters then read none for the others.
    retryAfter: hooks.some((hook) => hook.retryAfter)
      ? (answer: AnswerInfo) => {
          for (const hook of hooks) {
            const wait = hook.retryAfter?.(answer);
            if (wait) return wait;
          }
        }
      : undefined,
    hooks,
    plugins,
  };
  wirings.set(port, wired as WiredSession<unknown, unknown>);
  return wired;
}

const wirings = new WeakMap<SessionPort, WiredSession<unknown, unknown>>();

/** What `wireSession` built around `port` (read by `authedFetch(client)`). */
export const wiringOf = (port: SessionPort) => wirings.get(port)!;

/** The plug-in named `name` of the client behind `port`, if it has one (`useIdleTimer` finds its idle sign-out). */
export const pluginOf = (port: SessionPort, name: string) =>
  wirings.get(port)?.plugins.find((plugin) => plugin.name === name);

/** `baseURL` resolved against the page, or as is where there is no page (Node needs it absolute). */
export const absoluteURL = (baseURL: string) =>
  typeof location === 'undefined' ? baseURL : new URL(baseURL, location.href).href;
