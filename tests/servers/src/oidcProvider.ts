import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import fetchCookie from 'fetch-cookie';
import Provider, { type ClientMetadata } from 'oidc-provider';
import { CookieJar } from 'tough-cookie';
import { freePort } from '@tokenlane/test-harness';

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
  /** Distinct access tokens among those 401 answers. */
  refusedTokens: number;
  api: number;
  /** Answers of the revocation endpoint. */
  revocations: number;
  /** Answers that asked for a DPoP nonce (`use_dpop_nonce`), from the token endpoint or `/me`. */
  nonceAsked: number;
}

export interface OidcServer {
  issuer: string;
  redirectUri: string;
  counts: OidcCounts;
  reset(): void;
  /** Revokes every grant: the session ends on the provider. */
  revokeAll(): Promise<void>;
  /** Every refresh token the token endpoint handed out, in order. */
  issuedRefreshTokens: string[];
  /** Whether the provider would still accept `refreshToken` (not rotated away, revoked or expired). */
  isLive(refreshToken: string): Promise<boolean>;
  /** The DPoP key thumbprint (`jkt`) a token is bound to, as the provider stored it; undefined if unbound. */
  bindingOf(token: string, kind: 'access' | 'refresh'): Promise<string | undefined>;
  /**
   * From now on the token endpoint's answers (the provider has done its work: a refresh rotated)
   * are held back until `release()`; `held()` resolves once one is being held.
   */
  holdTokenAnswers(): { held: Promise<void>; release(): void };
  /** Sends a back-channel logout token for `sub` (and `sid`) to a client's `backchannel_logout_uri`. */
  backchannelLogout(clientId: string, sub: string, sid?: string): Promise<void>;
  close(): Promise<void>;
}

/** Options of `startOidcProvider`. */
export interface OidcProviderOptions {
  /** Seconds. @default 3 */
  accessTokenTtlSeconds?: number;
  /** Where the client may be sent back to, besides `<issuer>/callback` (a browser app's page). */
  redirectUris?: string[];
  /**
   * Whether revoking a refresh token revokes its whole grant, every refresh token of it included
   * (oidc-provider's behaviour). Without, the revocation endpoint revokes only the presented token,
   * as RFC 7009 allows and many providers do: a refresh token that a client drops without revoking
   * it then stays valid. @default true
   */
  revokesGrant?: boolean;
  /**
   * DPoP (RFC 9449), on in oidc-provider by default: a client that sends proofs gets bound tokens.
   * With `requireNonce`, every proof must carry the provider's current nonce. @default {}
   */
  dpop?: { requireNonce?: boolean };
  /** More clients (a BFF's confidential client, with a secret or `jwks` for `private_key_jwt`). */
  clients?: ClientMetadata[];
}

export async function startOidcProvider({
  accessTokenTtlSeconds = 3,
  redirectUris = [],
  revokesGrant = true,
  dpop = {},
  clients = [],
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
      ...clients,
    ],
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, email: id }),
    }),
    claims: { openid: ['sub'], email: ['email'] },
    scopes: ['openid', 'offline_access', 'email'],
    features: {
      revocation: { enabled: true },
      devInteractions: { enabled: true },
      backchannelLogout: { enabled: true },
      dPoP: {
        enabled: true,
        nonceSecret: randomBytes(32),
        requireNonce: () => dpop.requireNonce ?? false,
      },
    },
    // A browser app on another origin calls the token, revocation and userinfo endpoints.
    clientBasedCORS: () => true,
    // Its outgoing calls (back-channel logout) go to the tests' loopback servers, which its SSRF
    // guard refuses as special-use addresses: the tests' own fetch, without that guard.
    fetch: (url, options = {}) => {
      const { dispatcher: _guard, ...rest } = options as RequestInit & { dispatcher?: unknown };
      return fetch(url, rest);
    },
    issueRefreshToken: () => true,
    rotateRefreshToken: true,
    // Expired means expired: no leeway on the access tokens it verifies (the default is 15 s).
    clockTolerance: 0,
    ttl: { AccessToken: accessTokenTtlSeconds, IdToken: 3600, RefreshToken: 86_400, Grant: 86_400 },
  });
  const zero = {
    refresh: 0,
    refused: 0,
    unauthorized: 0,
    refusedTokens: 0,
    api: 0,
    revocations: 0,
    nonceAsked: 0,
  };
  const counts: OidcCounts = { ...zero };
  /** The access tokens behind `refusedTokens`. */
  const refused = new Set<string>();
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
  const issuedRefreshTokens: string[] = [];
  let holding: { answered: Promise<void>; onHeld: () => void } | undefined;
  const server: Server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/token/revocation') {
      res.on('finish', () => counts.revocations++);
      if (!revokesGrant) {
        void revokeOnly(req).then(() => res.writeHead(200).end());
        return;
      }
    }
    if (req.method === 'POST' && req.url === '/token') {
      // Read each answer as it goes out: record the refresh token, or hold it back.
      const end = res.end.bind(res) as (chunk?: unknown) => typeof res;
      const hold = holding;
      res.end = ((chunk?: unknown) => {
        if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) {
          const answer = JSON.parse(chunk.toString()) as { refresh_token?: string; error?: string };
          if (answer.refresh_token) issuedRefreshTokens.push(answer.refresh_token);
          if (answer.error === 'use_dpop_nonce') counts.nonceAsked++;
        }
        if (!hold) return end(chunk);
        hold.onHeld();
        void hold.answered.then(() => end(chunk));
        return res;
      }) as typeof res.end;
    }
    if (req.url?.startsWith('/me')) {
      counts.api++;
      res.on('finish', () => {
        if (res.statusCode !== 401) return;
        if (/use_dpop_nonce/.test(String(res.getHeader('www-authenticate')))) {
          counts.nonceAsked++;
          return;
        }
        counts.unauthorized++;
        refused.add(req.headers.authorization ?? '');
        counts.refusedTokens = refused.size;
      });
    }
    void handle(req, res);
  });
  /** RFC 7009 at its narrowest: the presented refresh token is revoked, and nothing else. */
  async function revokeOnly(req: IncomingMessage) {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const token = new URLSearchParams(body).get('token');
    await (token ? await provider.RefreshToken.find(token) : undefined)?.destroy();
  }
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    issuer,
    redirectUri,
    counts,
    reset: () => void (Object.assign(counts, zero), refused.clear()),
    issuedRefreshTokens,
    async isLive(refreshToken) {
      const token = await provider.RefreshToken.find(refreshToken);
      if (!token || token.consumed || token.isExpired) return false;
      return (await provider.Grant.find(token.grantId ?? '')) !== undefined;
    },
    async bindingOf(token, kind) {
      const found =
        kind === 'access'
          ? await provider.AccessToken.find(token)
          : await provider.RefreshToken.find(token);
      return (found as { jkt?: string } | undefined)?.jkt;
    },
    holdTokenAnswers() {
      let release = () => {};
      let onHeld = () => {};
      const held = new Promise<void>((resolve) => (onHeld = resolve));
      const answered = new Promise<void>((resolve) => (release = resolve));
      holding = { answered, onHeld };
      return {
        held,
        release: () => {
          holding = undefined;
          release();
        },
      };
    },
    async backchannelLogout(clientId, sub, sid) {
      const client = await provider.Client.find(clientId);
      if (!client) throw new Error(`no client ${clientId}`);
      await (
        client as unknown as { backchannelLogout(sub: string, sid?: string): Promise<void> }
      ).backchannelLogout(sub, sid);
    },
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
