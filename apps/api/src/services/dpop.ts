import { createHash, createHmac } from 'node:crypto';
import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify, type JWK } from 'jose';
import type { Config } from '../config.js';
import type { ProofStore } from '../store/types.js';

/**
 * Asymmetric algorithms only (RFC 9449 §11.6): `none` and the HMAC algorithms cannot prove
 * possession of a private key, and jose refuses every algorithm not listed here.
 */
export const DPOP_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519', 'PS256', 'RS256'];

/** Seconds a proof is accepted after its `iat` (plus the clock tolerance either side). */
export const PROOF_MAX_AGE_S = 60;

/** A server nonce lives for one period and the next (two to four minutes in all). */
export const NONCE_PERIOD_MS = 120_000;

/** Longest proof read (a JWT with an RSA-4096 key fits in well under this). */
const MAX_PROOF_LENGTH = 8192;

/** Why a proof was refused: `invalid_dpop_proof`, or `use_dpop_nonce` (retry with `DPoP-Nonce`). */
export class DpopProofError extends Error {
  override name = 'DpopProofError';
  constructor(
    readonly code: 'invalid_dpop_proof' | 'use_dpop_nonce',
    message: string,
  ) {
    super(message);
  }
}

/** What a request offers to prove possession of a key. */
export interface ProofInput {
  /** The `DPoP` header, as received (absent, or several joined with commas: refused). */
  proof: string | undefined;
  method: string;
  /** The request's absolute URL (query and fragment are ignored). */
  url: string;
  /** The access token presented with it: the proof must carry its hash (`ath`). */
  accessToken?: string | undefined;
}

/** DPoP proof checking (RFC 9449 §4.3), with a replay cache and optional server nonces. */
export interface DpopService {
  readonly mode: Config['dpop'];
  /**
   * Checks the request's proof and resolves with its key's thumbprint (`jkt`), or `undefined`
   * when no proof came and none is required (or DPoP is off). Rejects with `DpopProofError`.
   */
  check(input: ProofInput): Promise<string | undefined>;
  /** The nonce to hand out now (`DPoP-Nonce`), when nonces are on. */
  nonce(): string | undefined;
}

/** `url` without query and fragment, normalised (scheme and host lower case, default port dropped). */
const withoutQuery = (url: string): string | undefined => {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return undefined;
  }
};

/** The access token's hash as a proof carries it (`ath`): base64url SHA-256 of its ASCII. */
export const accessTokenHash = (token: string): string =>
  createHash('sha256').update(token, 'ascii').digest('base64url');

/**
 * The DPoP service of one instance. Nonces are derived from the first JWT secret and the time
 * period, so that every instance hands out and accepts the same ones without sharing state; the
 * proofs seen live in `proofs`, which every instance shares.
 */
export function createDpopService(deps: {
  config: Pick<Config, 'dpop' | 'dpopNonce' | 'clockToleranceSeconds' | 'jwtSecrets'>;
  proofs: ProofStore;
  now: () => number;
}): DpopService {
  const { config, proofs, now } = deps;
  const nonceAt = (period: number) =>
    createHmac('sha256', config.jwtSecrets[0]!)
      .update(`dpop-nonce:${period}`)
      .digest('base64url')
      .slice(0, 22);
  const currentPeriod = () => Math.floor(now() / NONCE_PERIOD_MS);
  const refuse = (message: string) => new DpopProofError('invalid_dpop_proof', message);

  async function verified(proof: string) {
    try {
      return await jwtVerify(proof, EmbeddedJWK, {
        typ: 'dpop+jwt',
        algorithms: DPOP_ALGORITHMS,
      });
    } catch {
      throw refuse('The DPoP proof is not a valid signed JWT of an allowed algorithm');
    }
  }

  return {
    mode: config.dpop,
    nonce: () => (config.dpopNonce && config.dpop !== 'off' ? nonceAt(currentPeriod()) : undefined),
    async check({ proof, method, url, accessToken }) {
      if (config.dpop === 'off') return undefined;
      if (proof === undefined) {
        if (config.dpop === 'required') throw refuse('A DPoP proof is required');
        return undefined;
      }
      if (proof.length > MAX_PROOF_LENGTH || proof.includes(',')) {
        throw refuse('Exactly one DPoP proof is expected');
      }
      const { payload, protectedHeader } = await verified(proof);
      const { jti, htm, htu, iat, ath, nonce } = payload as Record<string, unknown>;
      if (typeof jti !== 'string' || jti.length === 0 || jti.length > 256) {
        throw refuse('The DPoP proof has no usable jti');
      }
      if (htm !== method) throw refuse('The DPoP proof is for another method');
      if (typeof htu !== 'string' || withoutQuery(htu) !== withoutQuery(url)) {
        throw refuse('The DPoP proof is for another URL');
      }
      const nowS = now() / 1000;
      const tolerance = config.clockToleranceSeconds;
      if (typeof iat !== 'number' || iat > nowS + tolerance) {
        throw refuse('The DPoP proof is from the future');
      }
      if (iat < nowS - PROOF_MAX_AGE_S - tolerance) throw refuse('The DPoP proof is too old');
      if (accessToken !== undefined && ath !== accessTokenHash(accessToken)) {
        throw refuse('The DPoP proof is not for this access token');
      }
      if (config.dpopNonce) {
        const period = currentPeriod();
        if (nonce !== nonceAt(period) && nonce !== nonceAt(period - 1)) {
          throw new DpopProofError('use_dpop_nonce', 'Use the DPoP nonce the server provides');
        }
      }
      const jkt = await calculateJwkThumbprint(protectedHeader.jwk as JWK, 'sha256');
      // Last, so that only proofs valid in every other way take a place in the cache.
      const seenKey = createHash('sha256').update(`${jkt}.${jti}`).digest('base64url');
      const keepUntil = (iat + PROOF_MAX_AGE_S + 2 * tolerance) * 1000;
      if (!(await proofs.remember(seenKey, keepUntil, now()))) {
        throw refuse('The DPoP proof was already used');
      }
      return jkt;
    },
  };
}
