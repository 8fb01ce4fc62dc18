import * as oauth from 'oauth4webapi';

/**
 * DPoP proofs for `oauthServer`'s token calls, by oauth4webapi itself (its `DPoP` handle signs
 * them and keeps the provider's nonce): the `dpop` option of `oauthServer`. Apart so that an
 * OAuth app without DPoP ships none of it.
 */
export interface OAuthDpop {
  /** oauth4webapi's DPoP handle for a key pair. */
  handle: (keys: CryptoKeyPair) => oauth.DPoPHandle;
  /** Whether a failed call asks for the provider's nonce (`use_dpop_nonce`). */
  isNonceError: (error: unknown) => boolean;
}

/** oauth4webapi's DPoP: pass it as `oauthServer({ ..., dpop: oauthDpop })` with a client's `dpop()`. */
export const oauthDpop: OAuthDpop = {
  handle: (keys) => oauth.DPoP({}, keys),
  isNonceError: oauth.isDPoPNonceError,
};
