import type { Request, RequestHandler } from 'express';
import { DPOP_ALGORITHMS, DpopProofError, type DpopService } from '../services/dpop.js';
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

/** The request's absolute URL as this server sees it (`trust proxy` decides what a proxy may say). */
export const requestUrl = (req: Request): string =>
  `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`;

/**
 * Access-token authentication: Bearer (RFC 6750) and DPoP (RFC 9449). The token is read only from
 * the `Authorization` header. No header: a bare challenge. A token that does not verify:
 * `error="invalid_token"`. A DPoP-bound token (`cnf.jkt`) is accepted only with the `DPoP`
 * scheme and a proof signed by its key, for this method and URL, carrying its hash (`ath`), seen
 * once; with the Bearer scheme it is refused. With `DPOP=required`, only bound tokens are.
 */
export function requireAuth(
  tokens: TokenService,
  now: () => number,
  dpop?: DpopService,
): RequestHandler {
  const dpopOn = dpop !== undefined && dpop.mode !== 'off';
  const algs = `DPoP algs="${DPOP_ALGORITHMS.join(' ')}"`;
  /**
   * The challenge of an answer: DPoP's to a DPoP request and whenever DPoP is required; Bearer's
   * otherwise (as before DPoP existed, so Bearer clients read what they always read).
   */
  const challenge = (error: string | undefined, dpopScheme: boolean) => {
    const params = error ? `, error="${error}"` : '';
    return dpopScheme || dpop?.mode === 'required'
      ? `${algs}${params}`
      : `Bearer realm="${REALM}"${params}`;
  };
  const invalidToken = (dpopScheme: boolean, message = 'The access token is invalid or expired') =>
    new HttpError(401, 'invalid_token', message, {
      'WWW-Authenticate': challenge('invalid_token', dpopScheme),
    });
  const verify = (token: string, dpopScheme: boolean) => {
    try {
      return tokens.verify(token, now());
    } catch (error) {
      if (error instanceof InvalidTokenError) throw invalidToken(dpopScheme);
      throw error;
    }
  };

  return (req, res, next) => {
    const header = req.headers.authorization;
    if (header === undefined) {
      throw new HttpError(401, 'unauthorized', 'An access token is required', {
        'WWW-Authenticate': challenge(undefined, false),
      });
    }
    const match = /^(Bearer|DPoP) +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
    const scheme = match?.[1]?.toLowerCase();
    const token = match?.[2];
    if (!token) throw invalidToken(false);
    if (scheme === 'bearer') {
      const claims = verify(token, false);
      if (claims.jkt !== undefined) {
        throw invalidToken(true, 'This access token is bound to a DPoP key: use the DPoP scheme');
      }
      if (dpopOn && dpop.mode === 'required') {
        throw invalidToken(true, 'A DPoP-bound token is required');
      }
      req.auth = claims;
      next();
      return;
    }
    if (!dpopOn) throw invalidToken(false);
    // Every DPoP answer carries the nonce of the moment (when nonces are on), refusals included,
    // so that clients keep up without a round trip of their own.
    const nonce = dpop.nonce();
    if (nonce !== undefined) res.set('DPoP-Nonce', nonce);
    const claims = verify(token, true);
    return dpop
      .check({
        proof: req.get('dpop') ?? '',
        method: req.method,
        url: requestUrl(req),
        accessToken: token,
      })
      .then(
        (jkt) => {
          // An unbound token (no jkt) is refused here too: a proof does not upgrade it.
          if (jkt !== claims.jkt) {
            throw invalidToken(true, 'The token is not bound to the key of this proof');
          }
          req.auth = claims;
          next();
        },
        (error: unknown) => {
          if (!(error instanceof DpopProofError)) throw error;
          throw new HttpError(401, error.code, error.message, {
            'WWW-Authenticate': `${algs}, error="${error.code}"`,
          });
        },
      );
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
