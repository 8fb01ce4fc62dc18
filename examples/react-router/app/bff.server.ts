import { createBff, oidcUpstream } from '@tokenlane/bff';
import { redisStore } from '@tokenlane/bff/redis';

// The app's BFF, one per server process: it signs users in at the OpenID provider, keeps their
// token sets sealed in Redis (every instance shares them) or SQLite, and serves /bff and /api
// from the app's own routes (routes/bff.ts). Loaders read the same sessions through it.

const env = process.env;
const issuer = env.OIDC_ISSUER ?? 'http://127.0.0.1:4300';
const origin = env.APP_ORIGIN ?? 'http://localhost:3000';

/** Where loaders send their API calls (the provider's userinfo endpoint, in this example). */
export const API_URL = `${issuer}/me`;

export const bff = createBff({
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
});

/** The user's `sub` as the API sees it with this request's session, or why not. */
export async function apiUser(request: Request): Promise<string> {
  const session = await bff.getSession(request);
  if (!session) return 'signed out';
  const answer = await fetch(API_URL, { headers: await session.authorization('GET', API_URL) });
  if (!answer.ok) return `failed: ${answer.status}`;
  return ((await answer.json()) as { sub: string }).sub;
}
