import { json, problem } from '../answers.js';
import { indexHash } from '../sessions.js';
import type { BffContext } from '../context.js';

/**
 * `POST <base>/backchannel-logout`: OpenID Connect Back-Channel Logout 1.0. The provider posts a
 * signed logout token; every session of its `sid` (or, without one, of its `sub`) ends, so every
 * tab of that user is signed out at its next call or check. Server to server: no cookie, no
 * custom header; the token's signature, issuer, audience and age are the proof.
 */
export async function backchannelLogout(ctx: BffContext, request: Request): Promise<Response> {
  if (!ctx.upstream.verifyLogoutToken) {
    return problem(404, 'not_found', 'This upstream has no back-channel logout');
  }
  const form = await request.formData().catch(() => undefined);
  const token = form?.get('logout_token');
  if (typeof token !== 'string') {
    return problem(400, 'invalid_request', 'A logout_token is required');
  }
  let who;
  try {
    who = await ctx.upstream.verifyLogoutToken(token);
  } catch {
    return problem(400, 'invalid_request', 'The logout token is not valid');
  }
  await (who.sid
    ? ctx.sessions.store.deleteWhere({ sid: indexHash(who.sid) })
    : ctx.sessions.store.deleteWhere({ subject: indexHash(who.subject ?? '') }));
  return json(200, {});
}
