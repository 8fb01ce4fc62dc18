import { AuthError } from './session/errors.js';
import type { DpopKeys, PluginHooks, TokenlanePlugin } from './session/plugin.js';
import { attachDpopToAxios } from './dpop/dpopAxios.js';
import { createDpopFetch, createNonceProbes } from './dpop/dpopFetch.js';
import { indexedDbKeyStore, memoryKeyStore, type DpopKeyStore } from './dpop/keyStore.js';
import { createDpopProver } from './dpop/prover.js';

export { indexedDbKeyStore, memoryKeyStore, type DpopKeyStore } from './dpop/keyStore.js';
export type { AxiosConfigLike, AxiosLike, AxiosResponseLike } from './dpop/dpopAxios.js';

/** Options of `dpop()`. */
export interface DpopOptions {
  /**
   * Where the key pair lives. @default IndexedDB where there is one (kept across reloads and
   * shared by the tabs), else memory
   */
  keys?: DpopKeyStore;
  /** The clock of the proofs' `iat` and of the nonces' age, epoch ms; tests inject their own. @default Date.now */
  now?: () => number;
}

/** DPoP for a client (a plug-in: `plugins: [dpop()]`), plus control over its key. */
export interface Dpop extends TokenlanePlugin {
  readonly name: 'dpop';
  /** The key pair the proofs are signed with (made on first use, kept in `keys`). */
  keyPair: DpopKeys['keyPair'];
  /** Refuses a profile whose own auth calls sign no proofs; binds the client's calls to the key. */
  setup: (context: { profile: { calls?: unknown; dpopCalls?: boolean } }) => PluginHooks;
  /** The `DPoP` scheme: `['Authorization', 'DPoP <token>']`. */
  authorization: (token: string) => [name: string, value: string];
  /** `fetch` with a proof on every call (the auth calls' without `ath`), and nonce retries. */
  wrapFetch: NonNullable<PluginHooks['wrapFetch']>;
  /** The same for an axios instance, by interceptors; returns their removal. */
  attachAxios: NonNullable<PluginHooks['attachAxios']>;
  /**
   * A proof for a request you send yourself, outside the client (`htm`, `htu`, `ath` when
   * `accessToken` is given; the last nonce of the URL's origin).
   */
  proof: (method: string, url: string, accessToken?: string) => Promise<string>;
  /** Deletes the key pair (tokens bound to it stop working): the next proof makes a new one. */
  forget: () => Promise<void>;
}

/**
 * DPoP (RFC 9449) for a client: its tokens are bound to an ES256 key pair made with WebCrypto,
 * whose private key cannot be exported, so a copied access or refresh token is worthless without
 * it. Pass it in the client's `plugins`; share one between the clients of one browser.
 */
export function dpop(options: DpopOptions = {}): Dpop {
  const keys =
    options.keys ?? (typeof indexedDB === 'undefined' ? memoryKeyStore() : indexedDbKeyStore());
  const prover = createDpopProver(keys, options.now);
  // One probe per origin for every transport of the binding.
  const probe = createNonceProbes(prover);
  const binding: Dpop = {
    name: 'dpop',
    setup({ profile }) {
      if (profile.calls && !profile.dpopCalls) {
        throw new AuthError(
          'dpop_unsupported',
          'DPoP is not supported with this server profile: its auth calls bypass the client and sign no proofs (with oauthServer, pass its dpop: oauthDpop option)',
        );
      }
      const { authorization, wrapFetch, attachAxios } = binding;
      return { authorization, wrapFetch, attachAxios };
    },
    authorization: (token) => ['Authorization', `DPoP ${token}`],
    wrapFetch: (underlying, isAuthEndpoint) =>
      createDpopFetch(prover, probe, underlying, isAuthEndpoint),
    attachAxios: (instance, isAuthEndpoint) =>
      attachDpopToAxios(instance, prover, probe, isAuthEndpoint),
    keyPair: prover.keyPair,
    proof: prover.proof,
    forget: prover.forget,
  };
  return binding;
}
