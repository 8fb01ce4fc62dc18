import * as oauth from 'oauth4webapi';
import type { PostJson } from '../session/authCalls.js';
import type { DpopKeys } from '../session/plugin.js';
import { AuthError, AuthRequestError } from '../session/errors.js';
import { isExpiryAnswer } from '../session/expiry.js';
import type { TokenStorage } from '../session/tokenStorage.js';
import type { AuthTransport, TokenSet } from '../session/types.js';
import type { OAuthCallback, OAuthServerOptions, OAuthServerProfile } from './options.js';
import { extraParams } from './authorizationParams.js';
import { dpopTokenCalls } from './dpopTokenCalls.js';
import { oauthAuthError } from './oauthAuthError.js';

export type { OAuthCallback, OAuthServerOptions, OAuthServerProfile } from './options.js';

const PKCE_KEY = 'tokenlane:oauth:pkce';

function memoryStorage(): TokenStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

/**
 * An OAuth 2.0 / OpenID Connect provider, through `oauth4webapi` (panva's certified client):
 * login by authorization code with PKCE through a redirect, renewal by the refresh-token grant
 * (RFC 6749 §6, form-encoded, public client), logout by revocation (RFC 7009) when the provider
 * offers it. The refresh token travels in the body: the session holds it (see `storage`) and
 * shares each rotated one with the other tabs before any tab could present the old one.
 */
export function oauthServer<TUser = Record<string, unknown>>(
  options: OAuthServerOptions,
): OAuthServerProfile<TUser> {
  const client: oauth.Client = { client_id: options.clientId };
  const clientAuth = oauth.None();
  const pkce =
    options.pkceStorage ??
    (typeof sessionStorage === 'undefined' ? memoryStorage() : sessionStorage);
  const http = {
    [oauth.allowInsecureRequests]: options.allowInsecureRequests ?? false,
    ...(options.fetch && { [oauth.customFetch]: options.fetch }),
  };
  const issuer = new URL(options.issuer);
  // Refused at once, and again on every login (the options object may be changed later).
  extraParams(options.authorizationParams);

  let discovered: Promise<oauth.AuthorizationServer> | undefined;
  const server = () =>
    (discovered ??= options.endpoints
      ? Promise.resolve({ issuer: options.issuer, ...options.endpoints })
      : oauth
          .discoveryRequest(issuer, { algorithm: 'oidc', ...http })
          .then((response) => oauth.processDiscoveryResponse(issuer, response))
          .catch((error: unknown) => {
            discovered = undefined;
            throw oauthAuthError(error);
          }));

  const toTokenSet = (result: oauth.TokenEndpointResponse): TokenSet<TUser> => {
    const claims = result.id_token ? oauth.getValidatedIdTokenClaims(result) : undefined;
    // Keycloak and others say how long the refresh token lives (`refresh_expires_in`).
    const { refresh_expires_in: endsIn } = result;
    return {
      accessToken: result.access_token,
      expiresIn: result.expires_in,
      refreshToken: result.refresh_token,
      sessionExpiresIn: typeof endsIn === 'number' && endsIn > 0 ? endsIn : undefined,
      user: claims as TUser | undefined,
    };
  };

  /**
   * The DPoP key pair of the last client wired with this profile, for `dpop_jkt` (the clients of
   * one browser share one `dpop()`, so one key pair).
   */
  let dpopKeys: DpopKeys | undefined;
  const dpop = dpopTokenCalls(options.dpop);

  /** A token grant (`request` with the DPoP options, then `process`), its failure a typed error. */
  const grant = (
    keys: DpopKeys | undefined,
    request: (dpop: oauth.DPoPRequestOptions) => Promise<Response>,
    process: (response: Response) => Promise<oauth.TokenEndpointResponse>,
  ) =>
    dpop
      .send(keys, async (proof) => toTokenSet(await process(await request({ ...http, ...proof }))))
      .catch((error: unknown) => {
        throw oauthAuthError(error);
      });

  const callsWith = (keys: DpopKeys | undefined): AuthTransport<TUser, OAuthCallback> => ({
    async login({ callbackUrl }) {
      const as = await server();
      const saved = await pkce.getItem(PKCE_KEY);
      await pkce.removeItem(PKCE_KEY);
      if (!saved)
        throw new AuthError('oauth_no_pending_login', 'No login is waiting for this callback');
      const { verifier, state } = JSON.parse(saved) as { verifier: string; state: string };
      let parameters: URLSearchParams;
      try {
        parameters = oauth.validateAuthResponse(as, client, new URL(callbackUrl), state);
      } catch (error) {
        throw oauthAuthError(error);
      }
      return grant(
        keys,
        (sendOptions) =>
          oauth.authorizationCodeGrantRequest(
            as,
            client,
            clientAuth,
            parameters,
            options.redirectUri,
            verifier,
            sendOptions,
          ),
        (response) => oauth.processAuthorizationCodeResponse(as, client, response),
      );
    },
    async refresh(refreshToken) {
      if (refreshToken === null)
        throw new AuthRequestError('invalid_grant', 'No refresh token', 400);
      const as = await server();
      return grant(
        keys,
        (sendOptions) =>
          oauth.refreshTokenGrantRequest(as, client, clientAuth, refreshToken, sendOptions),
        (response) => oauth.processRefreshTokenResponse(as, client, response),
      );
    },
    async logout(refreshToken) {
      const as = await server();
      if (!refreshToken || !as.revocation_endpoint) return;
      const response = await oauth.revocationRequest(as, client, clientAuth, refreshToken, http);
      await oauth.processRevocationResponse(response);
    },
  });

  return {
    // The protocol calls go through oauth4webapi, never through client.fetch or client.axios.
    endpoints: { login: '', refresh: '' },
    refreshToken: 'body',
    calls: (_post: PostJson, dpop?: DpopKeys) => {
      dpopKeys = dpop;
      return callsWith(dpop);
    },
    dpopCalls: options.dpop !== undefined,
    loginBody: () => ({}),
    refreshBody: () => ({}),
    logoutBody: () => ({}),
    parseTokenResponse: (data) => data as TokenSet<TUser>,
    authorization: (token) => ['Authorization', `Bearer ${token}`],
    isExpired: isExpiryAnswer,
    async authorizationUrl(params) {
      const extra = extraParams({ ...options.authorizationParams, ...params });
      const as = await server();
      if (!as.authorization_endpoint)
        throw new AuthError(
          'oauth_no_authorization_endpoint',
          'The provider has no authorization endpoint',
        );
      const verifier = oauth.generateRandomCodeVerifier();
      const state = oauth.generateRandomState();
      await pkce.setItem(PKCE_KEY, JSON.stringify({ verifier, state }));
      const url = new URL(as.authorization_endpoint);
      // RFC 9449 §10: the code is bound to the key, so only this key can redeem it.
      const jkt = await dpop.thumbprint(dpopKeys);
      url.search = new URLSearchParams({
        ...extra,
        client_id: options.clientId,
        redirect_uri: options.redirectUri,
        response_type: 'code',
        scope: options.scope ?? 'openid offline_access',
        state,
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        ...(jkt && { dpop_jkt: jkt }),
      }).toString();
      return url;
    },
  };
}
