import { json, problem } from '../answers.js';
import { clearedSessionCookie, readCookie, SESSION_COOKIE } from '../cookies.js';
import { refuseCrossSite } from '../guards.js';
import type { BffContext } from '../context.js';

/**
 * `POST <base>/logout`: ends the session, revokes the upstream refresh token, clears the cookie,
 * and answers where the browser may go next (`{ endSessionUrl }`, the provider's RP-initiated
 * logout, when it has one). The cookie is cleared even when the store or the upstream fail.
 */
export async function logout(ctx: BffContext, request: Request): Promise<Response> {
  const refused = refuseCrossSite(request, ctx.origin);
  if (refused) return refused;
  const cleared: [string, string] = ['Set-Cookie', clearedSessionCookie()];
  let session;
  try {
    session = await ctx.sessions.open(readCookie(request.headers, SESSION_COOKIE));
    if (session) await ctx.sessions.end(session.key);
  } catch {
    return problem(503, 'store_unavailable', 'The session store did not answer', [
      cleared,
      ['Retry-After', '1'],
    ]);
  }
  if (!session) return json(200, {}, [cleared]);
  const [, endSessionUrl] = await Promise.all([
    ctx.upstream.revoke(session.tokens).catch(() => {}),
    ctx.upstream.endSessionUrl?.(session.tokens).catch(() => undefined),
  ]);
  return json(200, endSessionUrl ? { endSessionUrl: endSessionUrl.href } : {}, [cleared]);
}
