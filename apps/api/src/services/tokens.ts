import { createHash, createSecretKey, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { AuthUser, Role } from '../store/types.js';

/** `iss` of every access token. */
export const ISSUER = 'tokenlane';
/** `aud` of every access token. */
export const AUDIENCE = 'tokenlane-api';
/** The purpose claim: only tokens carrying it are accepted as access tokens. */
export const ACCESS_TOKEN_TYPE = 'access';

/** The claims the API relies on once a token is verified. */
export interface AccessClaims {
  sub: string;
  role: Role;
  exp: number;
  /** The thumbprint of the DPoP key the token is bound to (`cnf.jkt`, RFC 9449 §6); absent for a Bearer token. */
  jkt?: string | undefined;
  /** When the user last entered their password (`auth_time`, epoch seconds); absent in older tokens. */
  authTime?: number | undefined;
}

/** What an access token is issued with besides its user. */
export interface TokenGrant {
  /** Bind it to this DPoP key's thumbprint (`cnf.jkt`). */
  jkt?: string | undefined;
  /** When the login behind it happened, epoch ms (`auth_time`, RFC 9470). @default the signing time */
  authTime?: number | undefined;
}

/** The access token could not be verified; never says why to the client. */
export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
}

/**
 * How many verified tokens are remembered. A token is used for many requests during its life;
 * a hit skips jsonwebtoken (about 40 µs a request under load) but still checks `exp`.
 */
export const VERIFIED_CACHE_SIZE = 10_000;

/** Signs and verifies access tokens with one pinned algorithm, issuer, audience and purpose. */
export interface TokenService {
  /** An access token for `user`, carrying `auth_time`, and bound to a DPoP key when `grant.jkt` is given. */
  sign(
    user: Pick<AuthUser, 'id' | 'role'>,
    nowMs: number,
    grant?: TokenGrant,
  ): { token: string; expiresIn: number };
  verify(token: string, nowMs: number): AccessClaims;
}

/**
 * A key's id: derived from the key (the first 16 characters of its SHA-256, base64url), so it
 * names a key without revealing it, and is only ever looked up among the configured keys.
 */
export const keyId = (secret: string): string =>
  createHash('sha256').update(secret).digest('base64url').slice(0, 16);

// One message for every refusal: the client never learns why.
const rejected = () => new InvalidTokenError('access token rejected');

/**
 * Signs with the first secret; verifies with any of them, chosen by the token's `kid`. Clocks of
 * several instances differ: a token is still accepted `clockToleranceSeconds` seconds past its `exp`,
 * and with an `iat` up to that far in the future (one instance's clock ahead of another's).
 */
export function createTokenService(
  secrets: readonly string[],
  ttlSeconds: number,
  { clockToleranceSeconds = 0, cacheSize = VERIFIED_CACHE_SIZE } = {},
): TokenService {
  // KeyObjects built once: given a string, jsonwebtoken rebuilds the key on every call
  // (about 300 µs per verify here, against 6 µs).
  const keys = new Map(
    secrets.map((secret) => [keyId(secret), createSecretKey(Buffer.from(secret, 'utf8'))]),
  );
  const signingKid = keyId(secrets[0]!);
  const signingKey = keys.get(signingKid)!;
  // Keyed by the whole token, signature included: a hit is a token this service verified.
  const verified = new Map<string, AccessClaims>();
  // Least recently used first: a Map keeps insertion order, and a hit re-inserts its token, so
  // the tokens in active use stay and a flood of one-off tokens pushes out only one-off tokens.
  const remember = (token: string, claims: AccessClaims) => {
    verified.delete(token);
    if (verified.size >= cacheSize) verified.delete(verified.keys().next().value!);
    verified.set(token, claims);
  };
  return {
    sign(user, nowMs, { jkt, authTime = nowMs } = {}) {
      const iat = Math.floor(nowMs / 1000);
      // Rounded up, so the token lives at least the `expiresIn` the response announces.
      const exp = Math.ceil(nowMs / 1000) + ttlSeconds;
      const authTimeS = Math.floor(authTime / 1000);
      const claims = { typ: ACCESS_TOKEN_TYPE, role: user.role, iat, exp, auth_time: authTimeS };
      const bound = jkt === undefined ? claims : { ...claims, cnf: { jkt } };
      const token = jwt.sign(bound, signingKey, {
        algorithm: 'HS256',
        keyid: signingKid,
        issuer: ISSUER,
        audience: AUDIENCE,
        subject: user.id,
        jwtid: randomUUID(),
      });
      return { token, expiresIn: ttlSeconds };
    },
    verify(token, nowMs) {
      const known = verified.get(token);
      if (known) {
        // Same rule as jsonwebtoken: expired once the clock reaches `exp` (plus the tolerance).
        if (Math.floor(nowMs / 1000) < known.exp + clockToleranceSeconds) {
          remember(token, known);
          return known;
        }
        verified.delete(token);
        throw rejected();
      }
      // The kid only selects among the configured keys (a Map lookup); the signature decides.
      const header = jwt.decode(token, { complete: true })?.header;
      // RFC 7515 §4.1.11: a token naming extensions it requires ("crit") that this service does
      // not implement (it implements none) must be rejected.
      if (!header || 'crit' in header) throw rejected();
      const kid = header.kid;
      const key = kid === undefined ? undefined : keys.get(kid);
      if (!key) throw rejected();
      let payload: string | jwt.JwtPayload;
      try {
        payload = jwt.verify(token, key, {
          algorithms: ['HS256'],
          issuer: ISSUER,
          audience: AUDIENCE,
          clockTimestamp: Math.floor(nowMs / 1000),
          clockTolerance: clockToleranceSeconds,
        });
      } catch {
        throw rejected();
      }
      if (typeof payload !== 'object') throw rejected();
      const {
        typ,
        exp,
        sub,
        role,
        iat,
        cnf,
        auth_time: authTime,
      } = payload as Record<string, unknown>;
      const jkt = (cnf as { jkt?: unknown } | undefined)?.jkt;
      if (
        typ !== ACCESS_TOKEN_TYPE ||
        (typeof iat === 'number' && iat > Math.floor(nowMs / 1000) + clockToleranceSeconds) ||
        typeof exp !== 'number' ||
        typeof sub !== 'string' ||
        (role !== 'user' && role !== 'admin') ||
        (cnf !== undefined && typeof jkt !== 'string') ||
        (authTime !== undefined && typeof authTime !== 'number')
      ) {
        throw rejected();
      }
      const claims: AccessClaims = {
        sub,
        role,
        exp,
        ...(typeof jkt === 'string' && { jkt }),
        ...(typeof authTime === 'number' && { authTime }),
      };
      remember(token, claims);
      return claims;
    },
  };
}
