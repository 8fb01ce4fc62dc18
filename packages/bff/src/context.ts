import type { RateLimit } from './guards.js';
import type { ProxyRoute } from './proxy.js';
import type { Refresher } from './refresh.js';
import type { OpenSession, Sessions } from './sessions.js';
import type { Upstream } from './upstream/types.js';
import { endOf } from './store/types.js';

/** What every route of a BFF shares. */
export interface BffContext {
  upstream: Upstream;
  sessions: Sessions;
  refresher: Refresher;
  routes: readonly ProxyRoute[];
  /** The app's origin (`https://app.example`): the only one allowed to call. */
  origin: string;
  /** Where the BFF's own endpoints are, `/bff` by default. */
  basePath: string;
  /** Milliseconds the upstream's answer headers may take. */
  upstreamTimeoutMs: number;
  limits: { login: RateLimit; proxy: RateLimit };
  now: () => number;
}

/** Where a request comes from (the rate limits' key), as the server adapter tells it. */
export interface RequestInfo {
  clientAddress?: string | undefined;
}

/**
 * What the check-session endpoint tells the page: the user's claims and when things end, in
 * seconds from now, never a token. `expiresIn` is when the page must ask again (the session's
 * end, idle or absolute); `accessTokenExpiresIn` is for display and tracing only. Server
 * rendering hands the same to the page's client (`ServerSession.facts`).
 */
export interface SessionFacts {
  user: Record<string, unknown>;
  expiresIn: number;
  sessionExpiresIn: number;
  accessTokenExpiresIn: number;
  acr: string | undefined;
  authTime: number | undefined;
}

/** The check-session answer for `session` at `now`; see `SessionFacts`. */
export function sessionFacts(session: OpenSession, now: number): SessionFacts {
  const seconds = (at: number) => Math.max(0, Math.floor((at - now) / 1000));
  const { claims } = session.user;
  return {
    user: claims,
    expiresIn: seconds(endOf(session.stored)),
    sessionExpiresIn: seconds(session.stored.absoluteExpiresAt),
    accessTokenExpiresIn: seconds(session.tokens.accessTokenExpiresAt),
    acr: typeof claims.acr === 'string' ? claims.acr : undefined,
    authTime: typeof claims.auth_time === 'number' ? claims.auth_time : undefined,
  };
}
