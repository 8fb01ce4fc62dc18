import * as oauth from 'oauth4webapi';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { BffError } from '../errors.js';
import { upstreamError } from './oauthErrors.js';
import type { IssuedTokens, Upstream, UpstreamGrant } from './types.js';

/** How the BFF authenticates to the token endpoint, as a confidential client. */
export type ClientAuthentication =
  /** `client_secret_basic`. */
  | { secret: string }
  /** `private_key_jwt` (RFC 7523): an assertion signed with the client's private key. */
  | { privateKey: CryptoKey; kid?: string };

/** Options of `oidcUpstream`. */
export interface OidcUpstreamOptions {
  /** The provider's issuer URL (its discovery document is read once). */
  issuer: string;
  clientId: string;
  client: ClientAuthentication;
  /** The BFF's callback URL, registered with the provider. */
  redirectUri: string;
  /** @default 'openid offline_access' */
  scope?: string;
  /** Plain `http://` provider URLs, for tests on loopback only. @default false */
  allowInsecureRequests?: boolean;
  /** Milliseconds a provider call may take. @default 10_000 */
  timeoutMs?: number;
}

/** ID token claims about the token itself, not the user: never handed to the page. */
const TOKEN_CLAIMS = [
  'iss',
  'aud',
  'exp',
  'iat',
  'nbf',
  'nonce',
  'at_hash',
  'c_hash',
  'azp',
  'jti',
];

const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/**
 * Any OpenID Connect provider, through oauth4webapi (panva's certified client) as a confidential
 * client: authorization code with PKCE and a nonce, refresh-token rotation, revocation (RFC 7009),
 * RP-initiated logout and back-channel logout tokens checked against the provider's keys.
 */
export function oidcUpstream(options: OidcUpstreamOptions): Upstream {
  const client: oauth.Client = { client_id: options.clientId };
  const clientAuth =
    'secret' in options.client
      ? oauth.ClientSecretBasic(options.client.secret)
      : oauth.PrivateKeyJwt({ key: options.client.privateKey, kid: options.client.kid });
  const http = () => ({
    [oauth.allowInsecureRequests]: options.allowInsecureRequests ?? false,
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  const issuer = new URL(options.issuer);
  let discovered: Promise<oauth.AuthorizationServer> | undefined;
  const server = () =>
    (discovered ??= oauth
      .discoveryRequest(issuer, { algorithm: 'oidc', ...http() })
      .then((response) => oauth.processDiscoveryResponse(issuer, response))
      .catch((error: unknown) => {
        discovered = undefined;
        throw upstreamError(error);
      }));
  let keys: ReturnType<typeof createRemoteJWKSet> | undefined;

  const tokensOf = (result: oauth.TokenEndpointResponse): IssuedTokens => {
    const endsIn = result.refresh_expires_in;
    return {
      accessToken: result.access_token,
      expiresIn: result.expires_in ?? 300,
      refreshToken: result.refresh_token,
      refreshExpiresIn: typeof endsIn === 'number' && endsIn > 0 ? endsIn : undefined,
      idToken: result.id_token,
    };
  };
  const grantOf = (result: oauth.TokenEndpointResponse) => {
    const claims = result.id_token ? oauth.getValidatedIdTokenClaims(result) : undefined;
    const grant: UpstreamGrant = { tokens: tokensOf(result) };
    if (claims) {
      const { sub, sid } = claims as { sub: string; sid?: unknown };
      const user = Object.fromEntries(
        Object.entries(claims).filter(([name]) => !TOKEN_CLAIMS.includes(name)),
      );
      grant.user = {
        claims: user,
        subject: sub,
        sid: typeof sid === 'string' ? sid : undefined,
      };
    }
    return grant;
  };

  return {
    login: 'redirect',
    async authorize({ redirectUri, maxAge, acrValues }) {
      const as = await server();
      if (!as.authorization_endpoint) {
        throw new BffError('config_invalid', 'The provider has no authorization endpoint');
      }
      const verifier = oauth.generateRandomCodeVerifier();
      const state = oauth.generateRandomState();
      const nonce = oauth.generateRandomNonce();
      const url = new URL(as.authorization_endpoint);
      url.search = new URLSearchParams({
        client_id: options.clientId,
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: options.scope ?? 'openid offline_access',
        state,
        nonce,
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        // The provider shows its consent screen for offline_access.
        prompt: 'consent',
        ...(maxAge !== undefined && { max_age: String(maxAge) }),
        ...(acrValues && { acr_values: acrValues }),
      }).toString();
      const transaction = JSON.stringify({ verifier, state, nonce, redirectUri, maxAge });
      return { url, transaction, state };
    },
    async callback(callbackUrl, transaction) {
      const saved = JSON.parse(transaction) as {
        verifier: string;
        state: string;
        nonce: string;
        redirectUri: string;
        maxAge?: number;
      };
      try {
        const as = await server();
        const params = oauth.validateAuthResponse(as, client, callbackUrl, saved.state);
        const response = await oauth.authorizationCodeGrantRequest(
          as,
          client,
          clientAuth,
          params,
          saved.redirectUri,
          saved.verifier,
          http(),
        );
        const result = await oauth.processAuthorizationCodeResponse(as, client, response, {
          expectedNonce: saved.nonce,
          requireIdToken: true,
          ...(saved.maxAge !== undefined && { maxAge: saved.maxAge }),
        });
        const grant = grantOf(result);
        // The user's profile claims (email, name) come from the userinfo endpoint, once per login.
        if (as.userinfo_endpoint && grant.user) {
          const info = await oauth.processUserInfoResponse(
            as,
            client,
            grant.user.subject,
            await oauth.userInfoRequest(as, client, result.access_token, http()),
          );
          grant.user.claims = { ...info, ...grant.user.claims };
        }
        return grant;
      } catch (error) {
        if (error instanceof oauth.AuthorizationResponseError) {
          throw new BffError('login_invalid', `The provider refused the login (${error.error})`);
        }
        throw upstreamError(error);
      }
    },
    async refresh(tokens) {
      if (!tokens.refreshToken) throw new BffError('upstream_refused', 'No refresh token');
      try {
        const as = await server();
        const response = await oauth.refreshTokenGrantRequest(
          as,
          client,
          clientAuth,
          tokens.refreshToken,
          http(),
        );
        return grantOf(await oauth.processRefreshTokenResponse(as, client, response));
      } catch (error) {
        throw upstreamError(error);
      }
    },
    async revoke(tokens) {
      const as = await server();
      if (!tokens.refreshToken || !as.revocation_endpoint) return;
      const response = await oauth.revocationRequest(
        as,
        client,
        clientAuth,
        tokens.refreshToken,
        http(),
      );
      await oauth.processRevocationResponse(response);
    },
    async endSessionUrl(tokens) {
      const as = await server();
      if (!as.end_session_endpoint) return undefined;
      const url = new URL(as.end_session_endpoint);
      url.searchParams.set('client_id', options.clientId);
      if (tokens.idToken) url.searchParams.set('id_token_hint', tokens.idToken);
      return url;
    },
    async verifyLogoutToken(token) {
      const as = await server();
      if (!as.jwks_uri) throw new BffError('config_invalid', 'The provider has no jwks_uri');
      keys ??= createRemoteJWKSet(new URL(as.jwks_uri));
      const { payload } = await jwtVerify(token, keys, {
        issuer: as.issuer,
        audience: options.clientId,
        maxTokenAge: '5 min',
      });
      const events = payload.events as Record<string, unknown> | undefined;
      const { sub, sid } = payload as { sub?: string; sid?: unknown };
      // OpenID Connect Back-Channel Logout 1.0 §2.6: the event, no nonce, a sub or a sid.
      if (!events || typeof events[BACKCHANNEL_EVENT] !== 'object' || 'nonce' in payload) {
        throw new BffError('login_invalid', 'Not a logout token');
      }
      if (!sub && typeof sid !== 'string') throw new BffError('login_invalid', 'No sub or sid');
      return { ...(sub && { subject: sub }), ...(typeof sid === 'string' && { sid }) };
    },
    authorization: (tokens) => Promise.resolve({ Authorization: `Bearer ${tokens.accessToken}` }),
  };
}
