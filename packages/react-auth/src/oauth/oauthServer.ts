import * as oauth from 'oauth4webapi';
import type { PostJson } from '../core/authCalls.js';
import { AuthError, AuthRequestError } from '../core/errors.js';
import { isExpiryAnswer } from '../core/expiry.js';
import type { ServerProfile } from '../core/serverProfile.js';
import type { TokenStorage } from '../core/tokenStorage.js';
import type { AuthTransport, TokenSet } from '../core/types.js';

/** What `login()` takes with an OAuth profile: the address the provider redirected back to. */
export interface OAuthCallback {
  /** The redirect URI with the provider's answer (`code` and `state`), e.g. `location.href`. */
  callbackUrl: string | URL;
}

/** Options of `oauthServer`. */
export interface OAuthServerOptions {
  /** The provider's issuer, found through discovery (`/.well-known/openid-configuration`). */
  issuer: string;
  /** This app's client id (a public client: no secret in a browser). */
  clientId: string;
  /** Where the provider sends the user back, registered with the provider. */
  redirectUri: string;
  /** @default 'openid offline_access' (offline_access asks for a refresh token) */
  scope?: string;
  /** Extra authorization request parameters (`prompt`, `audience`, `resource`...). */
  authorizationParams?: Record<string, string>;
  /**
   * Endpoints given by hand, for a provider without discovery; `issuer` is then only checked
   * against the tokens. @default discovered
   */
  endpoints?: {
    authorization_endpoint: string;
    token_endpoint: string;
    revocation_endpoint?: string;
  };
  /** Where the PKCE verifier and state wait during the redirect. @default `sessionStorage`, else memory */
  pkceStorage?: TokenStorage;
  /** Allows `http:` provider URLs (local development, tests on loopback). @default false */
  allowInsecureRequests?: boolean;
  /** The `fetch` the protocol calls use. @default `globalThis.fetch` */
  fetch?: typeof fetch;
}

/** An OAuth 2.0 profile: a `ServerProfile`, plus the start of the redirect login. */
export interface OAuthServerProfile<TUser> extends ServerProfile<TUser, OAuthCallback> {
  /**
   * The provider's authorization URL for a new login with PKCE (RFC 7636); the verifier and
   * state are kept in `pkceStorage` until `login({ callbackUrl })` completes it. Navigate to it:
   * `location.assign(await profile.authorizationUrl())`.
   */
  authorizationUrl(): Promise<URL>;
}

const PKCE_KEY = 'tokenlane:oauth:pkce';

function memoryStorage(): TokenStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

/** An oauth4webapi failure as the `AuthRequestError` the session understands. */
function toAuthRequestError(error: unknown): AuthError {
  if (error instanceof AuthError) return error;
  if (error instanceof oauth.ResponseBodyError) {
    // invalid_grant (a revoked, expired or reused refresh token) is a 400: a refusal.
    return new AuthRequestError(
      error.error,
      error.error_description ?? error.error,
      error.status,
      undefined,
      {
        cause: error,
      },
    );
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    return new AuthRequestError('invalid_client', error.message, error.status, undefined, {
      cause: error,
    });
  }
  if (error instanceof oauth.OperationProcessingError) {
    // A body that is not a token answer (an HTML error page, `{}`): no verdict, retried.
    const status = error.cause instanceof Response ? error.cause.status : undefined;
    return new AuthRequestError(
      'invalid_token_response',
      error.message,
      status === 200 ? undefined : status,
      undefined,
      {
        cause: error,
      },
    );
  }
  return new AuthRequestError('network_error', 'Network error', undefined, undefined, {
    cause: error,
  });
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

  let discovered: Promise<oauth.AuthorizationServer> | undefined;
  const server = () =>
    (discovered ??= options.endpoints
      ? Promise.resolve({ issuer: options.issuer, ...options.endpoints })
      : oauth
          .discoveryRequest(issuer, { algorithm: 'oidc', ...http })
          .then((response) => oauth.processDiscoveryResponse(issuer, response))
          .catch((error: unknown) => {
            discovered = undefined;
            throw toAuthRequestError(error);
          }));

  const toTokenSet = (result: oauth.TokenEndpointResponse): TokenSet<TUser> => {
    const claims = result.id_token ? oauth.getValidatedIdTokenClaims(result) : undefined;
    return {
      accessToken: result.access_token,
      expiresIn: result.expires_in,
      refreshToken: result.refresh_token,
      user: claims as TUser | undefined,
    };
  };

  const calls: AuthTransport<TUser, OAuthCallback> = {
    async login({ callbackUrl }) {
      const as = await server();
      const saved = await pkce.getItem(PKCE_KEY);
      await pkce.removeItem(PKCE_KEY);
      if (!saved)
        throw new AuthError('oauth_no_pending_login', 'No login is waiting for this callback');
      const { verifier, state } = JSON.parse(saved) as { verifier: string; state: string };
      try {
        const parameters = oauth.validateAuthResponse(as, client, new URL(callbackUrl), state);
        const response = await oauth.authorizationCodeGrantRequest(
          as,
          client,
          clientAuth,
          parameters,
          options.redirectUri,
          verifier,
          http,
        );
        return toTokenSet(await oauth.processAuthorizationCodeResponse(as, client, response));
      } catch (error) {
        throw toAuthRequestError(error);
      }
    },
    async refresh(refreshToken) {
      if (refreshToken === null)
        throw new AuthRequestError('invalid_grant', 'No refresh token', 400);
      const as = await server();
      try {
        const response = await oauth.refreshTokenGrantRequest(
          as,
          client,
          clientAuth,
          refreshToken,
          http,
        );
        return toTokenSet(await oauth.processRefreshTokenResponse(as, client, response));
      } catch (error) {
        throw toAuthRequestError(error);
      }
    },
    async logout(refreshToken) {
      const as = await server();
      if (!refreshToken || !as.revocation_endpoint) return;
      const response = await oauth.revocationRequest(as, client, clientAuth, refreshToken, http);
      await oauth.processRevocationResponse(response);
    },
  };

  return {
    // The protocol calls go through oauth4webapi, never through client.fetch or client.axios.
    endpoints: { login: '', refresh: '' },
    refreshToken: 'body',
    calls: (_post: PostJson) => calls,
    loginBody: () => ({}),
    refreshBody: () => ({}),
    logoutBody: () => ({}),
    parseTokenResponse: (data) => data as TokenSet<TUser>,
    authorization: (token) => ['Authorization', `Bearer ${token}`],
    isExpired: ({ status, challenge }) => isExpiryAnswer(status, challenge),
    async authorizationUrl() {
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
      url.search = new URLSearchParams({
        client_id: options.clientId,
        redirect_uri: options.redirectUri,
        response_type: 'code',
        scope: options.scope ?? 'openid offline_access',
        state,
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        ...options.authorizationParams,
      }).toString();
      return url;
    },
  };
}
