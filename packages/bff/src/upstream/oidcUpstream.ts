import * as oauth from 'oauth4webapi';
import { BffError } from '../errors.js';
import { dpopProofs } from './dpopProofs.js';
import { upstreamError } from './oauthErrors.js';
import { grantOf } from './oidcGrants.js';
import { verifyLogoutToken } from './oidcLogout.js';
import type { Upstream } from './types.js';

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
  /**
   * DPoP (RFC 9449): the upstream's tokens bound to this key pair, which the BFF keeps (the same
   * one on every instance; ES256 or EdDSA). Token calls carry proofs through oauth4webapi, the
   * authorization code is bound to its thumbprint (`dpop_jkt`), and every proxied call carries
   * `Authorization: DPoP` and a proof for its method and URL. A token copied out of the BFF is
   * worthless without the private key.
   */
  dpop?: CryptoKeyPair;
}

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
  const handle = options.dpop && oauth.DPoP(client, options.dpop);
  const proofs = options.dpop && dpopProofs(options.dpop);
  const http = () => ({
    [oauth.allowInsecureRequests]: options.allowInsecureRequests ?? false,
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    ...(handle && { DPoP: handle }),
  });
  /** A token call, sent once more when the provider asks for a DPoP nonce (it hands one). */
  const withNonce = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      if (handle && oauth.isDPoPNonceError(error)) return call();
      throw error;
    }
  };
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
        // RFC 9449 §10: only this key can redeem the code.
        ...(proofs && { dpop_jkt: await proofs.thumbprint() }),
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
        const result = await withNonce(async () =>
          oauth.processAuthorizationCodeResponse(
            as,
            client,
            await oauth.authorizationCodeGrantRequest(
              as,
              client,
              clientAuth,
              params,
              saved.redirectUri,
              saved.verifier,
              http(),
            ),
            {
              expectedNonce: saved.nonce,
              requireIdToken: true,
              ...(saved.maxAge !== undefined && { maxAge: saved.maxAge }),
            },
          ),
        );
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
        const refreshToken = tokens.refreshToken;
        const result = await withNonce(async () =>
          oauth.processRefreshTokenResponse(
            as,
            client,
            await oauth.refreshTokenGrantRequest(as, client, clientAuth, refreshToken, http()),
          ),
        );
        return grantOf(result);
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
    verifyLogoutToken: async (token) => verifyLogoutToken(await server(), options.clientId, token),
    async authorization(tokens, method, url): Promise<Record<string, string>> {
      if (!proofs) return { Authorization: `Bearer ${tokens.accessToken}` };
      return {
        Authorization: `DPoP ${tokens.accessToken}`,
        DPoP: await proofs.proof(method, url, tokens.accessToken),
      };
    },
  };
}
