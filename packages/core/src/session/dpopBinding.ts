import type { AxiosLike } from '../dpop/dpopAxios.js';

/**
 * The DPoP key pair, for a server profile that makes its auth calls itself (`calls`) and signs
 * their proofs with its own library (OAuth through oauth4webapi's `DPoP` handle).
 */
export interface DpopKeys {
  /** The key pair the tokens are bound to (made on first use; the private key is not extractable). */
  keyPair: () => Promise<CryptoKeyPair>;
}

/**
 * What a client needs from DPoP (RFC 9449), made by `dpop()` from `@tokenlane/react-auth/dpop`:
 * the core and the adapters only see this shape, so an app that does not use DPoP ships none of it.
 */
export interface DpopBinding extends DpopKeys {
  /**
   * Throws an `AuthError` (`dpop_unsupported`) for a server profile whose auth calls bypass the
   * client's transport and do not sign proofs themselves (`dpopCalls`): they would go unbound.
   */
  check: (profile: { calls?: unknown; dpopCalls?: boolean }) => void;
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
