import { problem } from './answers.js';
import type { BffContext, RequestInfo } from './context.js';
import { BffError } from './errors.js';
import { RateLimit } from './guards.js';
import { proxyTarget, type ProxyRoute } from './proxy.js';
import { Refresher, type RefreshListener } from './refresh.js';
import { backchannelLogout } from './routes/backchannel.js';
import { finishLogin } from './routes/callback.js';
import { passwordLogin, startLogin } from './routes/login.js';
import { logout } from './routes/logout.js';
import { proxyCall } from './routes/proxyCall.js';
import { checkSession } from './routes/session.js';
import { sealingKeys } from './sealing.js';
import { serverSessions, type ServerSession, type SessionSource } from './serverSession.js';
import { Sessions } from './sessions.js';
import { sqliteStore } from './store/sqlite.js';
import type { SessionStore } from './store/types.js';
import type { Upstream } from './upstream/types.js';

/** Options of `createBff`. */
export interface BffOptions {
  /** Who signs users in and takes the proxied calls: `oidcUpstream(...)` or `tokenlaneUpstream(...)`. */
  upstream: Upstream;
  /**
   * Where sessions live: `redisStore`/`postgresStore` for several instances.
   * @default sqliteStore(), the file `.data/bff.sqlite`
   */
  store?: SessionStore;
  /**
   * The AES-256-GCM keys that seal token sets at rest, the sealing one first (see `sealingKeys`).
   * @default process.env.TOKENLANE_BFF_KEYS
   */
  keys?: string | readonly string[];
  /** The app's origin as the browser sees it (`https://app.example`): callbacks and the CSRF check. */
  origin: string;
  /** The allow-list of the proxy: calls under each `path` go to its `target`, nothing else does. */
  proxy: readonly ProxyRoute[];
  /** Where the BFF's endpoints are. @default '/bff' */
  basePath?: string;
  /** A session ends after this long without a proxied call. @default 1800 */
  idleTimeoutSeconds?: number;
  /** A session ends this long after its login, or at the refresh token's end if sooner. @default 43200 */
  absoluteTimeoutSeconds?: number;
  /** Refresh when the access token has less than this left. @default 10 */
  refreshLeewaySeconds?: number;
  /** Seconds the upstream's answer (its headers) may take. @default 15 */
  upstreamTimeoutSeconds?: number;
  /** Logins per client address per minute. @default 10 */
  loginRateLimit?: number;
  /** Proxied calls per client address per minute. @default 1200 */
  proxyRateLimit?: number;
  /** Told about each upstream refresh (metrics, tests); never given a token. */
  onRefresh?: RefreshListener;
  /** The clock, ms since the epoch. @default Date.now */
  now?: () => number;
}

/** A BFF: a handler of Web-standard requests, to mount in Express, Node's `http` or a framework. */
export interface Bff {
  /**
   * Answers a request to the BFF's endpoints or to a proxied path; `undefined` for any other
   * path (the app serves it). `info.clientAddress` keys the rate limits.
   */
  handle(request: Request, info?: RequestInfo): Promise<Response | undefined>;
  /**
   * The session of a request for server code (loaders, server components, route handlers), or
   * `undefined` when it has none; see `ServerSession`. Within one request (the same `source`, or
   * inside `withRequestScope`) the store is read once.
   */
  getSession(source: SessionSource): Promise<ServerSession | undefined>;
  /**
   * The access token of a request's session, refreshed first if needed (one refresh per rotation
   * across callers, requests and instances); `undefined` when there is no session.
   */
  getAccessToken(source: SessionSource): Promise<string | undefined>;
  /** The upstream URL a path is proxied to, if the allow-list has it (WebSocket upgrades). */
  target(url: URL): URL | undefined;
  /**
   * What the routes share (the WebSocket pass-through uses it).
   * @internal
   */
  readonly context: BffContext;
  /** Closes the store. */
  close(): Promise<void>;
}

/**
 * A backend for frontend (draft-ietf-oauth-browser-based-apps §6.1): the browser holds only a
 * `__Host-` session cookie; the BFF signs in with the upstream, keeps the token set sealed in its
 * store, refreshes inline (one refresh per session per rotation across instances) and proxies the
 * page's API calls to an allow-list with the access token added.
 */
export function createBff(options: BffOptions): Bff {
  const keys = options.keys ?? process.env.TOKENLANE_BFF_KEYS;
  if (!keys) throw new BffError('config_invalid', 'Set TOKENLANE_BFF_KEYS or the keys option');
  const now = options.now ?? Date.now;
  const basePath = (options.basePath ?? '/bff').replace(/\/+$/, '');
  const origin = new URL(options.origin).origin;
  const store = options.store ?? sqliteStore({ now });
  const sessions = new Sessions(store, sealingKeys(keys), {
    idleMs: (options.idleTimeoutSeconds ?? 1800) * 1000,
    absoluteMs: (options.absoluteTimeoutSeconds ?? 43_200) * 1000,
    now,
  });
  const upstreamTimeoutMs = (options.upstreamTimeoutSeconds ?? 15) * 1000;
  const refresher = new Refresher(
    sessions,
    options.upstream,
    {
      leewayMs: (options.refreshLeewaySeconds ?? 10) * 1000,
      lockMs: upstreamTimeoutMs + 5_000,
      // A lock's holder killed mid-refresh: its lock expires, then its mark is seen dead.
      waitMs: upstreamTimeoutMs + 15_000,
      pollMs: 25,
      markMs: 15 * 60_000,
      deadMs: 5_000,
      beatMs: 250,
      aliveMs: 1_500,
      now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    },
    options.onRefresh,
  );
  const context: BffContext = {
    upstream: options.upstream,
    sessions,
    refresher,
    routes: options.proxy,
    origin,
    basePath,
    upstreamTimeoutMs,
    limits: {
      login: new RateLimit(options.loginRateLimit ?? 10, 60_000, now),
      proxy: new RateLimit(options.proxyRateLimit ?? 1200, 60_000, now),
    },
    now,
  };

  const endpoint = (request: Request, path: string, info: RequestInfo) => {
    const route = `${request.method} ${path}`;
    switch (route) {
      case 'GET /login':
        return startLogin(context, request, info);
      case 'POST /login':
        return passwordLogin(context, request, info);
      case 'GET /callback':
        return finishLogin(context, request);
      case 'GET /session':
      case 'POST /session':
        return checkSession(context, request);
      case 'POST /logout':
        return logout(context, request);
      case 'POST /backchannel-logout':
        return backchannelLogout(context, request);
      default:
        return Promise.resolve(problem(404, 'not_found', 'No such BFF endpoint'));
    }
  };

  const getSession = serverSessions(context);
  return {
    context,
    getSession,
    async getAccessToken(source) {
      return (await getSession(source))?.accessToken();
    },
    target(url) {
      const target = proxyTarget(options.proxy, url);
      return target instanceof URL ? target : undefined;
    },
    async handle(request, info = {}) {
      const url = new URL(request.url);
      try {
        if (url.pathname === basePath || url.pathname.startsWith(`${basePath}/`)) {
          return await endpoint(request, url.pathname.slice(basePath.length), info);
        }
        const target = proxyTarget(options.proxy, url);
        if (target === undefined) return undefined;
        if (target === 'refused') return problem(404, 'not_found', 'This path is not proxied');
        return await proxyCall(context, request, target, info);
      } catch (error) {
        return failure(error);
      }
    },
    async close() {
      await refresher.close();
      await store.close();
    },
  };
}

/** An error no route answered: a JSON body with a code, never its message's details or a stack. */
function failure(error: unknown): Response {
  if (error instanceof BffError && error.code === 'upstream_unavailable') {
    return problem(503, error.code, 'The upstream did not answer; try again', [
      ['Retry-After', '1'],
    ]);
  }
  if (error instanceof BffError) return problem(500, error.code, 'The BFF could not answer');
  return problem(503, 'store_unavailable', 'The BFF could not answer; try again', [
    ['Retry-After', '1'],
  ]);
}
