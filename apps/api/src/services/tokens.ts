import { createHash, randomBytes, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { PublicUser, Role } from '../store/types.js';

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
}

/** The access token could not be verified; never says why to the client. */
export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
}

/** Signs and verifies access tokens with one pinned algorithm, issuer, audience and purpose. */
export interface TokenService {
  sign(user: Pick<PublicUser, 'id' | 'role'>, nowMs: number): { token: string; expiresIn: number };
  verify(token: string, nowMs: number): AccessClaims;
}

export function createTokenService(secret: string, ttlSeconds: number): TokenService {
  return {
    sign(user, nowMs) {
      const iat = Math.floor(nowMs / 1000);
      // Rounded up, so the token lives at least the `expiresIn` the response announces.
      const exp = Math.ceil(nowMs / 1000) + ttlSeconds;
      const token = jwt.sign({ typ: ACCESS_TOKEN_TYPE, role: user.role, iat, exp }, secret, {
        algorithm: 'HS256',
        issuer: ISSUER,
        audience: AUDIENCE,
        subject: user.id,
        jwtid: randomUUID(),
      });
      return { token, expiresIn: ttlSeconds };
    },
    verify(token, nowMs) {
      let payload: string | jwt.JwtPayload;
      try {
        payload = jwt.verify(token, secret, {
          algorithms: ['HS256'],
          issuer: ISSUER,
          audience: AUDIENCE,
          clockTimestamp: Math.floor(nowMs / 1000),
        });
      } catch {
        throw new InvalidTokenError('access token rejected');
      }
      if (typeof payload !== 'object') throw new InvalidTokenError('access token rejected');
      const { typ, exp, sub, role } = payload as Record<string, unknown>;
      if (
        typ !== ACCESS_TOKEN_TYPE ||
        typeof exp !== 'number' ||
        typeof sub !== 'string' ||
        (role !== 'user' && role !== 'admin')
      ) {
        throw new InvalidTokenError('access token rejected');
      }
      return { sub, role, exp };
    },
  };
}

/** A new opaque refresh token: 256 random bits, base64url. */
export const newRefreshToken = (): string => randomBytes(32).toString('base64url');

/** The only form in which a refresh token is stored. */
export const hashRefreshToken = (token: string): string =>
  createHash('sha256').update(token).digest('base64url');
