import { createServer, type Server } from 'node:http';
import fetchCookie from 'fetch-cookie';
import Provider from 'oidc-provider';
import { CookieJar } from 'tough-cookie';
import { freePort } from '@tokenlane/api/testing';

// panva's oidc-provider (a certified OpenID provider) on a free loopback port: a public client
// with PKCE, rotating refresh tokens (a reused one revokes the grant), revocation, the dev login
// form, short access tokens. Its userinfo endpoint (`/me`) is the protected API of the tests.

export const OIDC_CLIENT_ID = 'tokenlane-tests';
export const OIDC_ACCOUNT = 'ada@provider.example';

export interface OidcCounts {
  /** Successful refresh-token grants. */
  refresh: number;
  /** Refresh-token grants refused: with rotation, a presented rotated token (which also revokes the grant). */
  refused: number;
  /** 401 answers on /me. */
  unauthorized: number;
  api: number;
}

export interface OidcServer {
  issuer: string;
  redirectUri: string;
  counts: OidcCounts;
  reset(): void;
  /** Revokes every grant: the session ends on the provider. */
  revokeAll(): Promise<void>;
  close(): Promise<void>;
}

/** Options of `startOidcProvider`. */
export interface OidcProviderOptions {
  /** Seconds. @default 3 */
  accessTokenTtl?: number;
  /** Where the client may be sent back to, besides `<issuer>/callback` (a browser app's page). */
  redirectUris?: string[];
}

export async function startOidcProvider({
  accessTokenTtl = 3,
  redirectUris = [],
}: OidcProviderOptions = {}): Promise<OidcServer> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const redirectUri = `${issuer}/callback`;
  const grants = new Set<string>();
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_CLIENT_ID,
        token_endpoint_auth_method: 'none',
        redirect_uris: [redirectUri, ...redirectUris],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, email: id }),
    }),
    claims: { openid: ['sub'], email: ['email'] },
    scopes: ['openid', 'offline_access', 'email'],
    features: { revocation: { enabled: true }, devInteractions: { enabled: true } },
    // A browser app on another origin calls the token, revocation and userinfo endpoints.
    clientBasedCORS: () => true,
    issueRefreshToken: () => true,
    rotateRefreshToken: true,
    // Expired means expired: no leeway on the access tokens it verifies (the default is 15 s).
    clockTolerance: 0,
    ttl: { AccessToken: accessTokenTtl, IdToken: 3600, RefreshToken: 86_400, Grant: 86_400 },
  });
  const counts: OidcCounts = { refresh: 0, refused: 0, unauthorized: 0, api: 0 };
  const grantType = (ctx: unknown) =>
    (ctx as { oidc?: { params?: { grant_type?: string } } }).oidc?.params?.grant_type;
  provider.on('grant.success', (ctx) => {
    if (grantType(ctx) === 'refresh_token') counts.refresh++;
  });
  provider.on('grant.error', (ctx) => {
    if (grantType(ctx) === 'refresh_token') counts.refused++;
  });
  provider.on('access_token.saved', (token: { grantId?: string }) => {
    if (token.grantId) grants.add(token.grantId);
  });
  const handle = provider.callback();
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/me')) {
      counts.api++;
      res.on('finish', () => {
        if (res.statusCode === 401) counts.unauthorized++;
      });
    }
    void handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    issuer,
    redirectUri,
    counts,
    reset: () => Object.assign(counts, { refresh: 0, refused: 0, unauthorized: 0, api: 0 }),
    async revokeAll() {
      for (const grantId of grants) {
        const grant = await provider.Grant.find(grantId);
        await grant?.destroy();
        await Promise.all(
          [provider.AccessToken, provider.RefreshToken].map((model) =>
            model.adapter.revokeByGrantId(grantId),
          ),
        );
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Signs in through the provider's dev login form as a browser would, starting at `authorizationUrl`;
 * resolves with the redirect back to the app (`.../callback?code=...&state=...`).
 */
export async function signInThroughProvider(
  authorizationUrl: URL,
  redirectUri: string,
): Promise<string> {
  const browser = fetchCookie(fetch, new CookieJar());
  let url = authorizationUrl.href;
  let body: URLSearchParams | undefined;
  for (let step = 0; step < 12; step++) {
    const answer = await browser(url, {
      method: body ? 'POST' : 'GET',
      body,
      redirect: 'manual',
    });
    const location = answer.headers.get('location');
    if (location) {
      const next = new URL(location, url).href;
      await answer.arrayBuffer();
      if (next.startsWith(redirectUri)) return next;
      url = next;
      body = undefined;
      continue;
    }
    // The interaction page: log in as the account, then grant consent.
    const html = await answer.text();
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    if (!prompt)
      throw new Error(`unexpected provider page (${answer.status}): ${html.slice(0, 300)}`);
    body = new URLSearchParams(
      prompt === 'login' ? { prompt, login: OIDC_ACCOUNT, password: 'any' } : { prompt },
    );
  }
  throw new Error('too many steps before the redirect back');
}
