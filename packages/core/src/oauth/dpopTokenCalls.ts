import type * as oauth from 'oauth4webapi';
import type { DpopKeys } from '../session/plugin.js';
import type { OAuthDpop } from './oauthDpop.js';

/** How `oauthServer` sends its token calls with DPoP, and binds a code to the key. */
export interface DpopTokenCalls {
  /**
   * A token call, with oauth4webapi's own DPoP proof (its `DPoP` handle signs the proof and keeps
   * the server's nonce) when the client has a key pair and `proofs` are given, and sent once more
   * when the server asks for a nonce (`use_dpop_nonce`): the session's single flight still makes
   * one refresh.
   */
  send<T>(
    keys: DpopKeys | undefined,
    call: (dpop: oauth.DPoPRequestOptions) => Promise<T>,
  ): Promise<T>;
  /** The key's thumbprint for `dpop_jkt` (RFC 9449 §10), when DPoP is on. */
  thumbprint(keys: DpopKeys | undefined): Promise<string | undefined>;
}

/** DPoP for `oauthServer`'s token calls through `proofs` (`oauthDpop`); without it, none. */
export function dpopTokenCalls(proofs: OAuthDpop | undefined): DpopTokenCalls {
  // One handle per key pair: it keeps the provider's nonce between calls.
  const handles = new WeakMap<CryptoKeyPair, oauth.DPoPHandle>();
  const handleFor = async (keys: DpopKeys, proofs: OAuthDpop) => {
    const pair = await keys.keyPair();
    let handle = handles.get(pair);
    if (!handle) handles.set(pair, (handle = proofs.handle(pair)));
    return handle;
  };
  return {
    async send(keys, call) {
      if (!keys || !proofs) return call({});
      const options = { DPoP: await handleFor(keys, proofs) };
      try {
        return await call(options);
      } catch (error) {
        if (!proofs.isNonceError(error)) throw error;
        return call(options);
      }
    },
    async thumbprint(keys) {
      if (!keys || !proofs) return undefined;
      return (await handleFor(keys, proofs)).calculateThumbprint();
    },
  };
}
