import { json, problem, redirect } from '../answers.js';
import {
  clearedSessionCookie,
  loginCookie,
  readCookie,
  SESSION_COOKIE,
  sessionCookie,
} from '../cookies.js';
import type { BffError } from '../errors.js';
import { refuseCrossSite, tooMany } from '../guards.js';
import { sessionFacts, type BffContext, type RequestInfo } from '../context.js';
import { UpstreamAnswer, type UpstreamGrant } from '../upstream/types.js';

/** A path on this origin to come back to after login; anything else is `/`. */
export const localPath = (value: string | null): string =>
  value && value.startsWith('/') && !value.startsWith('//') && !value.includes('\\') ? value : '/';

/** The login transaction's store key: a login's state lives ten minutes, once. */
export const transactionKey = (state: string) => `login:${state}`;
export const LOGIN_TTL_MS = 600_000;

/**
 * `GET <base>/login?returnTo=/path&maxAge=300`: a navigation to the provider (authorization code
 * with PKCE); the state and verifier wait in the store, the state also in a `Lax` cookie that
 * binds the callback to this browser.
 */
export async function startLogin(ctx: BffContext, request: Request, info: RequestInfo) {
  const wait = ctx.limits.login.take(info.clientAddress ?? 'unknown');
  if (wait !== undefined) return tooMany(wait);
  if (ctx.upstream.login !== 'redirect' || !ctx.upstream.authorize) {
    return problem(405, 'method_not_allowed', 'This upstream signs in by a POST of credentials');
  }
  const url = new URL(request.url);
  const raw = url.searchParams.get('maxAge');
  const start = await ctx.upstream.authorize({
    redirectUri: `${ctx.origin}${ctx.basePath}/callback`,
    maxAge: raw !== null && /^\d{1,9}$/.test(raw) ? Number(raw) : undefined,
  });
  const returnTo = localPath(url.searchParams.get('returnTo'));
  await ctx.sessions.store.putOnce(
    transactionKey(start.state),
    JSON.stringify({ transaction: start.transaction, returnTo }),
    LOGIN_TTL_MS,
  );
  return redirect(start.url.href, [['Set-Cookie', loginCookie(start.state)]]);
}

/**
 * `POST <base>/login` with the credentials as JSON (the Tokenlane upstream): the custom header
 * is required, the previous session of this browser ends, a new id is minted (no fixation).
 */
export async function passwordLogin(ctx: BffContext, request: Request, info: RequestInfo) {
  const refused = refuseCrossSite(request, ctx.origin);
  if (refused) return refused;
  const wait = ctx.limits.login.take(info.clientAddress ?? 'unknown');
  if (wait !== undefined) return tooMany(wait);
  if (ctx.upstream.login !== 'password' || !ctx.upstream.passwordLogin) {
    return problem(405, 'method_not_allowed', 'This upstream signs in by a redirect: GET login');
  }
  const credentials: unknown = await request.json().catch(() => undefined);
  if (typeof credentials !== 'object' || credentials === null) {
    return problem(400, 'invalid_request', 'The body must be a JSON object');
  }
  let grant: UpstreamGrant;
  try {
    grant = await ctx.upstream.passwordLogin(credentials);
  } catch (error) {
    if (error instanceof UpstreamAnswer) return json(error.status, error.body ?? {});
    throw error;
  }
  return signIn(ctx, request, grant, (cookie, facts) => json(200, facts, [['Set-Cookie', cookie]]));
}

/**
 * Starts the session of a login: the browser's previous session (if any) ends and its upstream
 * refresh token is revoked, a new id is minted, and the cookie set on the answer `answer` builds.
 */
export async function signIn(
  ctx: BffContext,
  request: Request,
  grant: UpstreamGrant,
  answer: (cookie: string, facts: ReturnType<typeof sessionFacts>) => Response,
): Promise<Response> {
  const previous = await ctx.sessions.open(readCookie(request.headers, SESSION_COOKIE));
  if (previous) {
    await ctx.sessions.end(previous.key);
    await ctx.upstream.revoke(previous.tokens).catch(() => {});
  }
  const { sessionId, session } = await ctx.sessions.create(grant);
  const maxAge = (session.stored.absoluteExpiresAt - ctx.now()) / 1000;
  return answer(sessionCookie(sessionId, maxAge), sessionFacts(session, ctx.now()));
}

/** A login that cannot complete: the session cookie cleared, a typed error. */
export const loginFailed = (error: BffError) =>
  problem(400, error.code, error.message, [['Set-Cookie', clearedSessionCookie()]]);
