import { createHash, randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, SignJWT, type JWK } from 'jose';

/** Signs DPoP proofs (RFC 9449) for the BFF's calls to a resource server with its key pair. */
export interface DpopProofs {
  /** The key's JWK thumbprint (`jkt`): what the upstream binds the tokens to. */
  thumbprint(): Promise<string>;
  /** A proof for `method` `url`, bound to `accessToken` (`ath`). */
  proof(method: string, url: URL, accessToken: string): Promise<string>;
}

const algorithmOf = (key: CryptoKey): string => {
  const { name, namedCurve } = key.algorithm as { name: string; namedCurve?: string };
  if (name === 'ECDSA' && namedCurve === 'P-256') return 'ES256';
  if (name === 'ECDSA' && namedCurve === 'P-384') return 'ES384';
  if (name === 'Ed25519') return 'EdDSA';
  if (name === 'RSASSA-PKCS1-v1_5') return 'RS256';
  throw new Error(`No DPoP algorithm for a ${name} key`);
};

/**
 * Proofs from a key pair the BFF keeps (every instance the same one, so that any instance can
 * present a token another one received). The private key never leaves the BFF.
 */
export function dpopProofs(keyPair: CryptoKeyPair): DpopProofs {
  const alg = algorithmOf(keyPair.privateKey);
  let jwk: Promise<JWK> | undefined;
  const publicJwk = () =>
    (jwk ??= exportJWK(keyPair.publicKey).then(({ kty, crv, x, y, e, n }) => ({
      kty,
      crv,
      x,
      y,
      e,
      n,
    })));
  return {
    thumbprint: async () => calculateJwkThumbprint(await publicJwk()),
    async proof(method, url, accessToken) {
      const htu = `${url.origin}${url.pathname}`;
      const ath = createHash('sha256').update(accessToken).digest('base64url');
      return new SignJWT({ htm: method, htu, ath, jti: randomUUID() })
        .setProtectedHeader({ alg, typ: 'dpop+jwt', jwk: await publicJwk() })
        .setIssuedAt()
        .sign(keyPair.privateKey);
    },
  };
}
