import { AsyncLocalStorage } from 'node:async_hooks';
import { sessionFacts, type BffContext, type SessionFacts } from './context.js';
import { readCookie, SESSION_COOKIE } from './cookies.js';
import { BffError } from './errors.js';
import { SessionEnded } from './refresh.js';
import type { OpenSession } from './sessions.js';

/**
 * A request's session as server code sees it: a loader, a server component, a route handler, a
 * server function. It never writes a cookie: the browser's cookie names the session, and a
 * refresh changes only the token set in the store, so a server component that cannot write a
 * response header still gets (and leaves behind) the refreshed token.
 */
export interface ServerSession {
  /** The user's claims, as the check-session endpoint gives them. */
  readonly user: Record<string, unknown>;
  /**
   * What the page's client adopts when it hydrates (`<AuthProvider initialSession>`): the
   * check-session answer as of this render, never a token.
   */
  readonly facts: SessionFacts;
  /**
   * The access token, refreshed first when it has less than `refreshLeewaySeconds` left: one
   * upstream refresh per session per rotation, shared by every caller of this request, the
   * concurrent requests of this process and the other instances. Rejects with `BffError`
   * `session_ended` when the upstream refused the refresh.
   */
  accessToken(): Promise<string>;
  /**
   * The headers of a call to an upstream API with the fresh token: `Authorization` (and, with
   * DPoP-bound tokens, `DPoP` with a proof for `method` and `url`).
   */
  authorization(method: string, url: string | URL): Promise<Record<string, string>>;
}

/** What names a request's session: the request, or its headers (`headers()` in Next.js). */
export type SessionSource = Request | Headers;

interface Scope {
  /** Sessions opened in this request, by their cookie (loaders may each get their own request). */
  opened: Map<string, Promise<OpenSession | undefined>>;
}

const scopes = new AsyncLocalStorage<Scope>();

/**
 * Runs `fn` as one request: every `getSession` within it for the same session cookie reads the
 * store once, whichever request or headers object each caller holds. For frameworks with no request object shared by their loaders (middleware
 * wraps the rest of the request in it).
 */
export function withRequestScope<T>(fn: () => T): T {
  return scopes.run({ opened: new Map() }, fn);
}

/** The requests' opened sessions, keyed by their source object: the same object is one read. */
const unscoped = new WeakMap<object, Promise<OpenSession | undefined>>();

/** Server-side access to a BFF's sessions; see `Bff.getSession`. */
export function serverSessions(ctx: BffContext) {
  /** Reads a session once per request; a server render is a use of it, as a proxied call is. */
  const read = async (cookie: string | undefined) => {
    const session = await ctx.sessions.open(cookie);
    if (session) await ctx.sessions.touch(session).catch(() => {});
    return session;
  };
  const open = (source: SessionSource): Promise<OpenSession | undefined> => {
    const cookie = readCookie(source instanceof Headers ? source : source.headers, SESSION_COOKIE);
    // In a request scope, by cookie; else by the source object.
    const scope = scopes.getStore()?.opened;
    const opened = (scope ? scope.get(cookie ?? '') : unscoped.get(source)) ?? read(cookie);
    if (scope) scope.set(cookie ?? '', opened);
    else unscoped.set(source, opened);
    return opened;
  };

  return async function getSession(source: SessionSource): Promise<ServerSession | undefined> {
    const opened = await open(source);
    if (!opened) return undefined;
    // The freshest set this request has seen: one refresh serves every later caller.
    let current = opened;
    const fresh = async () => {
      try {
        current = await ctx.refresher.fresh(current);
      } catch (error) {
        if (error instanceof SessionEnded) {
          throw new BffError('session_ended', 'The session has ended', { cause: error });
        }
        throw error;
      }
      return current;
    };
    return {
      user: opened.user.claims,
      facts: sessionFacts(opened, ctx.now()),
      accessToken: async () => (await fresh()).tokens.accessToken,
      authorization: async (method, url) =>
        ctx.upstream.authorization((await fresh()).tokens, method, new URL(url)),
    };
  };
}
