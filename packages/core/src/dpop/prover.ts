import { base64url, CompactSign, exportJWK, type JWK } from 'jose';
import type { DpopKeyStore } from './keyStore.js';

/** Signs DPoP proofs (RFC 9449 §4.2) with one ES256 key pair, and remembers the servers' nonces. */
export interface DpopProver {
  /** A proof for `method url` (query and fragment dropped), with `ath` when `accessToken` is given. */
  proof: (method: string, url: string, accessToken?: string) => Promise<string>;
  /** The key pair the proofs are signed with (made and stored on first use). */
  keyPair: () => Promise<CryptoKeyPair>;
  /** Notes the nonce an answer from `url`'s origin handed out (`DPoP-Nonce`). */
  observe(url: string, nonce: string | null): void;
  /**
   * Whether the nonce held for `origin` may have expired: one was handed out, but no answer has
   * renewed it for `NONCE_FRESH_MS` (a tab back from sleep).
   */
  isStale(origin: string): boolean;
  /** Forgets the key pair (and the nonces): the next proof makes a new pair. */
  forget: () => Promise<void>;
}

/** A new ES256 key pair whose private key can sign but never be exported. */
const generate = () =>
  crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);

/** `url` resolved against the page (axios hands over `/auth/refresh` when `baseURL` is `/`). */
const parse = (url: string) =>
  new URL(url, typeof location === 'undefined' ? undefined : location.href);

/** The origin `url` is sent to, the key of its nonce. */
export const originOf = (url: string): string => parse(url).origin;

/**
 * How long a server nonce is taken as current after the last answer that carried it. Servers
 * rotate them every few minutes (RFC 9449 §8 leaves it to them); past this, the next request to
 * the origin goes first, alone, and the others follow with the nonce its answer brings.
 */
export const NONCE_FRESH_MS = 60_000;

/**
 * A prover over `keys`, made on first use and kept there (one pair for every tab). `now` is the
 * clock of `iat` and of the nonces' age (epoch ms).
 */
export function createDpopProver(keys: DpopKeyStore, now: () => number = Date.now): DpopProver {
  const nonces = new Map<string, { nonce: string; at: number }>();
  let current: Promise<{ pair: CryptoKeyPair; jwk: JWK }> | undefined;
  const load = async () => {
    const pair = (await keys.get()) ?? (await keys.add(await generate()));
    const { kty, crv, x, y } = await exportJWK(pair.publicKey);
    return { pair, jwk: { kty, crv, x, y } };
  };
  const key = () => {
    current ??= load().catch((error: unknown) => {
      current = undefined;
      throw error;
    });
    return current;
  };
  return {
    async proof(method, url, accessToken) {
      const { pair, jwk } = await key();
      const target = parse(url);
      const nonce = nonces.get(target.origin)?.nonce;
      const ath =
        accessToken === undefined
          ? undefined
          : base64url.encode(
              new Uint8Array(
                await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken)),
              ),
            );
      const claims = {
        htm: method.toUpperCase(),
        htu: `${target.origin}${target.pathname}`,
        iat: Math.floor(now() / 1000),
        jti: crypto.randomUUID(),
        ...(ath !== undefined && { ath }),
        ...(nonce !== undefined && { nonce }),
      };
      // A JWS over the claims (jose's CompactSign: the JWT helpers would add nothing a proof needs).
      return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
        .sign(pair.privateKey);
    },
    keyPair: async () => (await key()).pair,
    observe(url, nonce) {
      if (nonce) nonces.set(originOf(url), { nonce, at: now() });
    },
    isStale(origin) {
      const held = nonces.get(origin);
      return held !== undefined && now() - held.at > NONCE_FRESH_MS;
    },
    async forget() {
      current = undefined;
      nonces.clear();
      await keys.clear();
    },
  };
}
