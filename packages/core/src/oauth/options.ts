import type { OAuthDpop } from './oauthDpop.js';
import type { ServerProfile } from '../session/serverProfile.js';
import type { TokenStorage } from '../session/tokenStorage.js';

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
  /**
   * Extra authorization request parameters (`prompt`, `audience`, `resource`, `max_age`...). The
   * ones Tokenlane sets (`client_id`, `redirect_uri`, `response_type`, `scope`, `state`,
   * `code_challenge`, `code_challenge_method`) are refused with an `AuthError`
   * (`oauth_reserved_param`): they carry the request's integrity.
   */
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
  /**
   * `oauthDpop`, for a client with `dpop`: the token calls then carry oauth4webapi's own DPoP
   * proofs, signed with the client's key pair, and the code is bound to it (`dpop_jkt`). Without
   * it, a client with `dpop` refuses this profile (`dpop_unsupported`). @default none
   */
  dpop?: OAuthDpop;
}

/** An OAuth 2.0 profile: a `ServerProfile`, plus the start of the redirect login. */
export interface OAuthServerProfile<TUser> extends ServerProfile<TUser, OAuthCallback> {
  /**
   * The provider's authorization URL for a new login with PKCE (RFC 7636); the verifier and
   * state are kept in `pkceStorage` until `login({ callbackUrl })` completes it. Navigate to it:
   * `location.assign(await profile.authorizationUrl())`. `params` are added for this login only,
   * over `authorizationParams` (a step-up: `{ max_age: '0' }` or the challenge's `acr_values`);
   * the reserved ones are refused as there.
   */
  authorizationUrl(params?: Record<string, string>): Promise<URL>;
}
