import type { AxiosLike } from '../dpop/dpopAxios.js';

/**
 * What a client needs from DPoP (RFC 9449), made by `dpop()` from `@tokenlane/react-auth/dpop`:
 * the core and the adapters only see this shape, so an app that does not use DPoP ships none of it.
 */
export interface DpopBinding {
  /**
   * Throws an `AuthError` (`dpop_unsupported`) for a server profile whose auth calls bypass the
   * client's transport (OAuth through oauth4webapi): they would go without proofs.
   */
  check: (profile: { calls?: unknown }) => void;
  /** The header that carries a token: `Authorization: DPoP <token>`. */
  authorization: (token: string) => [name: string, value: string];
  /**
   * Wraps the `fetch` a client's requests and auth calls go through: a proof on every auth call
   * and on every request sent with the `DPoP` scheme, the server's nonces remembered, and one
   * retry, with the same body, when the server asks for a nonce (`use_dpop_nonce`).
   */
  wrapFetch: (
    underlying: () => typeof fetch,
    isAuthEndpoint: (url: string) => boolean,
  ) => typeof fetch;
  /** The same on an axios instance (`createAuthClient`); returns a function that detaches it. */
  attachAxios: (instance: AxiosLike, isAuthEndpoint: (url: string) => boolean) => () => void;
}
