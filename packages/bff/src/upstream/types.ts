/** The upstream's tokens for one session, as the BFF keeps them (sealed) and never hands out. */
export interface UpstreamTokens {
  accessToken: string;
  /** When the access token expires, ms since the epoch. */
  accessTokenExpiresAt: number;
  refreshToken: string | undefined;
  /** When the refresh token (so the session) ends, ms, when the upstream says. */
  refreshTokenExpiresAt?: number | undefined;
  /** The ID token, for the provider's end-session endpoint (`id_token_hint`). */
  idToken?: string | undefined;
}

/** Who signed in, as the upstream told it. */
export interface UpstreamUser {
  /** The claims the check-session endpoint hands the page (the ID token's, or the API's user). */
  claims: Record<string, unknown>;
  /** The user's id at the upstream (`sub`). */
  subject: string;
  /** The upstream's session id (`sid`), for back-channel logout. */
  sid?: string | undefined;
}

/** Tokens as an upstream hands them out: lifetimes in seconds, read on the BFF's clock. */
export interface IssuedTokens {
  accessToken: string;
  /** Seconds the access token lives. */
  expiresIn: number;
  /** A new refresh token (rotation); without one, the previous one stays. */
  refreshToken?: string | undefined;
  /** Seconds the refresh token (so the session) lives, when the upstream says. */
  refreshExpiresIn?: number | undefined;
  idToken?: string | undefined;
}

/** A login or a refresh's result. */
export interface UpstreamGrant {
  tokens: IssuedTokens;
  /** The user, on a login; on a refresh, only when the upstream told it again. */
  user?: UpstreamUser | undefined;
}

/** A redirect login in progress: where to send the browser, and what to keep until it is back. */
export interface AuthorizationStart {
  url: URL;
  /** Opaque; handed back to `callback` (the PKCE verifier, state and nonce). */
  transaction: string;
  /** The `state` parameter, the key of the transaction. */
  state: string;
}

/** Options of a login's redirect. */
export interface AuthorizationOptions {
  redirectUri: string;
  /** Seconds: the provider must have authenticated the user at most this long ago (step-up). */
  maxAge?: number | undefined;
  /** `acr_values` to ask for. */
  acrValues?: string | undefined;
}

/**
 * An upstream the BFF signs users in with and proxies to: an OpenID Connect provider
 * (`oidcUpstream`) or the Tokenlane API (`tokenlaneUpstream`). Refreshes throw
 * `BffError('upstream_refused')` when the upstream refuses the grant for what it is (the session
 * ends) and `BffError('upstream_unavailable')` for anything else (the session is kept).
 */
export interface Upstream {
  /** `redirect`: login by navigation to the provider; `password`: a JSON post of credentials. */
  readonly login: 'redirect' | 'password';
  /** Starts a redirect login (`login: 'redirect'`). */
  authorize?(options: AuthorizationOptions): Promise<AuthorizationStart>;
  /** Ends a redirect login: the callback URL the browser came back with. */
  callback?(callbackUrl: URL, transaction: string): Promise<UpstreamGrant>;
  /** Signs in with credentials (`login: 'password'`); an `UpstreamAnswer` carries the refusal. */
  passwordLogin?(credentials: unknown): Promise<UpstreamGrant>;
  refresh(tokens: UpstreamTokens): Promise<UpstreamGrant>;
  /** Revokes the refresh token (logout); best effort. */
  revoke(tokens: UpstreamTokens): Promise<void>;
  /** The provider's end-session URL, where the browser goes after logout, if it has one. */
  endSessionUrl?(tokens: UpstreamTokens): Promise<URL | undefined>;
  /** Verifies an OpenID Connect back-channel logout token; resolves with whom it signs out. */
  verifyLogoutToken?(token: string): Promise<{ subject?: string; sid?: string }>;
  /** The headers that carry the access token to `url` (`Authorization`, and `DPoP` for bound tokens). */
  authorization(tokens: UpstreamTokens, method: string, url: URL): Promise<Record<string, string>>;
}

/** An upstream's refusal the BFF passes on as it is (the API's `invalid_credentials`). */
export class UpstreamAnswer extends Error {
  override readonly name = 'UpstreamAnswer';
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`The upstream answered ${status}`);
  }
}
