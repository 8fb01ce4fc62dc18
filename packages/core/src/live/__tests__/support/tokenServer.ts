import { vi } from 'vitest';
import { USER } from '@tokenlane/test-kit/fakes';
import type { AuthUser } from '../../../session/types.js';

/** A second user: signing in as them starts another user's session. */
export const OTHER: AuthUser = { ...USER, id: 'u2', email: 'other@tokenlane.dev' };

/**
 * A token server behind `fetch`: login and refresh answer `t1`, `t2`, … living 60 s (for `USER`,
 * or `OTHER` when a login names their email), logout 204. `refreshes()` counts the refresh calls.
 */
export function tokenServer() {
  let issued = 0;
  const paths: string[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname;
    paths.push(path);
    if (path.endsWith('/logout')) return new Response(null, { status: 204 });
    const email = path.endsWith('/login')
      ? ((await request.json()) as { email: string }).email
      : '';
    const user = email === OTHER.email ? OTHER : USER;
    return Response.json({ accessToken: `t${++issued}`, expiresIn: 60, user });
  });
  const refreshes = () => paths.filter((path) => path.endsWith('/refresh')).length;
  return { fetch, refreshes };
}
