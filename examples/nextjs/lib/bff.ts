import 'server-only';
import { createBff, oidcUpstream, type Bff, type ServerSession } from '@tokenlane/bff';
import { redisStore } from '@tokenlane/bff/redis';
import { headers } from 'next/headers';
import { cache } from 'react';

// The app's BFF, one per server process: it signs users in at the OpenID provider, keeps their
// token sets sealed in Redis (every instance shares them) or SQLite, and serves /bff and /api
// from the app's route handlers. Server components, route handlers, server actions and proxy.ts
// read the same sessions through it.

const env = process.env;
const issuer = env.OIDC_ISSUER ?? 'http://127.0.0.1:4300';
const origin = env.APP_ORIGIN ?? 'http://localhost:3000';

/** Where server code sends its API calls (the provider's userinfo endpoint, in this example). */
export const API_URL = `${issuer}/me`;

let instance: Bff | undefined;

/** The process's BFF, made on first use (a build loads this module with no configuration). */
export const getBff = (): Bff =>
  (instance ??= createBff({
    upstream: oidcUpstream({
      issuer,
      clientId: env.OIDC_CLIENT_ID ?? 'tokenlane-example',
      client: { secret: env.OIDC_CLIENT_SECRET ?? '' },
      redirectUri: `${origin}/bff/callback`,
      scope: 'openid offline_access email',
      allowInsecureRequests: issuer.startsWith('http://127.0.0.1'),
    }),
    ...(env.REDIS_URL && { store: redisStore({ redis: env.REDIS_URL }) }),
    origin,
    proxy: [{ path: '/api/me', target: API_URL }],
    refreshLeewaySeconds: Number(env.REFRESH_LEEWAY_SECONDS ?? 10),
  }));

/**
 * This request's session (server components, route handlers, server actions): React's `cache`
 * makes it one store read per request however many components ask.
 */
export const getSession = cache(async (): Promise<ServerSession | undefined> => {
  const source = await headers(); // First: it makes the page dynamic (never prerendered).
  return getBff().getSession(source);
});

/** The user's `sub` as the API sees it with this request's session, or why not. */
export async function apiUser(): Promise<string> {
  const session = await getSession();
  if (!session) return 'signed out';
  const answer = await fetch(API_URL, {
    headers: await session.authorization('GET', API_URL),
    cache: 'no-store',
  });
  if (!answer.ok) return `failed: ${answer.status}`;
  return ((await answer.json()) as { sub: string }).sub;
}
