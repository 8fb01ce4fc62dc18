import { problem, json } from '../answers.js';
import { clearedSessionCookie, readCookie, SESSION_COOKIE } from '../cookies.js';
import { refuseCrossSite } from '../guards.js';
import { sessionFacts, type BffContext } from '../context.js';

/** The answer when there is no session: 401 `no_session`, the cookie cleared. */
export const noSession = (message = 'There is no session') =>
  problem(401, 'no_session', message, [['Set-Cookie', clearedSessionCookie()]]);

/**
 * `GET` or `POST <base>/session`, the check-session endpoint: the user's claims and when the
 * access token and the session end; 401 `no_session` otherwise. It needs the custom header
 * (its answer is personal data), does not refresh and does not count as use (a page polling it
 * does not keep an idle session alive).
 */
export async function checkSession(ctx: BffContext, request: Request): Promise<Response> {
  const refused = refuseCrossSite(request, ctx.origin);
  if (refused) return refused;
  const session = await ctx.sessions.open(readCookie(request.headers, SESSION_COOKIE));
  if (!session) return noSession();
  return json(200, sessionFacts(session, ctx.now()));
}
