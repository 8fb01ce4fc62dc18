import { createBff, oidcUpstream, type Bff } from '@tokenlane/bff';
import { redisStore } from '@tokenlane/bff/redis';

// The app's BFF, one per server process: it signs users in at the OpenID provider, keeps their
// token sets sealed in Redis (every instance shares them) or SQLite, and serves /bff and /api
// from the app's server routes (routes/bff.$.ts). Server functions read the same sessions.

const env = process.env;
const issuer = env.OIDC_ISSUER ?? 'http://127.0.0.1:4300';
const origin = env.APP_ORIGIN ?? 'http://localhost:3000';

/** Where server functions send their API calls (the provider's userinfo endpoint, here). */
export const API_URL = `${issuer}/me`;

let instance: Bff | undefined;

/** The process's BFF, made on first use. */
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

/** A server route's handler for the BFF's endpoints and its proxy: it answers Web `Request`s. */
export const handleBff = async ({ request }: { request: Request }): Promise<Response> =>
  (await getBff().handle(request)) ?? new Response('Not found', { status: 404 });
