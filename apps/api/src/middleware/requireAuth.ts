import type { RequestHandler } from 'express';
import type { Role } from '../store/types.js';
import { InvalidTokenError, type AccessClaims, type TokenService } from '../services/tokens.js';
import { HttpError } from '../errors.js';

/** The realm named in every `WWW-Authenticate` challenge. */
export const REALM = 'tokenlane';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by `requireAuth` once the access token is verified. */
    auth?: AccessClaims;
  }
}

const invalidToken = () =>
  new HttpError(401, 'invalid_token', 'The access token is invalid or expired', {
    'WWW-Authenticate': `Bearer realm="${REALM}", error="invalid_token"`,
  });

/**
 * Bearer authentication (RFC 6750): the token is read only from the `Authorization` header.
 * No header: a bare challenge. Anything else that does not verify: `error="invalid_token"`.
 */
export function requireAuth(tokens: TokenService, now: () => number): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization;
    if (header === undefined) {
      throw new HttpError(401, 'unauthorized', 'An access token is required', {
        'WWW-Authenticate': `Bearer realm="${REALM}"`,
      });
    }
    const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
    if (!match?.[1]) throw invalidToken();
    try {
      req.auth = tokens.verify(match[1], now());
    } catch (error) {
      if (error instanceof InvalidTokenError) throw invalidToken();
      throw error;
    }
    next();
  };
}

/** 403 `insufficient_scope` unless the verified token carries the role. */
export function requireRole(role: Role): RequestHandler {
  return (req, _res, next) => {
    if (req.auth?.role !== role) {
      throw new HttpError(403, 'insufficient_scope', `This route requires the ${role} role`, {
        'WWW-Authenticate': `Bearer realm="${REALM}", error="insufficient_scope"`,
      });
    }
    next();
  };
}
