import * as oauth from 'oauth4webapi';
import type { PostJson } from '../core/authCalls.js';
import type { DpopKeys } from '../core/dpopBinding.js';
import { AuthError, AuthRequestError } from '../core/errors.js';
import { isExpiryAnswer } from '../core/expiry.js';
import type { TokenStorage } from '../core/tokenStorage.js';
import type { AuthTransport, TokenSet } from '../core/types.js';
import type { OAuthCallback, OAuthServerOptions, OAuthServerProfile } from './options.js';
import { toAuthRequestError } from './toAuthRequestError.js';

export type { OAuthCallback, OAuthServerOptions, OAuthServerProfile } from './options.js';

const PKCE_KEY = 'tokenlane:oauth:pkce';

/**
 * The authorization request's parameters that carry its integrity (PKCE, `state`, the client and
 * where the code goes) or its flow (`response_type`, `scope` with its own option): Tokenlane sets
 * them, and `authorizationParams` may not replace them.
 */
const RESERVED_PARAMS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
];

/** `authorizationParams`, refused with `oauth_reserved_param` if it names a reserved parameter. */
function extraParams(params: Record<string, string> = {}): Record<string, string> {
  const reserved = RESERVED_PARAMS.find((name) => Object.hasOwn(params, name));
  if (reserved !== undefined) {
    throw new AuthError(
      'oauth_reserved_param',
      `authorizationParams may not set "${reserved}": Tokenlane sets it${reserved === 'scope' ? ' (use the scope option)' : ''}`,
    );
  }
  return params;
}

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
            throw toAuthRequestError(error);
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
  const proofs = options.dpop;
  const handles = new WeakMap<CryptoKeyPair, oauth.DPoPHandle>();
  /**
   * A token call, with oauth4webapi's own DPoP proof (`DPoP` handle: it signs the proof and keeps
   * the server's nonce) when the client has a key pair, and sent once more when the server asks
   * for a nonce (`use_dpop_nonce`): the session's single flight still makes one refresh.
   */
  async function tokenCall<T>(
    keys: DpopKeys | undefined,
    call: (dpop: oauth.DPoPRequestOptions) => Promise<T>,
  ): Promise<T> {
    if (!keys || !proofs) return call({});
    const pair = await keys.keyPair();
    let handle = handles.get(pair);
    if (!handle) handles.set(pair, (handle = proofs.handle(pair)));
    const options = { DPoP: handle };
    try {
      return await call(options);
    } catch (error) {
      if (!proofs.isNonceError(error)) throw error;
      return call(options);
    }
  }

  const callsWith = (keys: DpopKeys | undefined): AuthTransport<TUser, OAuthCallback> => ({
    async login({ callbackUrl }) {
      const as = await server();
      const saved = await pkce.getItem(PKCE_KEY);
      await pkce.removeItem(PKCE_KEY);
      if (!saved)
        throw new AuthError('oauth_no_pending_login', 'No login is waiting for this callback');
      const { verifier, state } = JSON.parse(saved) as { verifier: string; state: string };
      try {
        const parameters = oauth.validateAuthResponse(as, client, new URL(callbackUrl), state);
        return await tokenCall(keys, async (dpop) => {
          const response = await oauth.authorizationCodeGrantRequest(
            as,
            client,
            clientAuth,
            parameters,
            options.redirectUri,
            verifier,
            { ...http, ...dpop },
          );
          return toTokenSet(await oauth.processAuthorizationCodeResponse(as, client, response));
        });
      } catch (error) {
        throw toAuthRequestError(error);
      }
    },
    async refresh(refreshToken) {
      if (refreshToken === null)
        throw new AuthRequestError('invalid_grant', 'No refresh token', 400);
      const as = await server();
      try {
        return await tokenCall(keys, async (dpop) => {
          const response = await oauth.refreshTokenGrantRequest(
            as,
            client,
            clientAuth,
            refreshToken,
            { ...http, ...dpop },
          );
          return toTokenSet(await oauth.processRefreshTokenResponse(as, client, response));
        });
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
  });

  return {
    // The protocol calls go through oauth4webapi, never through client.fetch or client.axios.
    endpoints: { login: '', refresh: '' },
    refreshToken: 'body',
    calls: (_post: PostJson, dpop?: DpopKeys) => {
      dpopKeys = dpop;
      return callsWith(dpop);
    },
    dpopCalls: proofs !== undefined,
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
      const jkt =
        dpopKeys && proofs && (await proofs.handle(await dpopKeys.keyPair()).calculateThumbprint());
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
