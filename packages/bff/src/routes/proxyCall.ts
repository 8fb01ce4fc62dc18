import { problem } from '../answers.js';
import { readCookie, SESSION_COOKIE } from '../cookies.js';
import { BffError } from '../errors.js';
import { refuseCrossSite, tooMany } from '../guards.js';
import { forward } from '../proxy.js';
import { SessionEnded } from '../refresh.js';
import type { OpenSession } from '../sessions.js';
import type { BffContext, RequestInfo } from '../context.js';
import { noSession } from './session.js';

/** A 401 that asks for a newer sign-in (RFC 9470): passed on to the page, never a refresh. */
const STEP_UP = /insufficient_user_authentication/i;

/**
 * A proxied call: the custom header and a session required; the access token refreshed inline
 * when it is about to expire (one refresh per session, see `Refresher`); the call forwarded with
 * it. An upstream 401 (the token was refused) leads to one more refresh: if the upstream refuses
 * that too, the session has ended and the page gets 401 `no_session`; if it succeeds, a call
 * without a body is sent once more.
 */
export async function proxyCall(
  ctx: BffContext,
  request: Request,
  target: URL,
  info: RequestInfo,
): Promise<Response> {
  const refused = refuseCrossSite(request, ctx.origin);
  if (refused) return refused;
  const wait = ctx.limits.proxy.take(info.clientAddress ?? 'unknown');
  if (wait !== undefined) return tooMany(wait);
  const opened = await ctx.sessions.open(readCookie(request.headers, SESSION_COOKIE));
  if (!opened) return noSession();
  const send = async (session: OpenSession, body?: ArrayBuffer | null) =>
    forward(request, target, {
      credentials: await ctx.upstream.authorization(session.tokens, request.method, target),
      timeoutMs: ctx.upstreamTimeoutMs,
      ...(body !== undefined && { body }),
    });
  try {
    const session = await ctx.refresher.fresh(opened);
    // Moving the idle end is best effort: a store that fails here must not fail a fresh call.
    await ctx.sessions.touch(session).catch(() => {});
    const answer = await send(session);
    if (answer.status !== 401 || STEP_UP.test(answer.headers.get('www-authenticate') ?? '')) {
      return answer;
    }
    // The upstream refused a token we thought good (revoked, or its clock is ahead).
    const renewed = await ctx.refresher.renew(session);
    if (request.method !== 'GET' && request.method !== 'HEAD') return answer;
    await answer.body?.cancel();
    return await send(renewed, null);
  } catch (error) {
    if (error instanceof SessionEnded) return noSession('The session has ended');
    if (error instanceof BffError && error.code === 'upstream_unavailable') {
      return problem(503, 'upstream_unavailable', 'The upstream did not answer; try again', [
        ['Retry-After', '1'],
      ]);
    }
    if (
      error instanceof Error &&
      (error.name === 'TimeoutError' || error.message === 'upstream timeout')
    ) {
      return problem(504, 'upstream_timeout', 'The upstream did not answer in time');
    }
    if (error instanceof TypeError) {
      return problem(502, 'upstream_unreachable', 'The upstream could not be reached');
    }
    throw error;
  }
}
