import { landing, problem } from '../answers.js';
import { clearedLoginCookie, LOGIN_COOKIE, readCookie } from '../cookies.js';
import { BffError } from '../errors.js';
import type { BffContext } from '../context.js';
import { signIn, transactionKey } from './login.js';

/**
 * `GET <base>/callback?code=...&state=...`: the provider sent the browser back. The state must be
 * the one in this browser's login cookie and in the store (once); the code is exchanged with the
 * client's authentication and the PKCE verifier; the browser goes on to its `returnTo` path by a
 * same-site step (`landing`), which carries the new session cookie.
 */
export async function finishLogin(ctx: BffContext, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const state = url.searchParams.get('state');
  const cleared: [string, string] = ['Set-Cookie', clearedLoginCookie()];
  if (!state || readCookie(request.headers, LOGIN_COOKIE) !== state) {
    return problem(400, 'login_invalid', 'This callback matches no login of this browser', [
      cleared,
    ]);
  }
  const saved = await ctx.sessions.store.takeOnce(transactionKey(state));
  if (!saved || !ctx.upstream.callback) {
    return problem(400, 'login_invalid', 'This login has expired or was used', [cleared]);
  }
  const { transaction, returnTo } = JSON.parse(saved) as { transaction: string; returnTo: string };
  try {
    const grant = await ctx.upstream.callback(url, transaction);
    return await signIn(ctx, request, grant, (cookie) =>
      landing(returnTo, [cleared, ['Set-Cookie', cookie]]),
    );
  } catch (error) {
    if (error instanceof BffError && error.code === 'login_invalid') {
      return problem(400, error.code, error.message, [cleared]);
    }
    throw error;
  }
}
